import type { Pool, PoolClient } from 'pg';

/** The row every recovery attempt has; written by the API at start and by the workflow, idempotently. */
export interface AttemptIdentity {
  attemptId: string;
  workflowId: string;
  customerId: string;
  playbookKey: string;
  playbookVersion: number;
  startedBy: string;
  /** Temporal's first run id of this attempt (continue-as-new makes more). */
  firstRunId?: string;
}

export async function ensureAttemptRow(db: Pool | PoolClient, a: AttemptIdentity): Promise<void> {
  await db.query(
    `INSERT INTO recovery_attempts (id, workflow_id, customer_id, playbook_key, playbook_version, started_by, first_run_id)
     VALUES ($1, $2, $3, $4, $5, $6, $7)
     ON CONFLICT (id) DO UPDATE SET first_run_id = COALESCE(recovery_attempts.first_run_id, EXCLUDED.first_run_id)
     WHERE recovery_attempts.first_run_id IS NULL AND EXCLUDED.first_run_id IS NOT NULL`,
    [a.attemptId, a.workflowId, a.customerId, a.playbookKey, a.playbookVersion, a.startedBy, a.firstRunId ?? null],
  );
}
