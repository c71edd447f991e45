import { NativeConnection, Worker, type InjectedSinks, type WorkerOptions } from '@temporalio/worker';
import type { Pool } from 'pg';
import { WORKFLOWS_PATH } from '../workflows/bundlePath';
import { TASK_QUEUE, type AttemptStateSinks } from '../workflows/contract';
import { createActivities, type ActivityOptions } from './activities';
import { createRiskActivities } from './riskActivities';

/** Twice the worker's PostgreSQL pool (platform/db/pool.ts, 10): every activity writes to it. */
export const DEFAULT_ACTIVITY_SLOTS = 20;

const ignoredSnapshots: InjectedSinks<AttemptStateSinks> = { attemptState: { reported: { fn: () => undefined } } };

/**
 * A worker: the playbook workflow plus the Postgres activities. `workflowBundle` lets tests bundle
 * the workflow code once and start many workers from it.
 */
export async function createWorker(opts: {
  address: string;
  namespace: string;
  pool: Pool;
  workflowBundle?: WorkerOptions['workflowBundle'];
  identity?: string;
  taskQueue?: string;
  activityOptions?: ActivityOptions;
  /** See WORKER_MAX_CACHED_WORKFLOWS in platform/config.ts. */
  maxCachedWorkflows?: number;
  /** See START_BACKLOG_LIMIT in platform/config.ts: the risk evaluation's starts wait below it. */
  startBacklogLimit?: number;
  /** See WORKER_STICKY_TIMEOUT_SECONDS in platform/config.ts (its default, 2 s, when not given). */
  stickyTimeoutSeconds?: number;
  /** See WORKER_ACTIVITY_SLOTS in platform/config.ts (DEFAULT_ACTIVITY_SLOTS when not given). */
  activitySlots?: number;
}): Promise<{ worker: Worker; connection: NativeConnection; connectedAt: number }> {
  const connection = await NativeConnection.connect({ address: opts.address });
  // For the startup split a worker process logs (connected, then the bundle loaded): performance.now().
  const connectedAt = performance.now();
  const worker = await Worker.create({
    connection,
    namespace: opts.namespace,
    taskQueue: opts.taskQueue ?? TASK_QUEUE,
    ...workflowCode(opts.workflowBundle),
    activities: { ...createActivities(opts.pool, opts.activityOptions), ...createRiskActivities(opts.pool, { startBacklogLimit: opts.startBacklogLimit }) },
    // Runs report their snapshot for a migration's proof, which replays with its own sink; live, it is not needed.
    sinks: ignoredSnapshots,
    ...(opts.identity ? { identity: opts.identity } : {}),
    ...(opts.maxCachedWorkflows !== undefined ? { maxCachedWorkflows: opts.maxCachedWorkflows } : {}),
    // A run's next task goes to the sticky queue of the worker that has it cached. When that worker
    // dies (SIGKILL, OOM, a lost node) the task waits this long before Temporal moves it to the
    // normal queue, where a live or restarted worker takes it: the SDK's 10 s default made a rep's
    // completion after a crash wait 10 s or more. A live worker picks sticky tasks up in
    // milliseconds, so 2 s only costs a replay when a worker is truly stalled that long.
    stickyQueueScheduleToStartTimeout: `${opts.stickyTimeoutSeconds ?? 2} seconds`,
    // Activities beyond the pool's connections only queue inside this process, in arrival order,
    // where Temporal's task priority cannot reach them; past these slots they wait in Temporal's
    // queue, by priority (the risk evaluation's, the batches', stores of runs recorded before).
    maxConcurrentActivityTaskExecutions: opts.activitySlots ?? DEFAULT_ACTIVITY_SLOTS,
    // Transitions are stored by local activities (workflows/runDriver.ts): bounded the same way, so
    // a burst's stores wait for a connection here rather than swamp the pool.
    maxConcurrentLocalActivityExecutions: opts.activitySlots ?? DEFAULT_ACTIVITY_SLOTS,
    // Finish in-flight activities on shutdown; the server redelivers anything left.
    shutdownGraceTime: '10 seconds',
  });
  return { worker, connection, connectedAt };
}

/**
 * The prebuilt bundle when one is given, here or as WORKFLOW_BUNDLE (so every process that makes a
 * worker, `npm start`'s included, starts without webpack: ~2.3 s of a 4.8 s restart); else webpack.
 * Only a bundle named on purpose is used: one left in dist/ by an older build would run old code.
 */
function workflowCode(given: WorkerOptions['workflowBundle']): Pick<WorkerOptions, 'workflowBundle' | 'workflowsPath'> {
  if (given) return { workflowBundle: given };
  const fromEnv = process.env.WORKFLOW_BUNDLE;
  return fromEnv ? { workflowBundle: { codePath: fromEnv } } : { workflowsPath: WORKFLOWS_PATH };
}
