import type { Config } from './config';

/**
 * The workflow task timeout a recovery attempt starts with, which continue-as-new carries to its
 * later runs. It is how long a workflow task handed to a worker that then dies (SIGKILL, OOM, a lost
 * node) waits before another worker may take it: measured, a completion sent just after a kill was
 * matched to the dead worker's last poll and answered 10.7–11.2 s later, all of it Temporal's 10 s
 * default. Lowering it (WORKFLOW_TASK_TIMEOUT_SECONDS, e.g. 4) fails over faster, but a task that is
 * merely slow (a cold replay on saturated cores) is then taken away and run again: in a full test
 * run on 2 loaded cores, 4 s turned completions after a worker restart into 503s. So the default
 * stays Temporal's, and deployments with headroom lower it.
 */
export const workflowTaskTimeout = (config: Pick<Config, 'WORKFLOW_TASK_TIMEOUT_SECONDS'>) => `${config.WORKFLOW_TASK_TIMEOUT_SECONDS} seconds`;

/** The settings bench:restart measures failover with (against the defaults in the same report). */
export const FAST_FAILOVER = { WORKFLOW_TASK_TIMEOUT_SECONDS: 4, WORKER_STICKY_TIMEOUT_SECONDS: 2 } as const;
