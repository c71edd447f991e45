import type { z } from 'zod';
import type { Directory } from '../directory';
import type { PathSegment, Problem } from '../problems';
import type { Command, RunEvent } from '../runtime/types';
import type { StepApi } from './runtime/types';

export type { StepApi, NodeStep, AnyNodeStep } from './runtime/types';

export interface CheckContext {
  directory: Directory;
  nodeId: string;
  /** JSON path of this node's config inside the graph. */
  path: (string | number)[];
}

/** A node's config as drawn: a draft may be invalid, so readers of it treat every field as optional. */
export type RawConfig = Record<string, unknown>;

/** A variable a step of this kind may set, for the compiler's "variables exist" check and the editor's picker. */
export interface WrittenVariable {
  name: string;
  /** The picker's group ("Step results" after the inputs); without one the name is valid but not offered. */
  group?: string;
  label?: string;
  /** The only values it can take (a typed start variable, an experiment's arms): a decision comparing it to another never matches. */
  values?: readonly string[];
}

/** A variable a config reads, with the JSON path of where it is named. */
export interface ReadVariable {
  name: string;
  path: PathSegment[];
  /** The read picks the way out (a decision): a loop is bounded by such a read of `visits.<node>`. */
  routes?: boolean;
  /** The config takes its value from this variable (see valueSource.ts): it must be set on every path here. */
  mustBeSet?: boolean;
  /** The values the config compares it with (a decision's eq, neq, in), checked against the variable's own list. */
  compares?: (string | number | boolean)[];
}

/** A message a step can send: its template, its own variables, the names it always fills itself, and where it is configured. */
export interface SentMessage {
  template: string;
  stepVars: Record<string, unknown>;
  provided: readonly string[];
  path: PathSegment[];
}

/** How a command a node kind records (`record`) reads in a timeline: the audit view and the simulator share it. */
export interface CommandLine {
  /** The timeline event's kind (e.g. `experiment_arm`), so analytics can count them. */
  kind: string;
  text: string;
}

export type RecordCommand = Extract<Command, { type: 'record' }>;

/** The page a customer reaches from the answer link this kind's messages carry (offer, agreement). */
export interface AnswerLinkPage {
  purpose: 'offer' | 'commitment';
  /** The page's heading, e.g. "Your offer from <firm>". */
  title(firm: string): string;
  /** Its buttons, the "yes" first: each answer, its button text and how the thank-you page says it. */
  answers: { key: string; label: string; said: string }[];
}

/** Where a kind sits in the editor's palette and how the canvas draws it. */
export interface PaletteEntry {
  group: string;
  /** Position inside its group (lower first). */
  order: number;
  color: string;
}

/**
 * One node kind: description, config schema, outgoing handles, checks, runtime behaviour, the
 * variables it writes and reads, the answers it waits for, the messages it sends, how it reads in
 * the palette, on the canvas and in a timeline, in one place. The runtime behaviour (enter, on,
 * settle, cancel) is the kind's step from runtime/<kind>.ts, spread in: the step machine reads the
 * steps alone (runtime/index.ts) so the workflow bundle holds no schema. The compiler, the
 * simulator, the editor and the docs read this registry; no table elsewhere is keyed by a kind's name.
 */
export interface NodeKind<C> {
  kind: string;
  label: string;
  description: string;
  icon: string;
  palette: PaletteEntry;
  /** What a node dropped from the palette starts with (valid and typical); else its schema defaults. */
  starter?: RawConfig;
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
  /** One line under the node's name on the canvas, from the config as drawn. */
  summary?(config: RawConfig): string | undefined;
  /** Every variable a step of this node may set; read from the config as drawn, so a mistake elsewhere in it hides nothing. */
  writes?(config: RawConfig, node: { id: string; name: string }): WrittenVariable[];
  /** The run variables this config names (a decision's conditions, a copied field). */
  reads?(config: C, path: PathSegment[]): ReadVariable[];
  /** The variables a step is sure to have set when it leaves through `handle`. */
  sets?(config: C, nodeId: string, handle: string): string[];
  /** The messages a step can send. */
  messages?(config: C, path: PathSegment[]): SentMessage[];
  /** The customer answers a step reacts to right now, given its step data. */
  answers?(config: C, data: Record<string, unknown>): string[];
  /** The page of the answer link its messages carry, when they carry one. */
  answerLink?: AnswerLinkPage;
  /** How this kind's `record` commands read in a timeline. */
  describe?(command: RecordCommand): CommandLine;
  /** Called before a step of this kind is ended from outside (another branch won a first-arrival join): close what it keeps open. */
  cancel?(step: StepApi, config: C): void;
}

/**
 * A node kind with its config type hidden, as the registry holds it. Every config it is handed was
 * produced by its own schema (the compiler parses each node's config with `config` and the plan
 * stores the result), which is what lets `defineNode` narrow `unknown` to `C` in one place.
 */
export type AnyNodeKind = NodeKind<unknown>;

/** Declare a node kind with its config type, and get it back with that type hidden for the registry. */
export function defineNode<C>(def: NodeKind<C>): AnyNodeKind {
  const own = (config: unknown): C => config as C;
  const { handles, maxDurationMs, check, enter, on, settle, reads, sets, messages, answers, cancel } = def;
  return {
    ...def,
    config: def.config,
    handles: (config) => handles(own(config)),
    enter: (step, config) => enter(step, own(config)),
    ...(maxDurationMs ? { maxDurationMs: (config: unknown) => maxDurationMs(own(config)) } : {}),
    ...(check ? { check: (config: unknown, ctx: CheckContext) => check(own(config), ctx) } : {}),
    ...(on ? { on: (step: StepApi, config: unknown, event: RunEvent) => on(step, own(config), event) } : {}),
    ...(settle ? { settle: (step: StepApi, config: unknown) => settle(step, own(config)) } : {}),
    ...(reads ? { reads: (config: unknown, path: PathSegment[]) => reads(own(config), path) } : {}),
    ...(sets ? { sets: (config: unknown, nodeId: string, handle: string) => sets(own(config), nodeId, handle) } : {}),
    ...(messages ? { messages: (config: unknown, path: PathSegment[]) => messages(own(config), path) } : {}),
    ...(answers ? { answers: (config: unknown, data: Record<string, unknown>) => answers(own(config), data) } : {}),
    ...(cancel ? { cancel: (step: StepApi, config: unknown) => cancel(step, own(config)) } : {}),
  };
}
