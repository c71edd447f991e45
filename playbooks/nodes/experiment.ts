import { z } from 'zod';
import { Identifier } from '../graph';
import type { Problem } from '../problems';
import { count, joinParts, keysOf } from './helpers';
import { armVariable, experimentStep, HOLDOUT } from './runtime/experiment';
import { defineNode } from './types';

// Picking the arm is the runtime's (./runtime/experiment, zod-free); re-exported for analytics and tests.
export { HOLDOUT, pickArm, stableHash } from './runtime/experiment';

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

export const experimentNode = defineNode<ExperimentConfig>({
  ...experimentStep,
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
  describe: (cmd) => ({ kind: 'experiment_arm', text: `Experiment arm: ${String(cmd.data.label ?? cmd.data.arm)} (${String(cmd.data.arm)})` }),
});
