import type { Pool } from 'pg';
import { anchorOf, type AuditAnchor, type Checkpoint } from './anchor';

export interface ChainVerdict {
  ok: boolean;
  rows: number;
  /**
   * The first row that is not what was written: its content or link does not match, or (reason
   * `rewritten`) the chain was re-computed after it, so the anchored checkpoint `checkpointId`
   * disagrees, or `rows_deleted`: a checkpointed row is gone from the middle (newest rows deleted,
   * then new ones written); then `id` is the first row after the last checkpoint that still agrees.
   */
  firstBroken: { id: string; reason: 'content_changed' | 'link_broken' | 'rewritten' | 'rows_deleted'; checkpointId?: string } | null;
  /** Rows an anchored checkpoint saw that are gone from the end of the table. */
  missingTail: { afterId: string | null; throughId: string; anchoredAt: string } | null;
  anchor: { file: string; checkpoints: number; latest: { id: string; at: string } | null; forgedLines: number[] } | null;
}

/**
 * Walks the audit chain in id order (each row's hash must match its content and its predecessor),
 * then compares it with the anchor's signed checkpoints (which catch what a walk cannot: a chain
 * re-computed by someone who can write the table, and rows deleted from its end).
 */
export async function verifyAuditChain(pool: Pool, anchor: AuditAnchor | undefined = anchorOf(pool)): Promise<ChainVerdict> {
  const { rows } = await pool.query(`
    WITH chain AS (
      SELECT id, prev_hash, hash,
             lag(hash) OVER (ORDER BY id) AS previous,
             audit_row_hash(prev_hash, id, at, actor_id, action, attempt_id, subject, details) AS recomputed
        FROM audit_log)
    SELECT (SELECT count(*) FROM chain)::int AS rows,
           (SELECT max(id)::text FROM chain) AS head_id,
           (SELECT json_build_object('id', id::text, 'reason', CASE WHEN hash <> recomputed THEN 'content_changed' ELSE 'link_broken' END)
              FROM chain
             WHERE hash <> recomputed OR prev_hash <> coalesce(previous, 'genesis')
             ORDER BY id LIMIT 1) AS first_broken`);
  let firstBroken = rows[0].first_broken as ChainVerdict['firstBroken'];
  const headId = rows[0].head_id as string | null;
  if (!anchor) return { ok: firstBroken === null, rows: rows[0].rows, firstBroken, missingTail: null, anchor: null };

  const { checkpoints, forgedLines } = anchor.read();
  const compared = await compareWithCheckpoints(pool, checkpoints, headId);
  if (compared.rewritten && (!firstBroken || BigInt(compared.rewritten.id) < BigInt(firstBroken.id))) firstBroken = compared.rewritten;
  const latest = checkpoints.reduce<Checkpoint | null>((a, c) => (!a || BigInt(c.headId) > BigInt(a.headId) ? c : a), null);
  return {
    ok: firstBroken === null && compared.missingTail === null && forgedLines.length === 0,
    rows: rows[0].rows,
    firstBroken,
    missingTail: compared.missingTail,
    anchor: { file: anchor.file, checkpoints: checkpoints.length, latest: latest && { id: latest.headId, at: latest.at }, forgedLines },
  };
}

async function compareWithCheckpoints(pool: Pool, checkpoints: Checkpoint[], headId: string | null) {
  const byId = [...checkpoints].sort((a, b) => (BigInt(a.headId) < BigInt(b.headId) ? -1 : 1));
  const { rows } = await pool.query<{ id: string; hash: string }>('SELECT id::text, hash FROM audit_log WHERE id = ANY($1::bigint[])', [
    byId.map((c) => c.headId),
  ]);
  const stored = new Map(rows.map((r) => [r.id, r.hash]));
  let lastAgreeing: string | null = null;
  let rewritten: ChainVerdict['firstBroken'] = null;
  let missingTail: ChainVerdict['missingTail'] = null;
  for (const c of byId) {
    const hash = stored.get(c.headId);
    if (hash === c.headHash) {
      lastAgreeing = c.headId;
      continue;
    }
    if (hash === undefined && (headId === null || BigInt(c.headId) > BigInt(headId))) {
      // Past the table's end: the rows from the current head to this checkpoint were deleted.
      missingTail = { afterId: headId, throughId: c.headId, anchoredAt: c.at };
      continue;
    }
    if (!rewritten) {
      // A checkpointed row that is gone from the middle, or hashes differently: re-chained after lastAgreeing.
      const next = await pool.query<{ id: string }>('SELECT min(id)::text AS id FROM audit_log WHERE id > $1', [lastAgreeing ?? '0']);
      rewritten = { id: next.rows[0].id ?? c.headId, reason: hash === undefined ? 'rows_deleted' : 'rewritten', checkpointId: c.headId };
    }
  }
  return { rewritten, missingTail };
}
