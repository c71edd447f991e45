import type { Pool } from 'pg';
import { listensFor, startVariableProblems } from '../playbooks/nodes/start';
import { startConfigOf, type CompiledPlan } from '../playbooks/plan';
import { evaluatePage, RiskRules } from '../playbooks/risk';
import { inTransaction } from '../platform/db/pool';
import { applyRiskVerdicts, customerFactsPage, publishedRiskRules } from '../platform/db/riskFacts';
import type { RiskActivities } from '../workflows/riskContract';
import type { PublishedPlaybook } from '../workflows/runInput';

/**
 * The at-risk evaluation's activities. Each is idempotent: the evaluation row is upserted, a page's
 * changes are keyed by (evaluation, customer), and the counters are set, never added to, so
 * Temporal may retry any of them.
 */
export function createRiskActivities(pool: Pool): RiskActivities {
  return {
    async beginRiskEvaluation({ evaluationId, asOf, reason }) {
      const { version, rules } = await publishedRiskRules(pool);
      await pool.query(
        `INSERT INTO risk_evaluations (id, as_of, rule_version, reason) VALUES ($1, $2, $3, $4)
         ON CONFLICT (id) DO NOTHING`,
        [evaluationId, new Date(asOf), version, reason],
      );
      // A retry reads the version the first try stored, so one evaluation applies one version.
      const { rows } = await pool.query<{ rule_version: number | null }>('SELECT rule_version FROM risk_evaluations WHERE id = $1', [evaluationId]);
      const stored = rows[0]?.rule_version ?? null;
      if (stored !== version && stored !== null) {
        const again = await pool.query<{ config: unknown }>('SELECT config FROM risk_rule_versions WHERE version = $1', [stored]);
        return { ruleVersion: stored, rules: RiskRules.parse(again.rows[0]?.config) };
      }
      return { ruleVersion: version, rules };
    },

    async evaluateRiskPage({ evaluationId, asOf, rules, after, limit, customerIds, scannedBefore }) {
      return inTransaction(pool, async (client) => {
        const facts = await customerFactsPage(client, { asOf, after, limit, customerIds });
        const verdicts = evaluatePage(rules, facts, asOf);
        const changes = await applyRiskVerdicts(client, evaluationId, verdicts);
        await client.query(
          `UPDATE risk_evaluations SET scanned = $2, changed = (SELECT count(*) FROM risk_evaluation_changes WHERE evaluation_id = $1) WHERE id = $1`,
          [evaluationId, scannedBefore + facts.length],
        );
        const last = facts.at(-1);
        return { scanned: facts.length, changes, nextAfter: last && facts.length === limit ? last.id : null };
      });
    },

    async listeningPlaybooks({ triggers }) {
      const { rows } = await pool.query<{ playbook_key: string; version: number; name: string; plan: CompiledPlan }>(
        `SELECT DISTINCT ON (v.playbook_key) v.playbook_key, v.version, p.name, v.plan
           FROM playbook_versions v JOIN playbooks p ON p.key = v.playbook_key
          WHERE p.archived_at IS NULL ORDER BY v.playbook_key, v.version DESC`,
      );
      const out: Record<string, PublishedPlaybook[]> = {};
      for (const trigger of triggers) {
        out[trigger] = rows
          // A playbook that needs run variables cannot be started by a rule, which has none to give.
          .filter((r) => listensFor(startConfigOf(r.plan), trigger) && !startVariableProblems(startConfigOf(r.plan), {}).length)
          .map((r) => ({ key: r.playbook_key, version: r.version, name: r.name, plan: r.plan }));
      }
      return out;
    },

    async finishRiskEvaluation({ evaluationId, scanned, startedPlaybooks }) {
      await pool.query(
        `UPDATE risk_evaluations SET status = 'completed', scanned = $2, started_playbooks = $3, finished_at = coalesce(finished_at, now()),
                changed = (SELECT count(*) FROM risk_evaluation_changes WHERE evaluation_id = $1)
          WHERE id = $1`,
        [evaluationId, scanned, startedPlaybooks],
      );
    },
  };
}
