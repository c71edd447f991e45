import { WorkflowNotFoundError, type WorkflowStartUpdateInput, type WorkflowStartUpdateOutput } from '@temporalio/client';
import { redeliverDroppedUpdates } from '../support/timeSkipping';

/**
 * The time-skipping client's interceptor (tests/support/timeSkipping.ts): an Update the Java test
 * server dropped ("update … not found") is sent again under the same Update id, and nothing else is
 * retried: a workflow that really is gone, or a refusal, reaches the test as it came.
 */
const input = (updateId?: string): WorkflowStartUpdateInput => ({
  updateName: 'completeTask',
  args: [],
  workflowExecution: { workflowId: 'w' },
  headers: {},
  options: { waitForStage: 'COMPLETED', ...(updateId ? { updateId } : {}) } as WorkflowStartUpdateInput['options'],
});
const output = { updateId: 'u', workflowRunId: 'r' } as unknown as WorkflowStartUpdateOutput;
const startUpdate = redeliverDroppedUpdates.startUpdate!.bind(redeliverDroppedUpdates);

describe('re-sending Updates the test server dropped', () => {
  it('sends a dropped Update again with the same id until it is taken', async () => {
    const ids: (string | undefined)[] = [];
    let calls = 0;
    const next = async (i: WorkflowStartUpdateInput) => {
      ids.push(i.options.updateId);
      if (++calls < 3) throw new WorkflowNotFoundError(`update ${i.options.updateId} not found`, 'w', undefined);
      return output;
    };
    await expect(startUpdate(input(), next)).resolves.toBe(output);
    expect(ids).toHaveLength(3);
    expect(new Set(ids).size).toBe(1);
    expect(ids[0]).toMatch(/^[0-9a-f-]{36}$/);
    // A caller's own id is kept.
    ids.length = 0;
    calls = 0;
    await startUpdate(input('complete:k1'), next);
    expect(ids).toEqual(['complete:k1', 'complete:k1', 'complete:k1']);
  });

  it('passes every other failure through at once, and gives up after five tries', async () => {
    let calls = 0;
    const gone = async () => {
      calls++;
      throw new WorkflowNotFoundError('workflow not found', 'w', undefined);
    };
    await expect(startUpdate(input(), gone)).rejects.toThrow('workflow not found');
    expect(calls).toBe(1);
    calls = 0;
    const alwaysDropped = async () => {
      calls++;
      throw new WorkflowNotFoundError('update x not found', 'w', undefined);
    };
    await expect(startUpdate(input(), alwaysDropped)).rejects.toThrow('update x not found');
    expect(calls).toBe(5);
  });
});
