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
  /** For joins: every node from which a branch can still arrive here. */
  upstream?: string[];
}

export interface CompiledPlan {
  format: 1;
  startNodeId: string;
  nodes: Record<string, PlanNode>;
  /** sha256 of the canonical plan: the same graph always compiles to the same hash. */
  hash: string;
  /** The longest a run can take if every wait runs to its limit; null when a loop makes it unbounded. */
  worstCaseDurationMs: number | null;
}
