import type { Connection } from '@temporalio/client';
import { temporal } from '@temporalio/proto';

/**
 * Whether any playbook worker polls the task queue, from the Temporal server's own list of pollers.
 * A live worker re-polls at least every ~70 s (long polls), so a poll seen within POLLER_FRESH_MS
 * means one is there; the answer is reused for a moment so a busy inbox does not ask on every call.
 */
const POLLER_FRESH_MS = 90_000;
const REUSE_MS = 2_000;

export class WorkerPresence {
  private known: { polling: boolean; at: number } | null = null;
  private asking: Promise<boolean> | null = null;

  constructor(
    private readonly connection: Connection,
    private readonly namespace: string,
    private readonly taskQueue: string,
  ) {}

  async workersPolling(): Promise<boolean> {
    if (this.known && Date.now() - this.known.at < REUSE_MS) return this.known.polling;
    this.asking ??= this.ask().finally(() => (this.asking = null));
    return this.asking;
  }

  private async ask(): Promise<boolean> {
    const response = await this.connection.workflowService.describeTaskQueue({
      namespace: this.namespace,
      taskQueue: { name: this.taskQueue, kind: temporal.api.enums.v1.TaskQueueKind.TASK_QUEUE_KIND_NORMAL },
      taskQueueType: temporal.api.enums.v1.TaskQueueType.TASK_QUEUE_TYPE_WORKFLOW,
    });
    const now = Date.now();
    const polling = (response.pollers ?? []).some((p) => {
      const seconds = Number(p.lastAccessTime?.seconds ?? 0);
      return now - seconds * 1000 < POLLER_FRESH_MS;
    });
    this.known = { polling, at: now };
    return polling;
  }
}
