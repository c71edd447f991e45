import type { Pool, PoolClient } from 'pg';

export interface AuditEntry {
  actorId: string | null;
  action: string;
  attemptId?: string | null;
  subject?: string | null;
  details?: unknown;
}

/** One human action into the append-only, hash-chained audit log (the trigger links the chain). */
export async function recordAudit(db: Pool | PoolClient, e: AuditEntry): Promise<void> {
  await db.query('INSERT INTO audit_log (actor_id, action, attempt_id, subject, details) VALUES ($1, $2, $3, $4, $5)', [
    e.actorId,
    e.action,
    e.attemptId ?? null,
    e.subject ?? null,
    JSON.stringify(e.details ?? {}),
  ]);
}
