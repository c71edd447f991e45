import { z } from 'zod';
import { Identifier } from '../graph';
import type { Json } from '../runtime/types';
import { defineNode, type StepApi } from './types';

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

export const JoinConfig = z.object({
  mode: z.enum(['all', 'first']).optional().meta({
    title: 'Go on when',
    description:
      '"all" (the default): every branch that can still arrive has arrived. "first": the first branch to arrive wins; the others are ended (their open tasks cancelled, timers stopped, pending answers closed).',
  }),
});
export type JoinConfig = z.infer<typeof JoinConfig>;

/** First-arrival joins are a revision-4 rule: an older plan's join always waits for all. */
const firstWins = (step: StepApi, config: JoinConfig) => config.mode === 'first' && step.planRevision >= 4;

function goOn(step: StepApi): void {
  if (step.othersCanArrive()) return;
  step.absorbSiblings();
  step.go('next');
}

export const joinNode = defineNode<JoinConfig>({
  kind: 'join',
  label: 'Join',
  description: 'Go on once every branch leading here has arrived, or with the first to arrive (the others are cancelled).',
  icon: '⋈',
  palette: { group: 'Flow', order: 5, color: '#4f46e5' },
  starter: {},
  summary: (c) => (c.mode === 'first' ? 'first to arrive wins' : undefined),
  config: JoinConfig,
  handles: () => ['next'],
  waits: false,
  // Each arriving branch is a step at this node. It goes on once no other active branch can still
  // get here (a branch may take a route that never reaches this join), taking the waiting ones along.
  enter(step, config) {
    if (!firstWins(step, config)) return goOn(step);
    const ended = step.cancelBranches();
    const data: Record<string, Json> = { cancelled: ended.map((e) => e.nodeId), names: ended.map((e) => e.name) };
    step.emit({ type: 'record', recordKey: step.nextKey('record'), stepId: step.stepId, nodeId: step.nodeId, kind: 'join', name: 'first_arrived', data });
    step.go('next');
  },
  settle(step, config) {
    if (!firstWins(step, config)) goOn(step);
  },
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
