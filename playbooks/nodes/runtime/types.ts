import type { Command, RunEvent, RunState } from '../../runtime/types';

/**
 * A node kind's runtime part: what its steps do when entered and driven. The step machine reads it
 * from ./index, which imports no schema: the workflow bundle holds this folder and never zod.
 */

/** What a node kind may do while the runtime is entering or driving one of its steps. */
export interface StepApi {
  readonly stepId: string;
  readonly nodeId: string;
  readonly state: RunState;
  readonly now: number;
  /** The runtime rules of this run's plan (see PLAN_REVISION). */
  readonly planRevision: number;
  /** A fresh key, unique within the run and stable under replay. */
  nextKey(prefix: string): string;
  emit(command: Command): void;
  /** Leave this step through one of its handles. */
  go(handle: string): void;
  /** Leave through several handles at once: one new branch each (the `parallel` node). */
  fork(handles: string[]): void;
  /** True while another active branch can still reach this node (the `join` waits for those). */
  othersCanArrive(): boolean;
  /** Other active steps at this same node (branches already waiting at a join). */
  siblings(): string[];
  /** End the other steps at this node: their branches continue as this one. */
  absorbSiblings(): void;
  /**
   * End every other active step from which a branch could still reach this node (a first-arrival
   * join): their open tasks are cancelled, timers stopped, pending answers closed. Returns the
   * nodes of the steps it ended (id and name, for the timeline).
   */
  cancelBranches(): { nodeId: string; name: string }[];
  /** Finish the whole run (the `end` node). */
  finish(outcome: string, reason: string | undefined): void;
  /** Per-step memory that the node kind owns (ladder tier, reminders sent...). */
  data: Record<string, unknown>;
}

/**
 * What a step of one kind does, from the config the plan stores (its own schema's output, checked
 * when the plan was compiled). The kind's description (../<kind>.ts) spreads it into its NodeKind.
 */
export interface NodeStep<C> {
  kind: string;
  enter(step: StepApi, config: C): void;
  on?(step: StepApi, config: C, event: RunEvent): void;
  /** Called for each active step after every event: a join fires once nothing else can arrive. */
  settle?(step: StepApi, config: C): void;
  /** Called before a step of this kind is ended from outside (another branch won a first-arrival join): close what it keeps open. */
  cancel?(step: StepApi, config: C): void;
}

/** A step with its config type hidden, as the runtime registry holds it (see NodeKind's note on `defineNode`). */
export type AnyNodeStep = NodeStep<unknown>;

/** Declare a kind's step with its config type; the registry holds it with that type hidden. */
export function defineStep<C>(def: NodeStep<C>): NodeStep<C> {
  return def;
}
