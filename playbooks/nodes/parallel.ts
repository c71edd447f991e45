import { z } from 'zod';
import { Identifier } from '../graph';
import { joinStep, parallelStep } from './runtime/parallel';
import { defineNode } from './types';

export const ParallelConfig = z.object({
  branches: z
    .array(z.object({ key: Identifier, label: z.string().min(1).max(100) }))
    .min(2)
    .max(10)
    .describe('Each branch is its own outgoing connection; they run together.'),
});
export type ParallelConfig = z.infer<typeof ParallelConfig>;

export const parallelNode = defineNode<ParallelConfig>({
  ...parallelStep,
  label: 'In parallel',
  description: "Run branches together, e.g. send the offer and schedule the head's visit.",
  icon: '⇉',
  palette: { group: 'Flow', order: 4, color: '#4f46e5' },
  starter: {
    branches: [
      { key: 'a', label: 'Branch A' },
      { key: 'b', label: 'Branch B' },
    ],
  },
  config: ParallelConfig,
  handles: (config) => config.branches.map((b) => b.key),
  waits: false,
});

export const JoinConfig = z.object({
  mode: z.enum(['all', 'first']).optional().meta({
    title: 'Go on when',
    description:
      '"all" (the default): every branch that can still arrive has arrived. "first": the first branch to arrive wins; the others are ended (their open tasks cancelled, timers stopped, pending answers closed).',
  }),
});
export type JoinConfig = z.infer<typeof JoinConfig>;

export const joinNode = defineNode<JoinConfig>({
  ...joinStep,
  label: 'Join',
  description: 'Go on once every branch leading here has arrived, or with the first to arrive (the others are cancelled).',
  icon: '⋈',
  palette: { group: 'Flow', order: 5, color: '#4f46e5' },
  starter: {},
  summary: (c) => (c.mode === 'first' ? 'first to arrive wins' : undefined),
  config: JoinConfig,
  handles: () => ['next'],
  waits: false,
  describe: (cmd) => {
    const names = Array.isArray(cmd.data.names) ? cmd.data.names : Array.isArray(cmd.data.cancelled) ? cmd.data.cancelled : [];
    const cancelled = names.map(String);
    return {
      kind: 'join_first_arrived',
      text: cancelled.length
        ? `First branch arrived; the others were cancelled (${cancelled.join(', ')})`
        : 'First branch arrived; no other branch was still open',
    };
  },
});
