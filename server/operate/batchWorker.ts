import { NativeConnection, Worker, type InjectedSinks } from '@temporalio/worker';
import { WORKFLOWS_PATH } from '../../workflows/bundlePath';
import { OPERATIONS_TASK_QUEUE } from '../../workflows/batchContract';
import type { AttemptStateSinks } from '../../workflows/contract';
import type { Deps } from '../deps';
import { batchActivities } from './batch';

const ignoredSnapshots: InjectedSinks<AttemptStateSinks> = { attemptState: { reported: { fn: () => undefined } } };

/**
 * The worker for batch operations, run by every API process: a batch is a workflow, so whichever API
 * replica is up takes it on, and one interrupted by a restart resumes where its items stand.
 */
export async function startOperationsWorker(deps: Deps, opts: { address: string; namespace: string }): Promise<{ stop(): Promise<void> }> {
  const connection = await NativeConnection.connect({ address: opts.address });
  const worker = await Worker.create({
    connection,
    namespace: opts.namespace,
    taskQueue: OPERATIONS_TASK_QUEUE,
    ...(deps.config.WORKFLOW_BUNDLE ? { workflowBundle: { codePath: deps.config.WORKFLOW_BUNDLE } } : { workflowsPath: WORKFLOWS_PATH }),
    activities: batchActivities(deps),
    sinks: ignoredSnapshots,
    maxConcurrentActivityTaskExecutions: 4,
    shutdownGraceTime: '5 seconds',
  });
  const running = worker.run();
  return {
    async stop() {
      worker.shutdown();
      await running.catch(() => undefined);
      await connection.close();
    },
  };
}
