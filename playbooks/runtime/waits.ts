import type { CompiledPlan } from '../plan';
import { openAnswers } from './answers';
import type { RunState } from './types';

/**
 * What an attempt waits for, step by step: the operator's list shows it ("Call back: task for a
 * rep of After-sales, due 4 May; reminder fires 6 May") without asking Temporal for every row.
 */
export interface StepWait {
  stepId: string;
  nodeId: string;
  name: string;
  kind: string;
  since: number;
  tasks: { taskKey: string; title: string; role: string; department: string | null; userId: string | null; dueAt: number | null }[];
  timers: { purpose: string; firesAt: number }[];
  answer: { purpose: 'offer' | 'commitment'; text: string; tier: number | null } | null;
}

export function waitsOf(plan: CompiledPlan, state: RunState): StepWait[] {
  const answers = openAnswers(state);
  return Object.values(state.steps)
    .sort((a, b) => Number(a.stepId.slice(1)) - Number(b.stepId.slice(1)))
    .map((step) => {
      const answer = answers.find((a) => a.stepId === step.stepId);
      return {
        stepId: step.stepId,
        nodeId: step.nodeId,
        name: plan.nodes[step.nodeId]?.name || step.nodeId,
        kind: plan.nodes[step.nodeId]?.kind ?? '',
        since: step.enteredAt,
        tasks: Object.values(state.tasks)
          .filter((t) => t.stepId === step.stepId)
          .map((t) => ({
            taskKey: t.taskKey,
            title: t.title,
            role: t.assignee.role,
            department: t.assignee.department,
            userId: t.assignee.userId,
            dueAt: t.dueAt,
          })),
        timers: Object.values(state.timers)
          .filter((t) => t.stepId === step.stepId)
          .map((t) => ({ purpose: t.purpose, firesAt: t.firesAt }))
          .sort((a, b) => a.firesAt - b.firesAt),
        answer: answer ? { purpose: answer.purpose, text: answer.text, tier: answer.tier } : null,
      };
    });
}
