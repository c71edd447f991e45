import type { Json } from '../../runtime/types';
import type { ExperimentConfig } from '../experiment';
import { defineStep, type StepApi } from './types';

/** The handle (and arm key) of the attempts kept out of every variant. */
export const HOLDOUT = 'holdout';

/** FNV-1a, 32 bits: the same text gives the same number on every machine and every replay. */
export function stableHash(text: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return hash >>> 0;
}

/**
 * The arm a customer falls in: a stable hash of the node id and the customer id, taken modulo the
 * total weight. Pure (no clock, no randomness), so a run replays into the same arm, and each
 * experiment node splits customers independently of the others.
 */
export function pickArm(config: ExperimentConfig, nodeId: string, customerId: string): string {
  const slots = [
    ...config.arms.map((a) => ({ key: a.key, weight: a.weight })),
    ...(config.holdout !== undefined ? [{ key: HOLDOUT, weight: config.holdout }] : []),
  ];
  // Shares, not counts: weights so large that their sum overflows are scaled down alike first.
  const largest = Math.max(...slots.map((s) => s.weight));
  if (!Number.isFinite(slots.reduce((sum, s) => sum + s.weight, 0))) for (const s of slots) s.weight /= largest;
  const total = slots.reduce((sum, s) => sum + s.weight, 0);
  let point = stableHash(`${nodeId}\u0000${customerId}`) % total;
  for (const slot of slots) {
    if (point < slot.weight) return slot.key;
    point -= slot.weight;
  }
  return slots[slots.length - 1].key;
}

function customerId(step: StepApi): string {
  const customer = step.state.vars.customer;
  if (customer && typeof customer === 'object' && !Array.isArray(customer) && typeof customer.id === 'string') return customer.id;
  return '';
}

export const armVariable = (nodeId: string) => `${nodeId}.arm`;

/** An experiment: the customer's arm by a stable hash, recorded, and left through. */
export const experimentStep = defineStep<ExperimentConfig>({
  kind: 'experiment',
  enter(step, config) {
    const arm = pickArm(config, step.nodeId, customerId(step));
    const label = arm === HOLDOUT ? 'Hold-out' : (config.arms.find((a) => a.key === arm)?.label ?? arm);
    step.state.vars = { ...step.state.vars, [armVariable(step.nodeId)]: arm };
    const data: Record<string, Json> = { arm, label };
    step.emit({ type: 'record', recordKey: step.nextKey('record'), stepId: step.stepId, nodeId: step.nodeId, kind: 'experiment', name: 'arm', data });
    step.go(arm);
  },
});
