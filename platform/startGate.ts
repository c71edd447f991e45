import { temporal } from '@temporalio/proto';
import type { Pool } from 'pg';

/**
 * Back-pressure on recovery attempt starts. Starting is cheap for the API and dear for the rest
 * (a workflow task, a first transition stored by an activity): unchecked, the API accepted 31
 * starts/s while the system settled 9.6/s, and every rep's completion queued behind the surplus.
 * A start is admitted only while the backlog of started-but-not-settled starts is below the limit
 * (START_BACKLOG_LIMIT); past it the API refuses at once (503 start_backlog, Retry-After) and
 * scheduled starts wait. Only starts pass this gate: completions, answers and reads never do.
 */

export type Admission = { admit: true; backlog: number } | { admit: false; backlog: number; retryAfterSeconds: number };

/** Longest Retry-After the gate asks for: a client told more than this would give up rather than wait. */
export const MAX_RETRY_AFTER_SECONDS = 30;

/**
 * The decision, pure. `backlog` is the last measure plus the starts this process admitted since,
 * so a burst of concurrent requests cannot all slip in on one stale measure. Retry-After grows with
 * how far over the limit the backlog is (each limit's worth takes about a second to drain on this
 * machine's settle rate), from 1 s up to MAX_RETRY_AFTER_SECONDS.
 */
export function admission(backlog: number, limit: number): Admission {
  if (backlog < limit) return { admit: true, backlog };
  const retryAfterSeconds = Math.min(MAX_RETRY_AFTER_SECONDS, Math.max(1, Math.ceil((backlog - limit + 1) / Math.max(1, limit / 4))));
  return { admit: false, backlog, retryAfterSeconds };
}

export interface StartGateOptions {
  limit: number;
  /** The backlog as the system sees it now (see startBacklog below). */
  measure: () => Promise<number>;
  /** How long one measure is reused: cheap enough to ask a few times a second, fresh enough to follow a burst. */
  reuseMs?: number;
  /** Told when a measure fails; the gate then admits (the start itself reports Temporal or the database down). */
  onMeasureError?: (err: unknown) => void;
}

export class StartGate {
  readonly limit: number;
  private readonly reuseMs: number;
  private reading: { backlog: number; at: number } | null = null;
  private measuring: Promise<void> | null = null;
  /** Starts admitted by this process that the last measure may not have seen yet. */
  private admittedSinceMeasure = 0;

  constructor(private readonly opts: StartGateOptions) {
    this.limit = opts.limit;
    this.reuseMs = opts.reuseMs ?? 250;
  }

  /** Admits `count` starts (a trigger starts every listening playbook at once) or says when to retry. */
  async tryAdmit(count = 1): Promise<Admission> {
    const measured = await this.measured();
    const decision = admission(measured + this.admittedSinceMeasure, this.limit);
    if (decision.admit) this.admittedSinceMeasure += count;
    return decision;
  }

  /** Starts admitted together with an earlier tryAdmit whose count was not known then. */
  counted(count: number): void {
    this.admittedSinceMeasure += count;
  }

  /**
   * For starts nobody waits on at a screen (the risk evaluation's): waits for admission, asking
   * again after each Retry-After, up to `maxWaitMs`; `beat` is called while waiting (an activity
   * heartbeats). The last refusal is returned when the time is up, for the caller's retry policy.
   */
  async waitForAdmission(count: number, maxWaitMs: number, beat: () => void = () => undefined): Promise<Admission> {
    const deadline = Date.now() + maxWaitMs;
    for (;;) {
      const decision = await this.tryAdmit(count);
      if (decision.admit || Date.now() >= deadline) return decision;
      beat();
      await new Promise((r) => setTimeout(r, Math.min(decision.retryAfterSeconds * 1000, Math.max(50, deadline - Date.now()))));
    }
  }

  private async measured(): Promise<number> {
    if (!this.reading || Date.now() - this.reading.at >= this.reuseMs) {
      this.measuring ??= this.measureNow().finally(() => (this.measuring = null));
      await this.measuring;
    }
    return this.reading?.backlog ?? 0;
  }

  private async measureNow(): Promise<void> {
    // Starts admitted from here on may be missed by this measure: they count on top of it.
    const admittedBefore = this.admittedSinceMeasure;
    let backlog = 0;
    try {
      backlog = await this.opts.measure();
    } catch (err) {
      this.opts.onMeasureError?.(err);
    }
    this.admittedSinceMeasure = Math.max(0, this.admittedSinceMeasure - admittedBefore);
    this.reading = { backlog, at: Date.now() };
  }
}

type DescribeTaskQueue = Pick<temporal.api.workflowservice.v1.WorkflowService, 'describeTaskQueue'>;

/**
 * Workflow tasks waiting for a worker on the playbook task queue (Temporal's approximate backlog,
 * from every partition): what a start adds to first, and what grows when workers fall behind or
 * are gone. It includes tasks that are not starts (timers, answers), which is the point: those are
 * the work a new start would queue behind.
 */
export async function workflowTaskBacklog(service: DescribeTaskQueue, namespace: string, taskQueue: string): Promise<number> {
  const response = await service.describeTaskQueue({
    namespace,
    taskQueue: { name: taskQueue, kind: temporal.api.enums.v1.TaskQueueKind.TASK_QUEUE_KIND_NORMAL },
    taskQueueType: temporal.api.enums.v1.TaskQueueType.TASK_QUEUE_TYPE_WORKFLOW,
    reportStats: true,
  });
  return Number(response.stats?.approximateBacklogCount ?? 0);
}

/** A start not settled within this long is stuck, not backlog (the attempt's incident says why). */
const SETTLE_WINDOW = '10 minutes';

/**
 * Attempts started through the start path (the row carries Temporal's first run id) whose first
 * transition is not stored yet: picked up or not, their first activity is still to run. Rows a
 * migration or fixture wrote without a run id are not starts.
 */
export async function unsettledAttemptStarts(pool: Pool): Promise<number> {
  const { rows } = await pool.query<{ n: number }>(
    `SELECT count(*)::int AS n FROM recovery_attempts
      WHERE status = 'running' AND last_transition = 0 AND first_run_id IS NOT NULL AND started_at > now() - interval '${SETTLE_WINDOW}'`,
  );
  return rows[0]?.n ?? 0;
}

/**
 * The backlog the gate reads: the larger of the two signals. Temporal sees starts whose first task
 * no worker took yet (including the risk evaluation's, which have no row until they settle);
 * PostgreSQL sees starts taken but whose first transition's activity has not stored it.
 */
export function startBacklog(opts: { pool: Pool; workflowService: DescribeTaskQueue; namespace: string; taskQueue: string }): () => Promise<number> {
  return async () => {
    // Either signal alone still gates: Temporal slow to describe must not open the gate wide.
    const readings = await Promise.allSettled([workflowTaskBacklog(opts.workflowService, opts.namespace, opts.taskQueue), unsettledAttemptStarts(opts.pool)]);
    const known = readings.flatMap((r) => (r.status === 'fulfilled' ? [r.value] : []));
    if (!known.length) throw (readings[0] as PromiseRejectedResult).reason;
    return Math.max(...known);
  };
}
