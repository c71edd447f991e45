import type { Pool, PoolClient } from 'pg';
import { DEFAULT_RISK_RULES, RiskRules } from '../../playbooks/risk';
import { recordAudit } from '../../platform/db/audit';
import { inTransaction } from '../../platform/db/pool';
import { publishedRiskRules } from '../../platform/db/riskFacts';
import { conflict } from '../errors';

/** The rules' draft and published versions, stored like playbooks: one draft, immutable versions. */
export interface RulesDraft {
  rules: RiskRules;
  revision: number;
  updatedBy: string | null;
  updatedAt: string | null;
  /** The newest published version, to compare the draft with. */
  publishedVersion: number | null;
  publishedRules: RiskRules;
}

export async function readDraft(db: Pool | PoolClient): Promise<RulesDraft> {
  const published = await publishedRiskRules(db);
  const { rows } = await db.query('SELECT config, revision, updated_by, updated_at FROM risk_rule_draft');
  const row = rows[0];
  return {
    rules: row ? RiskRules.parse(row.config) : published.rules,
    revision: row?.revision ?? 0,
    updatedBy: row?.updated_by ?? null,
    updatedAt: row?.updated_at ? new Date(row.updated_at).toISOString() : null,
    publishedVersion: published.version,
    publishedRules: published.rules,
  };
}

/** Saves the draft; `expectedRevision` (the editor's last read) refuses a stale save, as playbook drafts do. */
export async function saveDraft(pool: Pool, userId: string, rules: RiskRules, expectedRevision: number | undefined): Promise<RulesDraft> {
  return inTransaction(pool, async (db) => {
    const current = await db.query<{ revision: number }>('SELECT revision FROM risk_rule_draft FOR UPDATE');
    const revision = current.rows[0]?.revision ?? 0;
    if (expectedRevision !== undefined && expectedRevision !== revision)
      throw conflict('stale_draft', `the draft changed since you read it (revision ${revision}, you had ${expectedRevision})`, { revision });
    await db.query(
      `INSERT INTO risk_rule_draft (id, config, revision, updated_by, updated_at) VALUES (true, $1, 1, $2, now())
       ON CONFLICT (id) DO UPDATE SET config = EXCLUDED.config, revision = risk_rule_draft.revision + 1, updated_by = EXCLUDED.updated_by, updated_at = now()`,
      [JSON.stringify(rules), userId],
    );
    await recordAudit(db, { actorId: userId, action: 'risk_rules_draft_saved', subject: 'risk-rules', details: { rules } });
    return readDraft(db);
  });
}

export async function publishDraft(pool: Pool, userId: string, note: string): Promise<{ version: number; rules: RiskRules }> {
  return inTransaction(pool, async (db) => {
    await db.query('LOCK TABLE risk_rule_versions IN EXCLUSIVE MODE');
    const draft = await readDraft(db);
    const rules = draft.revision ? draft.rules : DEFAULT_RISK_RULES;
    const { rows } = await db.query<{ version: number }>(
      `INSERT INTO risk_rule_versions (version, config, note, published_by)
       SELECT coalesce(max(version), 0) + 1, $1, $2, $3 FROM risk_rule_versions RETURNING version`,
      [JSON.stringify(rules), note, userId],
    );
    const version = rows[0].version;
    await recordAudit(db, { actorId: userId, action: 'risk_rules_published', subject: `risk-rules/v${version}`, details: { version, note, rules } });
    return { version, rules };
  });
}

export async function listVersions(pool: Pool) {
  const { rows } = await pool.query(
    `SELECT v.version, v.config, v.note, v.published_by, u.display_name, v.published_at
       FROM risk_rule_versions v LEFT JOIN users u ON u.id = v.published_by ORDER BY v.version DESC LIMIT 200`,
  );
  return rows.map((r) => ({
    version: r.version as number,
    rules: RiskRules.parse(r.config),
    note: r.note as string,
    publishedBy: (r.display_name ?? r.published_by) as string | null,
    publishedAt: new Date(r.published_at).toISOString(),
  }));
}
