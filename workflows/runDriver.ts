import {
  ApplicationFailure,
  CancellationScope,
  allHandlersFinished,
  condition,
  continueAsNew,
  isCancellation,
  log,
  proxyActivities,
  sleep,
  upsertSearchAttributes,
  workflowInfo,
} from '@temporalio/workflow';
import { activeNodeIds, answerStatus, applyEvent, startRun } from '../playbooks/runtime';
import type { AnswerStatus, Command, RunEvent, RunState } from '../playbooks/runtime/types';
import type { PlaybookRunInput, RunOutcome } from './contract';
import type { Activities } from './activityContract';
import { CURRENT_STEP, OUTCOME } from './searchAttributes';

// Postgres may be down for a while: keep retrying; every activity is idempotent, so retries are safe.
const { persistTransition } = proxyActivities<Activities>({
  startToCloseTimeout: '30 seconds',
  retry: { initialInterval: '1 second', maximumInterval: '1 minute', backoffCoefficient: 2 },
});

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
  /** Answers already counted, so a redelivered customer response counts once (kept across handovers). */
  readonly seenResponseIds: Set<string>;
  /** Tasks whose completion is accepted but not yet applied: a second submit must be refused. */
  readonly completing = new Set<string>();
  private readonly queue: { event: RunEvent; ticket: number }[] = [];
  private readonly timers = new Map<string, CancellationScope>();
  /** Events the runtime refused, by ticket, so the Update that sent one fails instead of lying. */
  private readonly refusals = new Map<number, string>();
  /** Link answers that were open when accepted but not by the time their turn came (an earlier event closed them). */
  private readonly staleAnswers = new Map<number, AnswerStatus>();
  private enqueued = 0;
  private applied = 0;
  private transitions: number;
  private readonly transitionsAtStart: number;
  /** The commands of the first step (none when resuming: a resumed run carries on where it was). */
  private readonly firstCommands: Command[];

  constructor(input: PlaybookRunInput) {
    this.input = input;
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
  enqueue(event: RunEvent): number {
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

  /** Runs the attempt to its outcome, or to a handover to a fresh run. */
  async drive(): Promise<RunOutcome> {
    await this.carryOut(this.firstCommands);
    while (this.state.status === 'running') {
      await condition(() => this.queue.length > 0);
      const { event, ticket } = this.queue.shift()!;
      if (this.isStaleAnswer(event, ticket)) {
        this.applied = ticket;
        continue;
      }
      const commands = this.apply(event, ticket);
      if (event.type === 'task_completed') this.completing.delete(event.taskKey);
      await this.carryOut(commands);
      this.applied = ticket;
      if (this.dueForHandover()) {
        return continueAsNew<PlaybookRunWorkflow>({
          ...this.input,
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

  /** Applies one event to the pure runtime and returns its commands. */
  private apply(event: RunEvent, ticket: number): Command[] {
    try {
      const next = applyEvent(this.input.plan, this.state, event);
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
  private async carryOut(cmds: Command[]): Promise<void> {
    for (const cmd of cmds) {
      if (cmd.type === 'start_timer') this.armTimer(cmd.timerKey, cmd.durationMs);
      if (cmd.type === 'cancel_timer') {
        this.timers.get(cmd.timerKey)?.cancel();
        this.timers.delete(cmd.timerKey);
      }
    }
    this.transitions += 1;
    const { input } = this;
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
      transition: this.transitions,
      commands: cmds.filter((c) => c.type !== 'start_timer' && c.type !== 'cancel_timer'),
      currentNodeIds: activeNodeIds(this.state),
      variables: this.state.vars,
    });
    upsertSearchAttributes([
      { key: CURRENT_STEP, value: activeNodeIds(this.state).join(',') || (this.state.outcome ? 'end' : '') },
      ...(this.state.outcome ? [{ key: OUTCOME, value: this.state.outcome.outcome }] : []),
    ]);
  }
}
