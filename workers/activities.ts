import type { Pool } from 'pg';
import { z } from 'zod';
import type { Command, Json } from '../playbooks/runtime/types';
import { ensureAttemptRow, type AttemptIdentity } from '../server/db/attempts';

export interface PersistTransitionInput {
  attempt: AttemptIdentity;
  /** Monotonic per attempt: a retried or replayed transition never moves the row backwards. */
  transition: number;
  commands: Command[];
  currentNodeIds: string[];
  variables: Record<string, Json>;
}

const PersistTransitionShape = z.object({
  attempt: z.object({ attemptId: z.uuid(), workflowId: z.string(), customerId: z.string(), playbookKey: z.string(), playbookVersion: z.number().int(), startedBy: z.string() }),
  transition: z.number().int().positive(),
  commands: z.array(z.object({ type: z.string() }).loose()),
  currentNodeIds: z.array(z.string()),
  variables: z.record(z.string(), z.unknown()),
});

/**
 * The only code that writes PostgreSQL on behalf of a workflow. Each transition is written in one
 * transaction and every statement is keyed (attempt + task key, status guards), so a retry after a
 * crash or a Postgres restart applies nothing twice.
 */
export function createActivities(pool: Pool) {
  return {
    async persistTransition(input: PersistTransitionInput): Promise<void> {
      PersistTransitionShape.parse(input);
      const { attempt } = input;
      const client = await pool.connect();
      try {
        await client.query('BEGIN');
        await ensureAttemptRow(client, attempt);
        for (const cmd of input.commands) {
          if (cmd.type === 'create_task') {
            const t = cmd.task;
            await client.query(
              `INSERT INTO tasks (attempt_id, workflow_id, task_key, node_id, customer_id, playbook_key, title, instructions,
                                  assignee_role, department_id, assignee_user_id, priority, outcomes, form, due_at)
               VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10,$11,$12,$13,$14,$15)
               ON CONFLICT (attempt_id, task_key) DO NOTHING`,
              [attempt.attemptId, attempt.workflowId, t.taskKey, t.nodeId, attempt.customerId, attempt.playbookKey, t.title, t.instructions,
                t.assignee.role, t.assignee.department, t.assignee.userId, t.priority, JSON.stringify(t.outcomes), JSON.stringify(t.form),
                t.dueAt === null ? null : new Date(t.dueAt)],
            );
          } else if (cmd.type === 'close_task') {
            await client.query(
              `UPDATE tasks SET status = $3, outcome = $4, form_data = $5, completed_by = $6, closed_at = now()
               WHERE attempt_id = $1 AND task_key = $2 AND status = 'open'`,
              [attempt.attemptId, cmd.taskKey, cmd.status, cmd.outcome, cmd.form === null ? null : JSON.stringify(cmd.form), cmd.actor?.userId ?? null],
            );
          } else if (cmd.type === 'complete_run') {
            await client.query(
              `UPDATE recovery_attempts SET status = 'completed', outcome = $2, outcome_reason = $3, ended_at = now()
               WHERE id = $1 AND status = 'running'`,
              [attempt.attemptId, cmd.outcome, cmd.reason],
            );
          }
        }
        await client.query(
          `UPDATE recovery_attempts SET current_node_ids = $2, variables = $3, last_transition = $4
           WHERE id = $1 AND last_transition < $4`,
          [attempt.attemptId, input.currentNodeIds, JSON.stringify(input.variables), input.transition],
        );
        await client.query('COMMIT');
      } catch (err) {
        await client.query('ROLLBACK').catch(() => undefined);
        throw err;
      } finally {
        client.release();
      }
    },
  };
}

export type Activities = ReturnType<typeof createActivities>;
