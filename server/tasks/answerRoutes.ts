import { randomUUID } from 'node:crypto';
import { customerAnswerUpdate, customerResponseSignal, type CustomerAnswerRequest } from '../../workflows/contract';
import { reachableAttempt } from '../access';
import type { Deps } from '../deps';
import { ApiError, conflict, invalid } from '../errors';
import { actorOf, route, type RouteDef } from '../http';
import { mapUpdateError, temporalUnavailable } from '../temporalErrors';
import { AnswerRecorded, OpenAnswers, RecordAnswerBody } from '../../contract/inbox';
import { INBOX_READERS, WORKERS } from '../../contract/roles';
import { attemptHandle, attemptRef, openAnswersOf } from './answers';

/**
 * Recording the customer's answer from the inbox: a rep on the phone says what the customer answered
 * to the step the attempt waits on. It reaches the run as a link answer does (the customerAnswer Update,
 * bound to the exact tier or agreement), so it moves the run, and the worker audits it with the rep as
 * the actor and logs it as a contact. What the run would not take is refused here, never stored aside.
 */
export function answerRoutes({ pool, temporal, log }: Deps): RouteDef[] {
  async function open(user: Parameters<typeof reachableAttempt>[1], attemptId: string) {
    const attempt = attemptRef(await reachableAttempt(pool, user, attemptId));
    try {
      return { attempt, answers: await openAnswersOf(pool, temporal, attempt) };
    } catch (err) {
      const mapped = temporalUnavailable(err) ?? mapUpdateError(err);
      // The run closed between reading the row and asking it: nothing is open.
      if (mapped instanceof ApiError && mapped.code === 'run_not_running') return { attempt, answers: [] };
      throw mapped instanceof ApiError ? mapped : err;
    }
  }

  return [
    route({
      method: 'get',
      path: '/api/attempts/:id/open-answers',
      summary: "The answers the attempt's waiting steps would take now (offer tier, agreement, wait for answer), for recording one",
      tag: 'inbox',
      access: INBOX_READERS,
      response: OpenAnswers,
      errors: { 404: 'no such attempt' },
      async handle({ user, params }) {
        const { attempt, answers } = await open(user, params.id);
        return { attemptId: attempt.id, status: attempt.status, answers };
      },
    }),
    route<RecordAnswerBody>({
      method: 'post',
      path: '/api/attempts/:id/answers',
      summary: "Record the customer's answer to the step the attempt waits on; delivered to the run as a link answer is",
      tag: 'inbox',
      access: WORKERS,
      body: RecordAnswerBody,
      response: AnswerRecorded,
      errors: { 404: 'no such attempt', 409: 'the step no longer waits for this answer, or the attempt ended' },
      idempotent: true,
      async handle({ user, params, body, idempotencyKey }) {
        const { attempt, answers } = await open(user, params.id);
        if (attempt.status !== 'running') throw conflict('run_not_running', 'the recovery attempt has already ended');
        const step = answers.find((a) => a.nodeId === body.nodeId);
        if (!step) throw conflict('answer_not_open', `step ${body.nodeId} is not waiting for an answer`, { open: answers.map((a) => a.nodeId) });
        if (body.ref && step.target && step.target.ref !== body.ref)
          throw conflict('answer_not_open', `this has been replaced by "${step.target.text}"`, { current: step.target });
        if (!step.kinds.some((k) => k.key === body.kind))
          throw invalid([{ code: 'answer_kind_not_open', message: `answer must be one of: ${step.kinds.map((k) => k.key).join(', ')}`, path: ['kind'] }]);
        // Keyed by the request's key: a retry delivers once (the Update id and the run's seen response ids).
        const responseId = `rep:${user.id}:${idempotencyKey ?? randomUUID()}`;
        const handle = attemptHandle(temporal, attempt);
        const note = body.note ? body.note : null;
        try {
          if (step.target) {
            const request: CustomerAnswerRequest = {
              responseId,
              attemptId: attempt.id,
              answers: { purpose: step.target.purpose, ref: step.target.ref, nodeId: step.nodeId },
              kind: body.kind,
              channel: body.channel,
              note,
              actor: actorOf(user),
            };
            const result = await handle.executeUpdate(customerAnswerUpdate, { args: [request], updateId: responseId });
            return { attemptId: attempt.id, nodeId: step.nodeId, kind: body.kind, responseId, delivery: 'update', status: result.status };
          }
          // A wait-for-answer step takes any listed kind: the Signal every staff-recorded answer uses.
          await handle.signal(customerResponseSignal, { responseId, kind: body.kind, channel: body.channel, note, actor: actorOf(user) });
          return { attemptId: attempt.id, nodeId: step.nodeId, kind: body.kind, responseId, delivery: 'signal', status: 'running' };
        } catch (err) {
          const mapped = mapUpdateError(err);
          if (mapped instanceof ApiError) throw mapped;
          log.error({ err: String(err), attemptId: attempt.id }, 'recording the answer failed');
          throw err;
        }
      },
    }),
  ];
}
