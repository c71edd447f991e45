import type { Pool } from 'pg';
import { evaluatePage, type RiskRules, type RiskVerdict } from '../../playbooks/risk';
import { customerFactsPage } from '../../platform/db/riskFacts';
import type { SessionUser } from '../http';
import { customerInReach } from '../access';
import { Params } from '../inbox/query';

/**
 * What a rule change would do, before it is saved: every customer the rules (draft or given) would
 * move now, beside what the published rules would move, from the same facts and the same pure
 * functions the evaluation uses. Nothing is written.
 */
export interface DryRunMove extends RiskVerdict {
  name: string;
  department: string | null;
  /** Would the published rules move this customer too (and to where)? */
  publishedTo: string | null;
}

export interface DryRunResult {
  asOf: string;
  scanned: number;
  moves: DryRunMove[];
  /** Moves beyond the listed ones (the list is capped). */
  more: number;
  byTransition: { from: string; to: string; rule: string; count: number }[];
  publishedMoves: number;
}

const PAGE = 2000;

export async function dryRun(pool: Pool, user: SessionUser, rules: RiskRules, published: RiskRules, asOf: number, limit: number): Promise<DryRunResult> {
  const moves: DryRunMove[] = [];
  const counts = new Map<string, { from: string; to: string; rule: string; count: number }>();
  let scanned = 0;
  let total = 0;
  let publishedMoves = 0;
  let after: string | null = null;
  const names = new Map<string, { name: string; department: string | null }>();
  for (;;) {
    const facts = await customerFactsPage(pool, { asOf, after, limit: PAGE });
    if (!facts.length) break;
    after = facts[facts.length - 1].id;
    // Only the customers the person may see: a head's dry run is their department's.
    const p = new Params();
    const ids = p.add(facts.map((f) => f.id));
    const reach = customerInReach(user, p);
    const visible = new Set(
      (
        await pool.query<{ id: string; name: string; department_id: string | null }>(
          `SELECT c.id, c.name, c.department_id FROM customers c WHERE c.id = ANY(${ids}) AND ${reach}`,
          p.values,
        )
      ).rows.map((r) => {
        names.set(r.id, { name: r.name, department: r.department_id });
        return r.id;
      }),
    );
    const mine = facts.filter((f) => visible.has(f.id));
    scanned += mine.length;
    const before = new Map(evaluatePage(published, mine, asOf).map((v) => [v.customerId, v.to]));
    publishedMoves += before.size;
    for (const v of evaluatePage(rules, mine, asOf)) {
      total++;
      const key = `${v.from}>${v.to}>${v.rule}`;
      const c = counts.get(key) ?? { from: v.from, to: v.to, rule: v.rule, count: 0 };
      c.count++;
      counts.set(key, c);
      if (moves.length < limit) {
        const n = names.get(v.customerId);
        moves.push({ ...v, name: n?.name ?? v.customerId, department: n?.department ?? null, publishedTo: before.get(v.customerId) ?? null });
      }
    }
    if (facts.length < PAGE) break;
  }
  return {
    asOf: new Date(asOf).toISOString(),
    scanned,
    moves,
    more: total - moves.length,
    byTransition: [...counts.values()].sort((a, b) => b.count - a.count),
    publishedMoves,
  };
}
