/**
 * A batch over many attempts (cancel, migrate, dry run, retry incidents) runs as a workflow, so it
 * survives an API restart and shows its progress from PostgreSQL. Its activities run in the API
 * processes (server/operate/batchWorker.ts): they need the API's Temporal client, the replay proof
 * and the access rules, which workers do not have.
 */
export const OPERATIONS_TASK_QUEUE = 'attempt-operations';
export const BATCH_WORKFLOW_TYPE = 'attemptBatch';

export interface AttemptBatchInput {
  batchId: string;
}

export interface BatchPage {
  batchId: string;
  /** How many pending attempts to take on in this page. */
  size: number;
}

export interface BatchActivities {
  /** Takes up to `size` pending attempts of the batch, runs them with bounded concurrency, records each verdict; returns how many are left. */
  runBatchPage(page: BatchPage): Promise<{ processed: number; remaining: number }>;
  finishBatch(input: { batchId: string }): Promise<void>;
}
