import { z } from 'zod';
import { Identifier } from '../graph';
import type { Problem } from '../problems';
import type { Json } from '../runtime/types';
import { count, joinParts, keysOf } from './helpers';
import { defineNode, type StepApi } from './types';

/** The handle (and arm key) of the attempts kept out of every variant. */
export const HOLDOUT = 'holdout';

export const ExperimentConfig = z.object({
  arms: z
    .array(
      z.object({
        key: Identifier.describe('The arm’s name: its outgoing connection and the value of <node>.arm.'),
        label: z.string().min(1).max(100).optional().describe('How people read the arm; its key when left out.'),
        weight: z.number().positive().default(1).describe('Share of attempts relative to the other arms (e.g. 50 and 50, or 90 and 10; equal by default).'),
      }),
    )
    .min(1)
    .max(20)
    .describe('Each arm is its own outgoing connection; a customer always lands in the same arm.'),
  holdout: z
    .number()
    .positive()
    .optional()
    .describe('The share of attempts kept out of the experiment, weighed like an arm: they leave through "holdout", to compare against.'),
});
export type ExperimentConfig = z.infer<typeof ExperimentConfig>;

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

const armVariable = (nodeId: string) => `${nodeId}.arm`;

export const experimentNode = defineNode<ExperimentConfig>({
  kind: 'experiment',
  label: 'Experiment',
  description: 'Split attempts into named arms by a stable hash of the customer, with an optional hold-out, and record the arm.',
  icon: '⚗',
  palette: { group: 'Flow', order: 2.5, color: '#be185d' },
  starter: {
    arms: [
      { key: 'a', label: 'Arm A', weight: 50 },
      { key: 'b', label: 'Arm B', weight: 50 },
    ],
  },
  summary: (c) => joinParts(count(c.arms, 'arm'), typeof c.holdout === 'number' ? 'with hold-out' : undefined),
  config: ExperimentConfig,
  handles: (config) => [...config.arms.map((a) => a.key), ...(config.holdout !== undefined ? [HOLDOUT] : [])],
  waits: false,
  // The arm keys (and the hold-out) are the only values <node>.arm takes: a decision on another never matches.
  writes: (c, node) => [
    {
      name: armVariable(node.id),
      group: 'Step results',
      label: `${armVariable(node.id)} (${node.name})`,
      ...(keysOf(c.arms).length ? { values: [...keysOf(c.arms), ...(typeof c.holdout === 'number' ? [HOLDOUT] : [])] } : {}),
    },
  ],
  sets: (_config, nodeId) => [armVariable(nodeId)],
  check(config, ctx) {
    const problems: Problem[] = [];
    const seen = new Set<string>();
    config.arms.forEach((arm, i) => {
      if (arm.key === HOLDOUT || seen.has(arm.key))
        problems.push({
          code: 'duplicate_arm',
          message: `arm "${arm.key}" is used twice (or is "holdout")`,
          path: [...ctx.path, 'arms', i, 'key'],
          nodeId: ctx.nodeId,
        });
      seen.add(arm.key);
    });
    return problems;
  },
  enter(step, config) {
    const arm = pickArm(config, step.nodeId, customerId(step));
    const label = arm === HOLDOUT ? 'Hold-out' : (config.arms.find((a) => a.key === arm)?.label ?? arm);
    step.state.vars = { ...step.state.vars, [armVariable(step.nodeId)]: arm };
    const data: Record<string, Json> = { arm, label };
    step.emit({ type: 'record', recordKey: step.nextKey('record'), stepId: step.stepId, nodeId: step.nodeId, kind: 'experiment', name: 'arm', data });
    step.go(arm);
  },
  describe: (cmd) => ({ kind: 'experiment_arm', text: `Experiment arm: ${String(cmd.data.label ?? cmd.data.arm)} (${String(cmd.data.arm)})` }),
});
