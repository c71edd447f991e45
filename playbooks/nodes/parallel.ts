import { z } from 'zod';
import { Identifier } from '../graph';
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
  kind: 'parallel',
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
  enter(step, config) {
    step.fork(config.branches.map((b) => b.key));
  },
});

export const JoinConfig = z.object({});
export type JoinConfig = z.infer<typeof JoinConfig>;

export const joinNode = defineNode<JoinConfig>({
  kind: 'join',
  label: 'Join',
  description: 'Wait until every branch leading here has arrived, then go on.',
  icon: '⋈',
  palette: { group: 'Flow', order: 5, color: '#4f46e5' },
  starter: {},
  config: JoinConfig,
  handles: () => ['next'],
  waits: false,
  // Each arriving branch is a step at this node. It goes on once no other active branch can still
  // get here (a branch may take a route that never reaches this join), taking the waiting ones along.
  enter(step) {
    if (step.othersCanArrive()) return;
    step.absorbSiblings();
    step.go('next');
  },
  settle(step) {
    if (step.othersCanArrive()) return;
    step.absorbSiblings();
    step.go('next');
  },
});
