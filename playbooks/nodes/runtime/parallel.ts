import type { Json } from '../../runtime/types';
import type { JoinConfig, ParallelConfig } from '../parallel';
import { defineStep, type StepApi } from './types';

/** In parallel: one branch per handle, all at once. */
export const parallelStep = defineStep<ParallelConfig>({
  kind: 'parallel',
  enter(step, config) {
    step.fork(config.branches.map((b) => b.key));
  },
});

/** First-arrival joins are a revision-4 rule: an older plan's join always waits for all. */
const firstWins = (step: StepApi, config: JoinConfig) => config.mode === 'first' && step.planRevision >= 4;

function goOn(step: StepApi): void {
  if (step.othersCanArrive()) return;
  step.absorbSiblings();
  step.go('next');
}

/** A join: the branches meet here (all of them, or the first to arrive under revision 4). */
export const joinStep = defineStep<JoinConfig>({
  kind: 'join',
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
});
