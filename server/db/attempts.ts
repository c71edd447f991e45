import type { Pool, PoolClient } from 'pg';

/** The row every recovery attempt has; written by the API at start and by the workflow, idempotently. */
export interface AttemptIdentity {
  attemptId: string;
  workflowId: string;
  customerId: string;
  playbookKey: string;
  playbookVersion: number;
  startedBy: string;
}

export async function ensureAttemptRow(db: Pool | PoolClient, a: AttemptIdentity): Promise<void> {
  await db.query(
    `INSERT INTO recovery_attempts (id, workflow_id, customer_id, playbook_key, playbook_version, started_by)
     VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (id) DO NOTHING`,
    [a.attemptId, a.workflowId, a.customerId, a.playbookKey, a.playbookVersion, a.startedBy],
  );
}
