import type { DryRunResult } from '../../../contract/risk';
import type { RiskRules } from '../../../playbooks/risk/rules';
import { riskApi } from './riskApi';

/** The moves listed at most (the rest are counted). */
export const DRY_RUN_LIST = 200;

/**
 * A whole dry run, asked for part by part (each answer covers about a second of customers and says
 * where to continue), so a long scan shows its progress and can be stopped between parts (what was
 * scanned so far is kept). The parts add up into
 * one result: the same `asOf` throughout, moves listed up to the cap, the rest counted.
 */
export async function dryRunInPages(
  rules: RiskRules,
  onProgress: (soFar: DryRunResult) => void,
  signal: AbortSignal,
): Promise<{ result: DryRunResult; stopped: boolean }> {
  let sum: DryRunResult | null = null;
  let after: string | undefined;
  for (;;) {
    const part: DryRunResult = await riskApi.dryRun(rules, { asOf: sum?.asOf, after, limit: DRY_RUN_LIST });
    sum = sum ? add(sum, part) : part;
    onProgress(sum);
    if (!part.next) return { result: sum, stopped: false };
    if (signal.aborted) return { result: sum, stopped: true };
    after = part.next;
  }
}

function add(a: DryRunResult, b: DryRunResult): DryRunResult {
  const moves = [...a.moves, ...b.moves].slice(0, DRY_RUN_LIST);
  const moving = a.moves.length + a.more + b.moves.length + b.more;
  const byTransition = new Map(a.byTransition.map((t) => [`${t.from}>${t.to}>${t.rule}`, { ...t }]));
  for (const t of b.byTransition) {
    const k = `${t.from}>${t.to}>${t.rule}`;
    const seen = byTransition.get(k);
    if (seen) seen.count += t.count;
    else byTransition.set(k, { ...t });
  }
  return {
    asOf: a.asOf,
    scanned: a.scanned + b.scanned,
    moves,
    more: moving - moves.length,
    byTransition: [...byTransition.values()].sort((x, y) => y.count - x.count),
    publishedMoves: a.publishedMoves + b.publishedMoves,
    total: b.total,
    next: b.next,
  };
}
