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
 *
 * At 100,000 customers the whole scan takes 10–20 s, so one answer covers as many pages as fit in
 * about a second and says where to continue (`next`); the page asks again with it, showing scanned
 * of `total` (an exact count by SQL) as progress, and adds the answers up.
 */
export interface DryRunMove extends RiskVerdict {
  name: string;
  department: string | null;
  departmentName: string | null;
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
  total: number;
  next: string | null;
}

const PAGE = 2000;
/** Pages are read until this much time has passed (at least one page per answer). */
export const DRY_RUN_BUDGET_MS = 1000;

export async function dryRun(
  pool: Pool,
  user: SessionUser,
  rules: RiskRules,
  published: RiskRules,
  asOf: number,
  limit: number,
  part: { after?: string | null; budgetMs?: number; pageSize?: number } = {},
): Promise<DryRunResult> {
  const { budgetMs = DRY_RUN_BUDGET_MS, pageSize = PAGE } = part;
  const began = Date.now();
  const moves: DryRunMove[] = [];
  const counts = new Map<string, { from: string; to: string; rule: string; count: number }>();
  let scanned = 0;
  let moving = 0;
  let publishedMoves = 0;
  let after: string | null = part.after ?? null;
  let next: string | null = null;
  const names = new Map<string, { name: string; department: string | null; departmentName: string | null }>();
  for (;;) {
    const facts = await customerFactsPage(pool, { asOf, after, limit: pageSize });
    if (!facts.length) break;
    after = facts[facts.length - 1].id;
    // Only the customers the person may see: a head's dry run is their department's.
    const p = new Params();
    const ids = p.add(facts.map((f) => f.id));
    const reach = customerInReach(user, p);
    const visible = new Set(
      (
        await pool.query<{ id: string; name: string; department_id: string | null; department_name: string | null }>(
          `SELECT c.id, c.name, c.department_id, d.name AS department_name
             FROM customers c LEFT JOIN departments d ON d.id = c.department_id WHERE c.id = ANY(${ids}) AND ${reach}`,
          p.values,
        )
      ).rows.map((r) => {
        names.set(r.id, { name: r.name, department: r.department_id, departmentName: r.department_name });
        return r.id;
      }),
    );
    const mine = facts.filter((f) => visible.has(f.id));
    scanned += mine.length;
    const before = new Map(evaluatePage(published, mine, asOf).map((v) => [v.customerId, v.to]));
    publishedMoves += before.size;
    for (const v of evaluatePage(rules, mine, asOf)) {
      moving++;
      const key = `${v.from}>${v.to}>${v.rule}`;
      const c = counts.get(key) ?? { from: v.from, to: v.to, rule: v.rule, count: 0 };
      c.count++;
      counts.set(key, c);
      if (moves.length < limit) {
        const n = names.get(v.customerId);
        moves.push({
          ...v,
          name: n?.name ?? v.customerId,
          department: n?.department ?? null,
          departmentName: n?.departmentName ?? null,
          publishedTo: before.get(v.customerId) ?? null,
        });
      }
    }
    if (facts.length < pageSize) break;
    if (Date.now() - began >= budgetMs) {
      next = after;
      break;
    }
  }
  const count = new Params();
  const total = (await pool.query<{ n: number }>(`SELECT count(*)::int AS n FROM customers c WHERE ${customerInReach(user, count)}`, count.values)).rows[0].n;
  return {
    asOf: new Date(asOf).toISOString(),
    scanned,
    moves,
    more: moving - moves.length,
    byTransition: [...counts.values()].sort((a, b) => b.count - a.count),
    publishedMoves,
    total,
    next,
  };
}
