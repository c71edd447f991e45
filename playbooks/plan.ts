/** What the compiler produces and a run carries in its input: pinned, self-contained, hashed. */
export interface PlanNode {
  id: string;
  kind: string;
  name: string;
  config: unknown;
  /** handle → target node id */
  next: Record<string, string>;
  /** Number of edges leading here. */
  inputs: number;
  /**
   * For joins of revision-4 plans: every node from which a branch can still arrive here. Revision 5
   * plans leave it out and the runtime derives the same set from the edges (runtime/joinUpstream.ts).
   */
  upstream?: string[];
}

/**
 * Revisions of the runtime's rules where a change alters what a run does. A plan carries the
 * revision it was compiled under and its runs keep those rules, so a run asleep since before a
 * change replays exactly as it was recorded.
 * - 1 (absent): the original rules.
 * - 2: a commitment schedules no check-in at or after the moment its term ends.
 * - 3: decisions read customer.* and visits.* from the system only; a flat run variable named like
 *   one ("customer.value", which the API accepted before) no longer shadows it.
 * - 4: decisions read credit.* (the credit file a credit check wrote) from the system only, like
 *   customer.*; joins may take the first branch to arrive and cancel the rest; escalations go to a
 *   person, the account manager or along a chain; config values may come from run variables.
 *   (The last three are config shapes no plan of an older revision holds; a first-arrival join
 *   still waits for all under older rules, so an older plan never changes meaning.)
 * - 5: joins no longer list their upstream nodes; the runtime derives the same set from the plan's
 *   edges. Nothing a run does changes, but a revision-4 plan without the list means the old rule
 *   (one arrival per edge), so the absence needs its own revision. A 1,000-node plan shrank from
 *   508 KB to 294 KB of canonical JSON: less to hash at every compile and to carry in every input.
 * Not revisions, because no recorded run can tell: answers from links (a new event shape, sent only
 * through the customerAnswer Update) apply only while their tier or agreement is open, and a time
 * that is NaN or out of range is refused (a run reaching one could not have gone on anyway).
 */
export const PLAN_REVISION = 5;

export interface CompiledPlan {
  format: 1;
  /** The runtime rules this plan was compiled under (see PLAN_REVISION); absent means 1. */
  revision?: number;
  startNodeId: string;
  nodes: Record<string, PlanNode>;
  /** sha256 of the canonical plan: the same graph always compiles to the same hash. */
  hash: string;
  /** The longest a run can take if every wait runs to its limit; null when a loop makes it unbounded. */
  worstCaseDurationMs: number | null;
}

/**
 * The start node's config of a stored plan, or undefined when the row holds no usable plan (a
 * hand-written fixture, a damaged row): such a plan listens for nothing and is never started by a
 * trigger or a rule, rather than failing every trigger and every evaluation that reads it.
 */
export function startConfigOf(plan: unknown): unknown {
  const p = plan as Partial<CompiledPlan> | null | undefined;
  if (!p || typeof p !== 'object' || !p.nodes || typeof p.nodes !== 'object' || typeof p.startNodeId !== 'string') return undefined;
  return p.nodes[p.startNodeId]?.config;
}
