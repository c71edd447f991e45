import {
  ApplicationFailure,
  CancellationScope,
  allHandlersFinished,
  condition,
  continueAsNew,
  isCancellation,
  log,
  patched,
  proxyActivities,
  proxyLocalActivities,
  proxySinks,
  sleep,
  upsertSearchAttributes,
  workflowInfo,
  type ActivityOptions,
} from '@temporalio/workflow';
import { activeNodeIds, answerStatus, applyEvent, startRun } from '../playbooks/runtime';
import { operate, type Operation } from '../playbooks/runtime/operations';
import { waitsOf } from '../playbooks/runtime/waits';
import type { CompiledPlan } from '../playbooks/plan';
import type { AnswerStatus, Command, RunEvent, RunState } from '../playbooks/runtime/types';
import {
  INCIDENT_FAILURE,
  type AttemptStateSinks,
  type Incident,
  type IncidentRequest,
  type OperationRequest,
  type OperationResult,
  type PlaybookRunInput,
  type RunOutcome,
} from './contract';
import type { Activities, AttemptIdentity } from './activityContract';
import { CURRENT_STEP, OUTCOME, PLAYBOOK_VERSION } from './searchAttributes';

// Postgres may be down for a while: keep retrying; every activity is idempotent, so retries are safe.
// A write Postgres refuses by its rules fails at once instead (an incident), see carryOut.
const STORE_OPTIONS: ActivityOptions = {
  startToCloseTimeout: '30 seconds',
  retry: { initialInterval: '1 second', maximumInterval: '1 minute', backoffCoefficient: 2, nonRetryableErrorTypes: [INCIDENT_FAILURE] },
};
const { persistTransition, recordIncident, settleIncident } = proxyActivities<Activities>(STORE_OPTIONS);
/**
 * The same store for a transition a person is waiting on (a rep's completion, a customer's answer,
 * an operator's repair): dispatched first (Temporal's task-queue priority, 1 is highest, default 3),
 * so a burst of new attempts' first transitions queues behind them instead of in front. Used by
 * runs recorded before STORE_LOCALLY (below), on replay and until their next transition.
 */
const { persistTransition: persistTransitionSomeoneAwaits } = proxyActivities<Activities>({ ...STORE_OPTIONS, priority: { priorityKey: 1 } });
/**
 * Runs from the first transition after STORE_LOCALLY was deployed: the store runs as a local
 * activity, in the worker that just decided the transition, inside the same workflow task. That
 * takes the activity's dispatch off the path from a rep's completion or a customer's answer to the
 * next task (schedule, match, poll, complete: more server round trips, and about six more history
 * events per transition). It is as durable: the workflow task completes only after the store
 * committed, a worker dying before that makes the task run again elsewhere and the store (idempotent
 * by transition) run again; retries past a minute wait on a workflow timer, so PostgreSQL being down
 * is still retried for ever. Histories recorded before take the activity path on replay (patched).
 */
const { storeTransition } = proxyLocalActivities<Activities>(STORE_OPTIONS);
const STORE_LOCALLY = 'store-transition-locally';

const { attemptState } = proxySinks<AttemptStateSinks>();

/** An operator's request, queued like any event so it applies between two transitions, never inside one. */
interface OperationEvent {
  type: 'operation';
  at: number;
  request: OperationRequest;
}

/** The runtime's operation for a request: a migration carries the new plan, resolved here once. */
export function operationOf(req: OperationRequest): Operation {
  const op = req.operation;
  if (op.type !== 'migrate') return op;
  return { type: 'migrate', toPlan: op.to.plan, toVersion: op.to.playbook.version, mapping: op.mapping };
}

/** Events per run before the history is handed to a fresh run (continue-as-new). */
const TRANSITIONS_PER_RUN = 500;

/** The workflow's signature, for continue-as-new (named here so the driver need not import the workflow). */
type PlaybookRunWorkflow = (input: PlaybookRunInput) => Promise<RunOutcome>;

/**
 * One recovery attempt's driver: the Temporal shell around the pure runtime. Message handlers only
 * validate and enqueue events; the driver applies them one at a time in ticket order, turns the
 * runtime's commands into timers and one idempotent persistence activity per transition, and hands
 * over to a fresh run when the history grows. Applying one event at a time is what makes the
 * handlers safe: none of them touches the run state while another event is half-applied.
 *
 * Replay depends on the order of commands, so `drive` keeps its awaits exactly where they were:
 * only synchronous steps are factored out of it.
 */
export class RunDriver {
  readonly input: PlaybookRunInput;
  state: RunState;
  /** The plan and version the attempt follows: pinned at its start, changed only by a migration. */
  plan: CompiledPlan;
  playbook: PlaybookRunInput['playbook'];
  /** A write the database refused: the attempt waits here for an operator (see carryOut). */
  incident: Incident | null = null;
  private incidentAction: IncidentRequest | null = null;
  /** Answers already counted, so a redelivered customer response counts once (kept across handovers). */
  readonly seenResponseIds: Set<string>;
  /** Tasks whose completion is accepted but not yet applied: a second submit must be refused. */
  readonly completing = new Set<string>();
  private readonly queue: { event: RunEvent | OperationEvent; ticket: number }[] = [];
  /** What each applied operation did, by ticket, for the Update that asked for it. */
  private readonly operationResults = new Map<number, OperationResult>();
  private readonly timers = new Map<string, CancellationScope>();
  /** Events the runtime refused, by ticket, so the Update that sent one fails instead of lying. */
  private readonly refusals = new Map<number, string>();
  /** Link answers that were open when accepted but not by the time their turn came (an earlier event closed them). */
  private readonly staleAnswers = new Map<number, AnswerStatus>();
  private enqueued = 0;
  private incidents = 0;
  private applied = 0;
  private transitions: number;
  private readonly transitionsAtStart: number;
  /** The commands of the first step (none when resuming: a resumed run carries on where it was). */
  private readonly firstCommands: Command[];

  constructor(input: PlaybookRunInput) {
    this.input = input;
    this.plan = input.plan;
    this.playbook = input.playbook;
    this.seenResponseIds = new Set<string>(input.resume?.seenResponseIds ?? []);
    this.transitions = input.resume?.transitions ?? 0;
    this.transitionsAtStart = this.transitions;
    if (input.resume) {
      this.state = input.resume.state;
      this.firstCommands = [];
      // Timers do not survive continue-as-new: re-arm each for what is left of it.
      for (const [timerKey, timer] of Object.entries(this.state.timers)) {
        this.armTimer(timerKey, Math.max(1, timer.firesAt - Date.now()));
      }
    } else {
      const vars = { ...input.variables, customer: { ...input.customer } };
      try {
        ({ state: this.state, commands: this.firstCommands } = startRun(input.plan, vars, Date.now()));
      } catch (err) {
        // A plan the runtime refuses at its first step (e.g. an invalid time): fail the run clearly
        // instead of retrying the workflow task for ever.
        throw ApplicationFailure.create({ type: 'runtime_error', message: `the playbook cannot start: ${String(err)}`, nonRetryable: true });
      }
    }
  }

  /** Queues an event for the driver; the ticket tells its sender when it has been applied. */
  enqueue(event: RunEvent | OperationEvent): number {
    this.queue.push({ event, ticket: ++this.enqueued });
    return this.enqueued;
  }

  /** Resolves once the event with this ticket, and its consequences, are applied and stored. */
  untilApplied(ticket: number): Promise<void> {
    return condition(() => this.applied >= ticket);
  }

  /** Throws the runtime's refusal of this ticket's event, if it refused it (once). */
  throwIfRefused(ticket: number): void {
    const refusal = this.refusals.get(ticket);
    if (refusal !== undefined) {
      this.refusals.delete(ticket);
      throw ApplicationFailure.create({ type: 'runtime_error', message: refusal, nonRetryable: true });
    }
  }

  /** Why this ticket's link answer was not applied, if it was closed by an event ahead of it (once). */
  takeStaleAnswer(ticket: number): AnswerStatus | undefined {
    const stale = this.staleAnswers.get(ticket);
    this.staleAnswers.delete(ticket);
    return stale;
  }

  /** What an applied operation did (once), for its Update's answer. */
  takeOperationResult(ticket: number): OperationResult | undefined {
    const result = this.operationResults.get(ticket);
    this.operationResults.delete(ticket);
    return result;
  }

  /** The transitions this attempt has stored so far: a dry run names the one it looked at. */
  get transition(): number {
    return this.transitions;
  }

  /** An operator's answer to the open incident; the driver, blocked on it, carries it out. */
  answerIncident(req: IncidentRequest): void {
    this.incidentAction = req;
  }

  /** Runs the attempt to its outcome, or to a handover to a fresh run. */
  async drive(): Promise<RunOutcome> {
    // A resumed run stores nothing before its first event: report where it is for a replay's proof.
    if (this.input.resume) this.report();
    await this.carryOut(this.firstCommands);
    while (this.state.status === 'running') {
      await condition(() => this.queue.length > 0);
      const { event, ticket } = this.queue.shift()!;
      if (event.type === 'operation') {
        await this.carryOut(this.applyOperation(event, ticket), true);
        this.applied = ticket;
        continue;
      }
      if (this.isStaleAnswer(event, ticket)) {
        this.applied = ticket;
        continue;
      }
      const commands = this.apply(event, ticket);
      if (event.type === 'task_completed') this.completing.delete(event.taskKey);
      await this.carryOut(commands, event.type !== 'timer_fired');
      this.applied = ticket;
      if (this.dueForHandover()) {
        return continueAsNew<PlaybookRunWorkflow>({
          ...this.input,
          plan: this.plan,
          playbook: this.playbook,
          resume: { state: this.state, seenResponseIds: [...this.seenResponseIds].slice(-200), transitions: this.transitions },
        });
      }
    }
    await condition(allHandlersFinished);
    return { outcome: this.state.outcome!.outcome, reason: this.state.outcome!.reason };
  }

  /** A link answer accepted while open, which an event ahead of it in the queue may have closed since. */
  private isStaleAnswer(event: RunEvent, ticket: number): boolean {
    if (event.type !== 'customer_responded' || !event.answers) return false;
    const status = answerStatus(this.state, event.answers);
    if (status.open) return false;
    this.staleAnswers.set(ticket, status);
    return true;
  }

  /**
   * Applies an operator's operation through the pure runtime. The Update's validator already asked
   * the same question, but events queued ahead of it may have moved the attempt: then it is refused
   * here, with the runtime's reason, and nothing changes.
   */
  private applyOperation(event: OperationEvent, ticket: number): Command[] {
    const { request } = event;
    const verdict = operate(this.plan, this.state, operationOf(request), {
      operationId: request.operationId,
      actor: request.actor,
      reason: request.reason,
      at: event.at,
    });
    if (!verdict.ok) {
      this.refusals.set(ticket, verdict.reason);
      return [];
    }
    this.state = verdict.state;
    if (request.operation.type === 'migrate') {
      this.plan = verdict.plan;
      this.playbook = request.operation.to.playbook;
      upsertSearchAttributes([{ key: PLAYBOOK_VERSION, value: this.playbook.version }]);
    }
    this.operationResults.set(ticket, {
      operationId: request.operationId,
      status: this.state.status,
      activeNodeIds: activeNodeIds(this.state),
      playbookVersion: this.playbook.version,
      transition: this.transitions + 1,
      effects: verdict.effects,
      steps: verdict.steps,
    });
    return verdict.commands;
  }

  /** Applies one event to the pure runtime and returns its commands. */
  private apply(event: RunEvent, ticket: number): Command[] {
    try {
      const next = applyEvent(this.plan, this.state, event);
      this.state = next.state;
      return next.commands;
    } catch (err) {
      // A plan the compiler let through but the runtime cannot follow: keep the run alive and visible.
      log.error('runtime refused an event', { event: event.type, error: String(err) });
      this.refusals.set(ticket, String(err));
      return [];
    }
  }

  /**
   * Hand over to a fresh run before the history grows large, but never with work in flight:
   * a queued event or an Update still waiting for its answer would be lost.
   */
  private dueForHandover(): boolean {
    const due =
      workflowInfo().continueAsNewSuggested || this.transitions - this.transitionsAtStart >= (this.input.limits?.transitionsPerRun ?? TRANSITIONS_PER_RUN);
    return this.state.status === 'running' && due && this.queue.length === 0 && allHandlersFinished();
  }

  private armTimer(timerKey: string, ms: number): void {
    const scope = new CancellationScope();
    this.timers.set(timerKey, scope);
    scope
      .run(() => sleep(ms))
      .then(
        () => {
          this.timers.delete(timerKey);
          this.enqueue({ type: 'timer_fired', at: Date.now(), timerKey });
        },
        (err) => {
          if (!isCancellation(err)) throw err;
        },
      );
  }

  /** Timers are the workflow's; every other command is stored by one persistence activity per transition. */
  private async carryOut(cmds: Command[], someoneAwaits = false): Promise<void> {
    for (const cmd of cmds) {
      if (cmd.type === 'start_timer') this.armTimer(cmd.timerKey, cmd.durationMs);
      if (cmd.type === 'cancel_timer') {
        this.timers.get(cmd.timerKey)?.cancel();
        this.timers.delete(cmd.timerKey);
      }
    }
    this.transitions += 1;
    const attempt = this.identity();
    const transition = {
      attempt,
      transition: this.transitions,
      commands: cmds.filter((c) => c.type !== 'start_timer' && c.type !== 'cancel_timer'),
      currentNodeIds: activeNodeIds(this.state),
      variables: this.state.vars,
      waits: waitsOf(this.plan, this.state),
    };
    await this.persisted(transition, someoneAwaits);
    upsertSearchAttributes([
      { key: CURRENT_STEP, value: activeNodeIds(this.state).join(',') || (this.state.outcome ? 'end' : '') },
      ...(this.state.outcome ? [{ key: OUTCOME, value: this.state.outcome.outcome }] : []),
    ]);
    this.report();
  }

  private identity(): AttemptIdentity {
    const { input } = this;
    return {
      attemptId: input.attemptId,
      workflowId: workflowInfo().workflowId,
      customerId: input.customer.id,
      playbookKey: this.playbook.key,
      playbookVersion: this.playbook.version,
      startedBy: input.startedBy.userId,
      firstRunId: workflowInfo().firstExecutionRunId,
    };
  }

  /**
   * Stores one transition. Postgres being down is retried for ever (by the activity's policy); a
   * write it refuses by its rules (a value out of range, a broken reference) would fail the same
   * way for ever, so it becomes an incident: recorded for the operator's list, and the attempt
   * waits until someone retries (after fixing the cause) or skips the write (its rows are then not
   * written; the skip and its reason are audited).
   */
  private async persisted(transition: Parameters<Activities['persistTransition']>[0], someoneAwaits: boolean): Promise<void> {
    for (;;) {
      try {
        if (patched(STORE_LOCALLY)) await storeTransition(transition);
        else await (someoneAwaits ? persistTransitionSomeoneAwaits : persistTransition)(transition);
        return;
      } catch (err) {
        const refused = incidentOf(err);
        if (!refused) throw err;
        const incident: Incident = {
          incidentId: `${workflowInfo().runId}-${transition.transition}-${++this.incidents}`,
          code: refused.code,
          message: refused.message,
          nodeIds: transition.currentNodeIds,
          transition: transition.transition,
          at: Date.now(),
        };
        this.incident = incident;
        await recordIncident({ attempt: transition.attempt, incident });
        await condition(() => this.incidentAction?.incidentId === incident.incidentId);
        const action = this.incidentAction!;
        this.incidentAction = null;
        await settleIncident({
          attempt: transition.attempt,
          incidentId: incident.incidentId,
          action: action.action,
          actor: action.actor,
          reason: action.reason,
        });
        this.incident = null;
        if (action.action === 'skip') return;
      }
    }
  }

  /**
   * Only while replaying: a proof replays the history to learn the state (its sink keeps the last
   * report), while a live run answers the snapshot Query instead, so it pays nothing per transition.
   * Whether to report never changes a command, so it is safe to ask here.
   */
  private report(): void {
    if (!workflowInfo().unsafe.isReplaying) return;
    attemptState.reported({ state: this.state, playbook: this.playbook, planHash: this.plan.hash, transition: this.transitions, incident: this.incident });
  }
}

/** The database's refusal inside an activity failure, if that is what failed. */
function incidentOf(err: unknown): { code: string; message: string } | null {
  let cause: unknown = err;
  for (let depth = 0; cause && depth < 4; depth++) {
    const failure = cause as { type?: string; message?: string; details?: unknown[]; cause?: unknown };
    if (failure.type === INCIDENT_FAILURE) {
      const detail = (failure.details?.[0] ?? {}) as { code?: string };
      return { code: String(detail.code ?? 'refused'), message: failure.message ?? 'the database refused the write' };
    }
    cause = failure.cause;
  }
  return null;
}
