import type { z } from 'zod';
import type { Directory } from '../directory';
import type { Problem } from '../problems';
import type { Command, RunEvent, RunState } from '../runtime/types';

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
  /** Finish the whole run (the `end` node). */
  finish(outcome: string, reason: string | undefined): void;
  /** Per-step memory that the node kind owns (ladder tier, reminders sent...). */
  data: Record<string, unknown>;
}

export interface CheckContext {
  directory: Directory;
  nodeId: string;
  /** JSON path of this node's config inside the graph. */
  path: (string | number)[];
}

/**
 * One node kind: description, config schema, outgoing handles, checks and runtime behaviour in one
 * module. The compiler, the workflow driver, the editor palette and the docs read it from the registry.
 */
export interface NodeKind<C = unknown> {
  kind: string;
  label: string;
  description: string;
  icon: string;
  config: z.ZodType<C>;
  /** Named outgoing handles for this configuration; each needs exactly one edge. */
  handles(config: C): string[];
  /** True when a step of this kind waits for time, a person or the customer (cycles need one). */
  waits: boolean;
  /** A node with no outgoing handles ends the run. */
  terminal?: boolean;
  /** The longest this step can take before it leaves, in ms, for the worst-case duration report. */
  maxDurationMs?(config: C): number;
  check?(config: C, ctx: CheckContext): Problem[];
  enter(step: StepApi, config: C): void;
  on?(step: StepApi, config: C, event: RunEvent): void;
  /** Called for each active step after every event: a join fires once nothing else can arrive. */
  settle?(step: StepApi, config: C): void;
}

export function defineNode<C>(kind: NodeKind<C>): NodeKind<C> {
  return kind;
}
