import { Context } from '@temporalio/activity';
import { ApplicationFailure } from '@temporalio/common';
import type { Pool } from 'pg';
import { listensFor, startVariableProblems } from '../playbooks/nodes/start';
import { startConfigOf, type CompiledPlan } from '../playbooks/plan';
import { evaluatePage, RiskRules } from '../playbooks/risk';
import { ConfigSchema } from '../platform/config';
import { inTransaction } from '../platform/db/pool';
import { StartGate, startBacklog, unsettledAttemptStarts } from '../platform/startGate';
import { TASK_QUEUE } from '../workflows/contract';
import { applyRiskVerdicts, customerFactsPage, publishedRiskRules } from '../platform/db/riskFacts';
import type { RiskActivities } from '../workflows/riskContract';
import type { PublishedPlaybook } from '../workflows/runInput';

/**
 * The at-risk evaluation's activities. Each is idempotent: the evaluation row is upserted, a page's
 * changes are keyed by (evaluation, customer), and the counters are set, never added to, so
 * Temporal may retry any of them.
 */
export function createRiskActivities(pool: Pool, opts: { startBacklogLimit?: number } = {}): RiskActivities {
  const limit = opts.startBacklogLimit ?? ConfigSchema.shape.START_BACKLOG_LIMIT.parse(process.env.START_BACKLOG_LIMIT || undefined);
  let gate: StartGate | null = null;
  /** Built on first use, from the Temporal client the worker gives its activities. */
  const startGate = (): StartGate => {
    if (gate) return gate;
    let measure = () => unsettledAttemptStarts(pool);
    try {
      const { client } = Context.current();
      measure = startBacklog({ pool, workflowService: client.workflowService, namespace: client.options.namespace, taskQueue: TASK_QUEUE });
    } catch {
      // Called outside a worker (a test calling the activity directly): PostgreSQL's signal alone.
    }
    gate = new StartGate({ limit, measure });
    return gate;
  };
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

    async evaluateRiskPage({ evaluationId, asOf, rules, after, limit: pageSize, customerIds, scannedBefore }) {
      // The workflow starts a playbook for each change this page returns: the page waits for room
      // in the start backlog first, and changes no more customers than there is room for, so an
      // evaluation that flips thousands at once feeds them in as the system settles them. Waiting
      // is bounded; past it the activity fails retryably and Temporal's backoff asks again later.
      const room = await startGate().waitForAdmission(1, START_WAIT_MS, () => Context.current().heartbeat());
      if (!room.admit) throw ApplicationFailure.retryable(`the start backlog is full (${room.backlog} of ${limit}); retried`, 'start_backlog');
      const free = Math.max(1, limit - room.backlog);
      return inTransaction(pool, async (client) => {
        const page = await customerFactsPage(client, { asOf, after, limit: pageSize, customerIds });
        const { facts, verdicts, cut } = roomFor(page, evaluatePage(rules, page, asOf), free);
        const changes = await applyRiskVerdicts(client, evaluationId, verdicts);
        startGate().counted(Math.max(0, changes.length - 1));
        await client.query(
          `UPDATE risk_evaluations SET scanned = $2, changed = (SELECT count(*) FROM risk_evaluation_changes WHERE evaluation_id = $1) WHERE id = $1`,
          [evaluationId, scannedBefore + facts.length],
        );
        const last = facts.at(-1);
        return { scanned: facts.length, changes, nextAfter: last && (cut || facts.length === pageSize) ? last.id : null };
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

/** How long one page waits for room in the start backlog before failing for Temporal to retry it. */
const START_WAIT_MS = 30_000;

/**
 * The page up to the customer whose change would exceed `free` starts: the next page begins after
 * it. Verdicts come in the page's order (one per customer at most).
 */
function roomFor<F extends { id: string }, V extends { customerId: string }>(
  facts: F[],
  verdicts: V[],
  free: number,
): { facts: F[]; verdicts: V[]; cut: boolean } {
  if (verdicts.length <= free) return { facts, verdicts, cut: false };
  const firstLeftOut = facts.findIndex((f) => f.id === verdicts[free].customerId);
  return { facts: facts.slice(0, firstLeftOut), verdicts: verdicts.slice(0, free), cut: true };
}
