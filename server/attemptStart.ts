import type { Client } from '@temporalio/client';
import type { Pool } from 'pg';
import { ensureAttemptRow } from '../platform/db/attempts';
import type { Config } from '../platform/config';
import { workflowTaskTimeout } from '../platform/workflowTaskTimeout';
import { TASK_QUEUE, WORKFLOW_TYPE, type PlaybookRunInput } from '../workflows/contract';
import { runSearchAttributes, workflowIdFor } from '../workflows/runInput';

/**
 * The step every API start of a recovery attempt ends with, once its checks passed: the workflow
 * started in Temporal (refused while one is open for the same customer and playbook), then the
 * attempt's row with Temporal's first run id. The workflow writes the same row in its first
 * transition, so a crash between the two loses nothing. The benches start attempts through this too,
 * so their "real start path" is the API's, search attributes and all.
 *
 * Throws WorkflowExecutionAlreadyStartedError when an attempt is already open; the caller says why.
 */
export async function startAttemptRun(
  deps: { pool: Pool; temporal: Client; config: Pick<Config, 'WORKFLOW_TASK_TIMEOUT_SECONDS'> },
  input: PlaybookRunInput,
): Promise<{ workflowId: string; firstRunId: string }> {
  const { customer, playbook } = input;
  const workflowId = workflowIdFor(customer.id, playbook.key);
  const handle = await deps.temporal.workflow.start(WORKFLOW_TYPE, {
    taskQueue: TASK_QUEUE,
    workflowId,
    args: [input],
    workflowIdConflictPolicy: 'FAIL',
    workflowIdReusePolicy: 'ALLOW_DUPLICATE',
    workflowTaskTimeout: workflowTaskTimeout(deps.config),
    typedSearchAttributes: runSearchAttributes(customer.id, playbook),
  });
  await ensureAttemptRow(deps.pool, {
    attemptId: input.attemptId,
    workflowId,
    customerId: customer.id,
    playbookKey: playbook.key,
    playbookVersion: playbook.version,
    startedBy: input.startedBy.userId,
    firstRunId: handle.firstExecutionRunId,
  });
  return { workflowId, firstRunId: handle.firstExecutionRunId };
}
