import type { Pool } from 'pg';

export interface ChainVerdict {
  ok: boolean;
  rows: number;
  /** The first row whose link or content does not match, and why. */
  firstBroken: { id: string; reason: 'content_changed' | 'link_broken' } | null;
}

/** Walks the audit chain in id order: each row's hash must match its content and its predecessor. */
export async function verifyAuditChain(pool: Pool): Promise<ChainVerdict> {
  const { rows } = await pool.query(`
    WITH chain AS (
      SELECT id, prev_hash, hash,
             lag(hash) OVER (ORDER BY id) AS previous,
             audit_row_hash(prev_hash, id, at, actor_id, action, attempt_id, subject, details) AS recomputed
        FROM audit_log)
    SELECT (SELECT count(*) FROM chain)::int AS rows,
           (SELECT json_build_object('id', id::text, 'reason', CASE WHEN hash <> recomputed THEN 'content_changed' ELSE 'link_broken' END)
              FROM chain
             WHERE hash <> recomputed OR prev_hash <> coalesce(previous, 'genesis')
             ORDER BY id LIMIT 1) AS first_broken`);
  const firstBroken = rows[0].first_broken as ChainVerdict['firstBroken'];
  return { ok: firstBroken === null, rows: rows[0].rows, firstBroken };
}
