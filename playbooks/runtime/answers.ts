import type { AnswerStatus, AnswerTarget, OpenAnswer, RunState } from './types';

/**
 * "Is this answer for what is open now?" A node kind that sends a link (offer, commitment) keeps the
 * answer it is waiting for in its step data as `awaiting` while, and only while, it would take it.
 * The workflow's Update validator, the link pages, the simulator and the property tests all ask here.
 */
function isOpenAnswer(value: unknown): value is OpenAnswer {
  if (!value || typeof value !== 'object') return false;
  const a = value as Record<string, unknown>;
  return (a.purpose === 'offer' || a.purpose === 'commitment') && typeof a.ref === 'string' && typeof a.nodeId === 'string' && typeof a.stepId === 'string';
}

/** Every answer some step of the run waits for right now. */
export function openAnswers(state: RunState): OpenAnswer[] {
  if (state.status !== 'running') return [];
  return Object.values(state.steps).flatMap((step) => (isOpenAnswer(step.data.awaiting) ? [step.data.awaiting] : []));
}

export function answerStatus(state: RunState, target: AnswerTarget): AnswerStatus {
  const open = openAnswers(state);
  const atNode = (a: OpenAnswer) => a.purpose === target.purpose && (!target.nodeId || a.nodeId === target.nodeId);
  const exact = open.find((a) => atNode(a) && a.ref === target.ref);
  if (exact) return { open: true, answer: exact };
  // The same step (or, for links older than the binding, the same kind of request) asks something else now.
  const current = open.find(atNode);
  return current ? { open: false, reason: 'replaced', current } : { open: false, reason: 'closed' };
}
