import type { Config } from './config';

/**
 * The workflow task timeout a recovery attempt starts with, which continue-as-new carries to its
 * later runs. It is how long a workflow task handed to a worker that then dies (SIGKILL, OOM, a lost
 * node) waits before another worker may take it: measured, a completion sent just after a kill was
 * matched to the dead worker's last poll and answered 10.7–11.2 s later, all of it Temporal's 10 s
 * default. A live worker finishes a task in milliseconds (a cold replay of a long history in well
 * under a second on 2 loaded cores), so the 4 s default (WORKFLOW_TASK_TIMEOUT_SECONDS) still
 * leaves a wide margin before a slow task is taken away and run again.
 */
export const workflowTaskTimeout = (config: Pick<Config, 'WORKFLOW_TASK_TIMEOUT_SECONDS'>) => `${config.WORKFLOW_TASK_TIMEOUT_SECONDS} seconds`;
