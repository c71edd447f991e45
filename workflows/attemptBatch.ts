import { continueAsNew, proxyActivities } from '@temporalio/workflow';
import type { AttemptBatchInput, BatchActivities } from './batchContract';

// A page may take minutes (each migration replays a history): the heartbeat says it is alive, and
// a page cut short by a restart is taken up again, skipping the attempts already done.
const { runBatchPage, finishBatch } = proxyActivities<BatchActivities>({
  startToCloseTimeout: '30 minutes',
  heartbeatTimeout: '2 minutes',
  retry: { initialInterval: '2 seconds', maximumInterval: '1 minute', backoffCoefficient: 2 },
});

const PAGE_SIZE = 50;
/** Pages per run before handing over to a fresh one: 10,000 attempts are 200 pages. */
const PAGES_PER_RUN = 100;

/** Runs a batch of attempt operations page by page until none is pending. */
export async function attemptBatch(input: AttemptBatchInput): Promise<void> {
  for (let page = 0; page < PAGES_PER_RUN; page++) {
    const { remaining } = await runBatchPage({ batchId: input.batchId, size: PAGE_SIZE });
    if (remaining === 0) {
      await finishBatch({ batchId: input.batchId });
      return;
    }
  }
  await continueAsNew<typeof attemptBatch>(input);
}
