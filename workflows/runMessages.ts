import { ApplicationFailure, condition, setHandler } from '@temporalio/workflow';
import { formProblems } from '../playbooks/formCheck';
import { activeNodeIds, answerStatus, mayCompleteTask, nextTimer } from '../playbooks/runtime';
import { operate } from '../playbooks/runtime/operations';
import type { AnswerStatus, OpenAnswer } from '../playbooks/runtime/types';
import {
  ANSWER_NOT_OPEN,
  answerStatusQuery,
  completeTaskUpdate,
  customerAnswerUpdate,
  customerResponseSignal,
  incidentUpdate,
  OPERATION_REFUSED,
  operateUpdate,
  reassignTaskUpdate,
  runViewQuery,
  snapshotQuery,
  type AttemptSnapshot,
  type IncidentRequest,
  type OperationRequest,
  type OperationResult,
  type AnswerStatusQuery,
  type CompleteTaskRequest,
  type CompleteTaskResult,
  type CustomerAnswerRequest,
  type CustomerAnswerResult,
  type CustomerResponse,
  type ReassignTaskRequest,
  type RunView,
} from './contract';
import { operationOf, type RunDriver } from './runDriver';

/**
 * The run's messages, one short handler each. A validator refuses a request before it enters the
 * history; a handler turns an accepted request into a runtime event for the driver and, for an
 * Update, answers only once the driver has applied and stored it. No handler changes the run state
 * itself: the driver does, one event at a time.
 */

const taskNotOpen = (taskKey: string) => ApplicationFailure.create({ type: 'task_not_open', message: `task ${taskKey} is not open`, nonRetryable: true });

const notOpen = (status: AnswerStatus) =>
  ApplicationFailure.create({
    type: ANSWER_NOT_OPEN,
    message: status.open ? 'the answer is open' : `this request is ${status.reason}`,
    details: [status],
    nonRetryable: true,
  });

/** A link answer is open only for this attempt: a link of an earlier attempt of the same customer is closed. */
const statusOf = (run: RunDriver, attemptId: string, answers: CustomerAnswerRequest['answers']): AnswerStatus =>
  attemptId === run.input.attemptId ? answerStatus(run.state, answers) : { open: false, reason: 'closed' };

/** completeTask Update: a person completes an open task with one of its outcomes and a valid form. */
const completeTask = {
  validate(run: RunDriver, req: CompleteTaskRequest): void {
    const task = run.state.tasks[req.taskKey];
    if (!task || run.completing.has(req.taskKey)) throw taskNotOpen(req.taskKey);
    if (!task.outcomes.some((o) => o.key === req.outcome)) {
      throw ApplicationFailure.create({
        type: 'outcome_not_allowed',
        message: `outcome "${req.outcome}" is not one of ${task.outcomes.map((o) => o.key).join(', ')}`,
        nonRetryable: true,
      });
    }
    if (!mayCompleteTask(req.actor, task)) {
      throw ApplicationFailure.create({ type: 'not_allowed', message: `${req.actor.userId} may not complete this task`, nonRetryable: true });
    }
    // Zod-free, as strict as the API's formSchema: the workflow bundle carries no schema library.
    const problems = formProblems(task.form, req.form);
    if (problems.length) {
      throw ApplicationFailure.create({ type: 'invalid_form', message: 'the form is not valid', details: [problems], nonRetryable: true });
    }
  },
  async handle(run: RunDriver, req: CompleteTaskRequest): Promise<CompleteTaskResult> {
    // Check again in the handler: on replay the SDK does not run validators, and the handler must still refuse.
    completeTask.validate(run, req);
    run.completing.add(req.taskKey);
    const ticket = run.enqueue({ type: 'task_completed', at: Date.now(), taskKey: req.taskKey, outcome: req.outcome, form: req.form, actor: req.actor });
    // Answer only once the completion and its consequences are applied and stored.
    await run.untilApplied(ticket);
    run.throwIfRefused(ticket);
    return { taskKey: req.taskKey, outcome: req.outcome, status: run.state.status, activeNodeIds: activeNodeIds(run.state) };
  },
};

/** reassignTask Update: a manager of the task's department hands an open task to someone else. */
const reassignTask = {
  validate(run: RunDriver, req: ReassignTaskRequest): void {
    const task = run.state.tasks[req.taskKey];
    if (!task || run.completing.has(req.taskKey)) throw taskNotOpen(req.taskKey);
    const manages =
      req.actor.role === 'admin' ||
      req.actor.role === 'ops_manager' ||
      (req.actor.role === 'department_head' && (task.assignee.department === null || task.assignee.department === req.actor.department));
    if (!manages) throw ApplicationFailure.create({ type: 'not_allowed', message: `${req.actor.userId} may not reassign this task`, nonRetryable: true });
  },
  async handle(run: RunDriver, req: ReassignTaskRequest): Promise<{ taskKey: string; userId: string | null }> {
    reassignTask.validate(run, req);
    const ticket = run.enqueue({ type: 'task_reassigned', at: Date.now(), taskKey: req.taskKey, userId: req.userId, actor: req.actor, reason: req.reason });
    await run.untilApplied(ticket);
    return { taskKey: req.taskKey, userId: req.userId };
  },
};

/** customerAnswer Update: the customer answers through a signed link, which is open only while the run waits for it. */
const customerAnswer = {
  validate(run: RunDriver, req: CustomerAnswerRequest): OpenAnswer {
    const status = statusOf(run, req.attemptId, req.answers);
    if (!status.open) throw notOpen(status);
    if (run.seenResponseIds.has(req.responseId)) throw notOpen({ open: false, reason: 'closed' });
    return status.answer;
  },
  async handle(run: RunDriver, req: CustomerAnswerRequest): Promise<CustomerAnswerResult> {
    const answer = customerAnswer.validate(run, req);
    run.seenResponseIds.add(req.responseId);
    const ticket = run.enqueue({
      type: 'customer_responded',
      at: Date.now(),
      kind: req.kind,
      channel: req.channel,
      note: req.note,
      actor: req.actor,
      answers: req.answers,
    });
    await run.untilApplied(ticket);
    const stale = run.takeStaleAnswer(ticket);
    if (stale) throw notOpen(stale);
    run.throwIfRefused(ticket);
    return { answer, status: run.state.status };
  },
};

/** customerResponse Signal: a response recorded by staff or a channel; nobody waits for its answer. */
const customerResponse = {
  handle(run: RunDriver, response: CustomerResponse): void {
    if (run.seenResponseIds.has(response.responseId)) return; // a redelivered answer counts once
    run.seenResponseIds.add(response.responseId);
    run.enqueue({ type: 'customer_responded', at: Date.now(), kind: response.kind, channel: response.channel, note: response.note, actor: response.actor });
  },
};

/** answerStatus Query: whether a link's answer is still open, for the answer page. */
const answerStatusOf = {
  handle: (run: RunDriver, q: AnswerStatusQuery): AnswerStatus => statusOf(run, q.attemptId, q.answers),
};

/** runView Query: where the run is, for the run page. */
const runView = {
  handle(run: RunDriver): RunView {
    const { state } = run;
    const { plan } = run;
    return {
      status: state.status,
      activeSteps: Object.values(state.steps).map((s) => ({
        stepId: s.stepId,
        nodeId: s.nodeId,
        name: plan.nodes[s.nodeId]?.name ?? s.nodeId,
        kind: plan.nodes[s.nodeId]?.kind ?? '',
        enteredAt: s.enteredAt,
      })),
      openTasks: Object.values(state.tasks),
      variables: state.vars,
      nextTimer: nextTimer(state),
      visits: state.visits,
      outcome: state.outcome,
    };
  },
};

const refused = (code: string, message: string, problems: unknown[] = [{ code, message }]) =>
  ApplicationFailure.create({ type: OPERATION_REFUSED, message, details: [{ code, problems }], nonRetryable: true });

/** Who may operate an attempt: the same roles the API lets through (ops managers and admins). */
const OPERATORS = ['admin', 'ops_manager'];

/** operate Update: an operator cancels, moves a step, changes a variable or migrates the attempt. */
const operateAttempt = {
  validate(run: RunDriver, req: OperationRequest): void {
    if (!OPERATORS.includes(req.actor.role)) throw refused('not_allowed', `${req.actor.userId} may not operate attempts`);
    if (!req.reason?.trim()) throw refused('reason_required', 'say why: every repair is audited with its reason');
    if (run.incident) throw refused('incident_open', 'the attempt has an open incident: retry or skip it first');
    if (req.expectedTransition !== undefined && req.expectedTransition !== run.transition) {
      throw refused('attempt_moved', `the attempt has moved since you looked (transition ${run.transition}, not ${req.expectedTransition}): look again`);
    }
    const op = req.operation;
    if (op.type === 'migrate') {
      if (op.to.playbook.key !== run.playbook.key) throw refused('other_playbook', `an attempt of ${run.playbook.key} cannot move to ${op.to.playbook.key}`);
      if (op.to.playbook.version === run.playbook.version) throw refused('same_version', `the attempt already follows version ${run.playbook.version}`);
    }
    const verdict = operate(run.plan, run.state, operationOf(req), { operationId: req.operationId, actor: req.actor, reason: req.reason, at: Date.now() });
    if (!verdict.ok) throw refused(verdict.code, verdict.reason, verdict.problems);
  },
  async handle(run: RunDriver, req: OperationRequest): Promise<OperationResult> {
    operateAttempt.validate(run, req);
    const ticket = run.enqueue({ type: 'operation', at: Date.now(), request: req });
    await run.untilApplied(ticket);
    run.throwIfRefused(ticket);
    return run.takeOperationResult(ticket)!;
  },
};

/** resolveIncident Update: retry the refused write, or go on without it; the driver waits for this. */
const resolveIncident = {
  validate(run: RunDriver, req: IncidentRequest): void {
    if (!OPERATORS.includes(req.actor.role)) throw refused('not_allowed', `${req.actor.userId} may not resolve incidents`);
    if (!req.reason?.trim()) throw refused('reason_required', 'say why: every repair is audited with its reason');
    if (run.incident?.incidentId !== req.incidentId) throw refused('no_such_incident', 'this incident is not open (resolved already, or another one)');
  },
  async handle(run: RunDriver, req: IncidentRequest): Promise<{ incidentId: string; action: IncidentRequest['action'] }> {
    resolveIncident.validate(run, req);
    run.answerIncident(req);
    await condition(() => run.incident?.incidentId !== req.incidentId);
    return { incidentId: req.incidentId, action: req.action };
  },
};

/** attemptSnapshot Query: the full state, for an operator's view and a migration's dry run. */
const snapshot = {
  handle: (run: RunDriver): AttemptSnapshot => ({
    state: run.state,
    playbook: run.playbook,
    planHash: run.plan.hash,
    transition: run.transition,
    incident: run.incident,
  }),
};

/**
 * The message table: each message of the contract, its handler and, for Updates, its validator.
 * Keep the order: messages that arrived before the handlers existed are delivered as each handler is
 * set, so the order decides their tickets, and replay needs the same tickets.
 */
export function registerRunMessages(run: RunDriver): void {
  setHandler(completeTaskUpdate, (req) => completeTask.handle(run, req), { validator: (req) => completeTask.validate(run, req) });
  setHandler(reassignTaskUpdate, (req) => reassignTask.handle(run, req), { validator: (req) => reassignTask.validate(run, req) });
  setHandler(customerResponseSignal, (response) => customerResponse.handle(run, response));
  setHandler(customerAnswerUpdate, (req) => customerAnswer.handle(run, req), {
    validator: (req) => {
      customerAnswer.validate(run, req);
    },
  });
  setHandler(answerStatusQuery, (q) => answerStatusOf.handle(run, q));
  setHandler(operateUpdate, (req) => operateAttempt.handle(run, req), { validator: (req) => operateAttempt.validate(run, req) });
  setHandler(incidentUpdate, (req) => resolveIncident.handle(run, req), { validator: (req) => resolveIncident.validate(run, req) });
  setHandler(snapshotQuery, () => snapshot.handle(run));
  setHandler(runViewQuery, () => runView.handle(run));
}
