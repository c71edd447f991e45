import { commitmentNode } from './commitment';
import { creditCheckNode } from './creditCheck';
import { decisionNode } from './decision';
import { delayNode } from './delay';
import { escalateNode } from './escalate';
import { experimentNode } from './experiment';
import { notifyNode } from './notify';
import { offerNode } from './offer';
import { joinNode, parallelNode } from './parallel';
import { updateCustomerNode } from './updateCustomer';
import { waitResponseNode } from './waitResponse';
import { endNode } from './end';
import { startNode } from './start';
import { taskNode } from './task';
import type { AnyNodeKind } from './types';

/**
 * Every node kind the product knows. Adding one means writing its description (<kind>.ts: schema,
 * checks, palette, summary) and its step (runtime/<kind>.ts: what the runtime does, without zod),
 * and listing it here and in runtime/index.ts, the registry the workflow bundle holds.
 */
export const NODE_KINDS: readonly AnyNodeKind[] = [
  startNode,
  taskNode,
  waitResponseNode,
  delayNode,
  decisionNode,
  offerNode,
  commitmentNode,
  escalateNode,
  notifyNode,
  updateCustomerNode,
  parallelNode,
  joinNode,
  endNode,
  experimentNode,
  creditCheckNode,
];

const byKind = new Map<string, AnyNodeKind>(NODE_KINDS.map((k) => [k.kind, k]));

export function findNodeKind(kind: string): AnyNodeKind | undefined {
  return byKind.get(kind);
}

export function nodeKind(kind: string): AnyNodeKind {
  const found = byKind.get(kind);
  if (!found) throw new Error(`unknown node kind "${kind}"`);
  return found;
}

export type {
  AnyNodeKind,
  NodeKind,
  StepApi,
  CheckContext,
  RawConfig,
  WrittenVariable,
  ReadVariable,
  SentMessage,
  CommandLine,
  PaletteEntry,
  AnswerLinkPage,
} from './types';
