import {
  ApplicationFailure,
  CancellationScope,
  allHandlersFinished,
  condition,
  continueAsNew,
  isCancellation,
  log,
  proxyActivities,
  setHandler,
  sleep,
  upsertSearchAttributes,
  workflowInfo,
} from '@temporalio/workflow';
import { formSchema } from '../playbooks/form';
import { activeNodeIds, answerStatus, applyEvent, mayCompleteTask, nextTimer, startRun } from '../playbooks/runtime';
import type { AnswerStatus, Command, OpenAnswer, RunEvent, RunState } from '../playbooks/runtime/types';
import {
  ANSWER_NOT_OPEN,
  answerStatusQuery,
  completeTaskUpdate,
  customerAnswerUpdate,
  customerResponseSignal,
  reassignTaskUpdate,
  runViewQuery,
  type CompleteTaskRequest,
  type CustomerAnswerRequest,
  type ReassignTaskRequest,
  type PlaybookRunInput,
  type RunOutcome,
} from './contract';
import type { Activities } from './activityContract';
import { CURRENT_STEP, OUTCOME } from './searchAttributes';

// Postgres may be down for a while: keep retrying; every activity is idempotent, so retries are safe.
const { persistTransition } = proxyActivities<Activities>({
  startToCloseTimeout: '30 seconds',
  retry: { initialInterval: '1 second', maximumInterval: '1 minute', backoffCoefficient: 2 },
});

/** Events per run before the history is handed to a fresh run (continue-as-new). */
const TRANSITIONS_PER_RUN = 500;

/**
 * A recovery attempt: the Temporal shell around the pure runtime. It turns timers, Updates and
 * Signals into runtime events, and the runtime's commands into timers and one idempotent
 * persistence activity per transition.
 */
export async function playbookRun(input: PlaybookRunInput): Promise<RunOutcome> {
  const { plan } = input;
  const queue: { event: RunEvent; ticket: number }[] = [];
  const timers = new Map<string, CancellationScope>();
  const seenResponseIds = new Set<string>(input.resume?.seenResponseIds ?? []);
  /** Tasks whose completion is accepted but not yet applied: a second submit must be refused. */
  const completing = new Set<string>();
  /** Events the runtime refused, by ticket, so the Update that sent one fails instead of lying. */
  const refusals = new Map<number, string>();
  /** Link answers that were open when accepted but not by the time their turn came (an earlier event closed them). */
  const staleAnswers = new Map<number, AnswerStatus>();
  let enqueued = 0;
  let applied = 0;
  let transitions = input.resume?.transitions ?? 0;
  const transitionsAtStart = transitions;
  let state: RunState;
  let commands: Command[];

  if (input.resume) {
    state = input.resume.state;
    commands = [];
    // Timers do not survive continue-as-new: re-arm each for what is left of it.
    for (const [timerKey, timer] of Object.entries(state.timers)) {
      armTimer(timerKey, Math.max(1, timer.firesAt - Date.now()));
    }
  } else {
    const vars = { ...input.variables, customer: { ...input.customer } };
    try {
      ({ state, commands } = startRun(plan, vars, Date.now()));
    } catch (err) {
      // A plan the runtime refuses at its first step (e.g. an invalid time): fail the run clearly
      // instead of retrying the workflow task for ever.
      throw ApplicationFailure.create({ type: 'runtime_error', message: `the playbook cannot start: ${String(err)}`, nonRetryable: true });
    }
  }

  const enqueue = (event: RunEvent): number => {
    queue.push({ event, ticket: ++enqueued });
    return enqueued;
  };

  function checkCompletion(req: CompleteTaskRequest): void {
    const task = state.tasks[req.taskKey];
    if (!task || completing.has(req.taskKey)) {
      throw ApplicationFailure.create({ type: 'task_not_open', message: `task ${req.taskKey} is not open`, nonRetryable: true });
    }
    if (!task.outcomes.some((o) => o.key === req.outcome)) {
      throw ApplicationFailure.create({ type: 'outcome_not_allowed', message: `outcome "${req.outcome}" is not one of ${task.outcomes.map((o) => o.key).join(', ')}`, nonRetryable: true });
    }
    if (!mayCompleteTask(req.actor, task)) {
      throw ApplicationFailure.create({ type: 'not_allowed', message: `${req.actor.userId} may not complete this task`, nonRetryable: true });
    }
    const form = formSchema(task.form).safeParse(req.form);
    if (!form.success) {
      throw ApplicationFailure.create({ type: 'invalid_form', message: 'the form is not valid', details: [form.error.issues.map((i) => ({ path: i.path.map(String), message: i.message }))], nonRetryable: true });
    }
  }

  setHandler(
    completeTaskUpdate,
    async (req) => {
      checkCompletion(req);
      completing.add(req.taskKey);
      const ticket = enqueue({ type: 'task_completed', at: Date.now(), taskKey: req.taskKey, outcome: req.outcome, form: req.form, actor: req.actor });
      // Answer only once the completion and its consequences are applied and stored.
      await condition(() => applied >= ticket);
      const refusal = refusals.get(ticket);
      if (refusal !== undefined) {
        refusals.delete(ticket);
        throw ApplicationFailure.create({ type: 'runtime_error', message: refusal, nonRetryable: true });
      }
      return { taskKey: req.taskKey, outcome: req.outcome, status: state.status, activeNodeIds: activeNodeIds(state) };
    },
    { validator: checkCompletion },
  );

  function checkReassign(req: ReassignTaskRequest): void {
    if (!state.tasks[req.taskKey] || completing.has(req.taskKey)) {
      throw ApplicationFailure.create({ type: 'task_not_open', message: `task ${req.taskKey} is not open`, nonRetryable: true });
    }
    const task = state.tasks[req.taskKey];
    const manages = req.actor.role === 'admin' || req.actor.role === 'ops_manager' || (req.actor.role === 'department_head' && (task.assignee.department === null || task.assignee.department === req.actor.department));
    if (!manages) throw ApplicationFailure.create({ type: 'not_allowed', message: `${req.actor.userId} may not reassign this task`, nonRetryable: true });
  }

  setHandler(
    reassignTaskUpdate,
    async (req) => {
      checkReassign(req);
      const ticket = enqueue({ type: 'task_reassigned', at: Date.now(), taskKey: req.taskKey, userId: req.userId, actor: req.actor, reason: req.reason });
      await condition(() => applied >= ticket);
      return { taskKey: req.taskKey, userId: req.userId };
    },
    { validator: checkReassign },
  );

  setHandler(customerResponseSignal, (response) => {
    if (seenResponseIds.has(response.responseId)) return; // a redelivered answer counts once
    seenResponseIds.add(response.responseId);
    enqueue({ type: 'customer_responded', at: Date.now(), kind: response.kind, channel: response.channel, note: response.note, actor: response.actor });
  });

  const statusOf = (attemptId: string, answers: CustomerAnswerRequest['answers']): AnswerStatus =>
    attemptId === input.attemptId ? answerStatus(state, answers) : { open: false, reason: 'closed' };
  const notOpen = (status: AnswerStatus) =>
    ApplicationFailure.create({ type: ANSWER_NOT_OPEN, message: status.open ? 'the answer is open' : `this request is ${status.reason}`, details: [status], nonRetryable: true });

  function checkAnswer(req: CustomerAnswerRequest): OpenAnswer {
    const status = statusOf(req.attemptId, req.answers);
    if (!status.open) throw notOpen(status);
    if (seenResponseIds.has(req.responseId)) throw notOpen({ open: false, reason: 'closed' });
    return status.answer;
  }

  setHandler(
    customerAnswerUpdate,
    async (req) => {
      const answer = checkAnswer(req);
      seenResponseIds.add(req.responseId);
      const ticket = enqueue({ type: 'customer_responded', at: Date.now(), kind: req.kind, channel: req.channel, note: req.note, actor: req.actor, answers: req.answers });
      await condition(() => applied >= ticket);
      const stale = staleAnswers.get(ticket);
      staleAnswers.delete(ticket);
      if (stale) throw notOpen(stale);
      const refusal = refusals.get(ticket);
      if (refusal !== undefined) {
        refusals.delete(ticket);
        throw ApplicationFailure.create({ type: 'runtime_error', message: refusal, nonRetryable: true });
      }
      return { answer, status: state.status };
    },
    {
      validator: (req) => {
        checkAnswer(req);
      },
    },
  );

  setHandler(answerStatusQuery, (q) => statusOf(q.attemptId, q.answers));

  setHandler(runViewQuery, () => ({
    status: state.status,
    activeSteps: Object.values(state.steps).map((s) => ({ stepId: s.stepId, nodeId: s.nodeId, name: plan.nodes[s.nodeId]?.name ?? s.nodeId, kind: plan.nodes[s.nodeId]?.kind ?? '', enteredAt: s.enteredAt })),
    openTasks: Object.values(state.tasks),
    variables: state.vars,
    nextTimer: nextTimer(state),
    visits: state.visits,
    outcome: state.outcome,
  }));

  function armTimer(timerKey: string, ms: number): void {
    const scope = new CancellationScope();
    timers.set(timerKey, scope);
    scope
      .run(() => sleep(ms))
      .then(
        () => {
          timers.delete(timerKey);
          enqueue({ type: 'timer_fired', at: Date.now(), timerKey });
        },
        (err) => {
          if (!isCancellation(err)) throw err;
        },
      );
  }

  async function carryOut(cmds: Command[]): Promise<void> {
    for (const cmd of cmds) {
      if (cmd.type === 'start_timer') armTimer(cmd.timerKey, cmd.durationMs);
      if (cmd.type === 'cancel_timer') {
        timers.get(cmd.timerKey)?.cancel();
        timers.delete(cmd.timerKey);
      }
    }
    transitions += 1;
    await persistTransition({
      attempt: {
        attemptId: input.attemptId,
        workflowId: workflowInfo().workflowId,
        customerId: input.customer.id,
        playbookKey: input.playbook.key,
        playbookVersion: input.playbook.version,
        startedBy: input.startedBy.userId,
        firstRunId: workflowInfo().firstExecutionRunId,
      },
      transition: transitions,
      commands: cmds.filter((c) => c.type !== 'start_timer' && c.type !== 'cancel_timer'),
      currentNodeIds: activeNodeIds(state),
      variables: state.vars,
    });
    upsertSearchAttributes([
      { key: CURRENT_STEP, value: activeNodeIds(state).join(',') || (state.outcome ? 'end' : '') },
      ...(state.outcome ? [{ key: OUTCOME, value: state.outcome.outcome }] : []),
    ]);
  }

  await carryOut(commands);
  while (state.status === 'running') {
    await condition(() => queue.length > 0);
    const { event, ticket } = queue.shift()!;
    if (event.type === 'customer_responded' && event.answers) {
      // Accepted while open, but an event ahead of it in the queue may have closed it since.
      const status = answerStatus(state, event.answers);
      if (!status.open) {
        staleAnswers.set(ticket, status);
        applied = ticket;
        continue;
      }
    }
    try {
      ({ state, commands } = applyEvent(plan, state, event));
    } catch (err) {
      // A plan the compiler let through but the runtime cannot follow: keep the run alive and visible.
      log.error('runtime refused an event', { event: event.type, error: String(err) });
      refusals.set(ticket, String(err));
      commands = [];
    }
    if (event.type === 'task_completed') completing.delete(event.taskKey);
    await carryOut(commands);
    applied = ticket;
    // Hand over to a fresh run before the history grows large, but never with work in flight:
    // a queued event or an Update still waiting for its answer would be lost.
    const dueForHandover = workflowInfo().continueAsNewSuggested || transitions - transitionsAtStart >= (input.limits?.transitionsPerRun ?? TRANSITIONS_PER_RUN);
    if (state.status === 'running' && dueForHandover && queue.length === 0 && allHandlersFinished()) {
      return continueAsNew<typeof playbookRun>({ ...input, resume: { state, seenResponseIds: [...seenResponseIds].slice(-200), transitions } });
    }
  }
  await condition(allHandlersFinished);
  return { outcome: state.outcome!.outcome, reason: state.outcome!.reason };
}
