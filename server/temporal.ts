import type { Interceptor } from '@grpc/grpc-js';
import { Client, Connection, defaultGrpcRetryOptions, makeGrpcRetryInterceptor, type WorkflowClientInterceptor } from '@temporalio/client';
import { TASK_QUEUE } from '../workflows/contract';
import { WorkersUnavailableError } from './temporalErrors';
import { WorkerPresence } from './workerPresence';

/** How long the API waits for Temporal before it answers 503: short, so a person is never left hanging. */
export interface TemporalDeadlines {
  /** Describe, query, list, history: ≤ 2 s by default. */
  readMs: number;
  /** Start, signal, Update (including waiting for the workflow to apply it): ≤ 5 s by default. */
  writeMs: number;
}
export const DEFAULT_DEADLINES: TemporalDeadlines = { readMs: 2_000, writeMs: 5_000 };

const WRITES = new Set([
  'StartWorkflowExecution',
  'SignalWorkflowExecution',
  'SignalWithStartWorkflowExecution',
  'UpdateWorkflowExecution',
  'PollWorkflowExecutionUpdate',
  'ExecuteMultiOperation',
  'TerminateWorkflowExecution',
  'RequestCancelWorkflowExecution',
  'ResetWorkflowExecution',
]);

/**
 * Every call gets a deadline by kind (unless it has one of its own), and the SDK's retries of
 * UNAVAILABLE stop before it. Without this the retries go on for ~20 s and an Update waits for a
 * worker for ever; with it, the API answers 503 within the deadline.
 */
function boundedRetryInterceptor(deadlines: TemporalDeadlines): Interceptor {
  const defaults = defaultGrpcRetryOptions();
  return (options, nextCall) => {
    let deadline = options.deadline instanceof Date ? options.deadline.getTime() : options.deadline;
    if (deadline === undefined || deadline === Infinity) {
      const method = options.method_definition.path.split('/').pop() ?? '';
      deadline = Date.now() + (WRITES.has(method) ? deadlines.writeMs : deadlines.readMs);
    }
    const end = deadline;
    let nextDelay = 0;
    const retry = makeGrpcRetryInterceptor({
      // Retry only when the attempt after the pause can still finish before the deadline.
      retryableDecider: (attempt, status) => {
        nextDelay = defaults.delayFunction(attempt, status);
        return defaults.retryableDecider(attempt, status) && Date.now() + nextDelay + 100 < end;
      },
      delayFunction: () => nextDelay,
    });
    return retry({ ...options, deadline: end }, nextCall);
  };
}

/**
 * Updates and queries are answered by a playbook worker, not by the Temporal server: with none
 * polling the task queue they would wait until the deadline. Refuse them at once, clearly.
 */
function workersPresentInterceptor(presence: WorkerPresence): WorkflowClientInterceptor {
  const requireWorkers = async () => {
    if (!(await presence.workersPolling())) throw new WorkersUnavailableError();
  };
  return {
    async startUpdate(input, next) {
      await requireWorkers();
      return next(input);
    },
    async query(input, next) {
      await requireWorkers();
      return next(input);
    },
  };
}

export async function connectTemporal(
  address: string,
  namespace: string,
  deadlines: TemporalDeadlines = DEFAULT_DEADLINES,
): Promise<{ client: Client; connection: Connection }> {
  const connection = await Connection.connect({
    address,
    interceptors: [boundedRetryInterceptor(deadlines)],
  });
  const presence = new WorkerPresence(connection, namespace, TASK_QUEUE);
  const client = new Client({ connection, namespace, interceptors: { workflow: [workersPresentInterceptor(presence)] } });
  return { client, connection };
}
