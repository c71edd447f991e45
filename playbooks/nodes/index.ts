import { commitmentNode } from './commitment';
import { decisionNode } from './decision';
import { delayNode } from './delay';
import { escalateNode } from './escalate';
import { notifyNode } from './notify';
import { offerNode } from './offer';
import { joinNode, parallelNode } from './parallel';
import { updateCustomerNode } from './updateCustomer';
import { waitResponseNode } from './waitResponse';
import { endNode } from './end';
import { startNode } from './start';
import { taskNode } from './task';
import type { NodeKind } from './types';

/** Every node kind the product knows. Adding one means writing its module and listing it here. */
export const NODE_KINDS: readonly NodeKind<never>[] = [
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
] as unknown as NodeKind<never>[];

const byKind = new Map<string, NodeKind<unknown>>(NODE_KINDS.map((k) => [k.kind, k as unknown as NodeKind<unknown>]));

export function findNodeKind(kind: string): NodeKind<unknown> | undefined {
  return byKind.get(kind);
}

export function nodeKind(kind: string): NodeKind<unknown> {
  const found = byKind.get(kind);
  if (!found) throw new Error(`unknown node kind "${kind}"`);
  return found;
}

export type { NodeKind, StepApi, CheckContext } from './types';
