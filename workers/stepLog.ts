import { asyncLocalStorage } from '@temporalio/activity';
import type { PoolClient } from 'pg';
import type { Command } from '../playbooks/runtime/types';
import type { AttemptIdentity } from '../workflows/activityContract';

/**
 * The step log the dashboard and the heatmap read (attempt_steps, attempt_arms): which node each
 * step was at, when it was entered and left and through which handle, and the arm an experiment
 * picked. Keyed by (attempt, step) and (attempt, node), so a redelivered transition changes nothing.
 */
export async function logSteps(client: PoolClient, attempt: AttemptIdentity, commands: readonly Command[], at: Date = transitionTime()): Promise<void> {
  for (const cmd of commands) {
    if (cmd.type === 'step_entered')
      await client.query(
        `INSERT INTO attempt_steps (attempt_id, step_id, node_id, kind, customer_id, playbook_key, playbook_version, entered_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8) ON CONFLICT DO NOTHING`,
        [attempt.attemptId, cmd.stepId, cmd.nodeId, cmd.kind, attempt.customerId, attempt.playbookKey, attempt.playbookVersion, at],
      );
    else if (cmd.type === 'step_left')
      await client.query('UPDATE attempt_steps SET left_at = $3, left_via = $4 WHERE attempt_id = $1 AND step_id = $2 AND left_at IS NULL', [
        attempt.attemptId,
        cmd.stepId,
        at,
        cmd.handle,
      ]);
    else if (cmd.type === 'record' && cmd.kind === 'experiment' && typeof cmd.data.arm === 'string')
      await client.query(
        `INSERT INTO attempt_arms (attempt_id, node_id, arm, label, customer_id, playbook_key, playbook_version, assigned_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8) ON CONFLICT DO NOTHING`,
        [
          attempt.attemptId,
          cmd.nodeId,
          cmd.data.arm,
          String(cmd.data.label ?? cmd.data.arm),
          attempt.customerId,
          attempt.playbookKey,
          attempt.playbookVersion,
          at,
        ],
      );
    else if (cmd.type === 'complete_run')
      // Branches still open when the run ends are released without a step_left of their own.
      await client.query('UPDATE attempt_steps SET left_at = $2 WHERE attempt_id = $1 AND left_at IS NULL', [attempt.attemptId, at]);
  }
}

/**
 * When the workflow made the transition: the time Temporal first scheduled this activity (the same on
 * every retry, and the workflow's clock in time-skipping tests); outside an activity, now.
 */
function transitionTime(): Date {
  const info = asyncLocalStorage.getStore()?.info;
  return info ? new Date(info.scheduledTimestampMs) : new Date();
}
