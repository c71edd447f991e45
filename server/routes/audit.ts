import { z } from 'zod';
import type { CompiledPlan } from '../../playbooks/plan';
import { verifyAuditChain } from '../audit/chain';
import { fetchAttemptHistories, verifyReplay } from '../audit/replay';
import { buildStory, type AuditRow } from '../audit/timeline';
import type { Deps } from '../deps';
import { attemptInReach, reachableAttempt, seesEveryDepartment } from '../access';
import { escapeHtml } from '../html';
import { deprecatedAlias, route, type RouteDef, type SessionUser } from '../http';
import { AttemptExport, AttemptStory, AuditRows, ChainVerdict, ReplayVerdict } from '../../contract/audit';
import { AUDIT_READERS } from '../../contract/roles';
import { Params } from '../inbox/query';
import { QueryDateTime } from '../queryValues';

const AuditQuery = z.object({
  attemptId: z.uuid().optional(),
  actor: z.string().min(1).max(100).optional(),
  action: z.string().min(1).max(100).optional(),
  from: QueryDateTime.optional(),
  to: QueryDateTime.optional(),
  limit: z.coerce.number().int().min(1).max(1000).default(200),
});
const UploadBody = z.object({ events: z.array(z.record(z.string(), z.unknown())).min(1) }).loose();

export function auditRoutes({ pool, temporal, config }: Deps): RouteDef[] {
  async function story(user: SessionUser, id: string) {
    const attempt = await reachableAttempt(pool, user, id);
    const version = await pool.query<{ graph: unknown; plan: CompiledPlan }>(
      'SELECT graph, plan FROM playbook_versions WHERE playbook_key = $1 AND version = $2',
      [attempt.playbook_key, attempt.playbook_version],
    );
    const histories = await fetchAttemptHistories(temporal, String(attempt.workflow_id), (attempt.first_run_id as string | null) ?? null);
    const audit = await pool.query<AuditRow & { id: string }>(
      'SELECT id, at, actor_id, action, subject, details FROM audit_log WHERE attempt_id = $1 ORDER BY id',
      [id],
    );
    const merged = { events: histories.flatMap((h) => h.history.events) };
    return {
      attempt,
      graph: version.rows[0]?.graph ?? null,
      plan: version.rows[0]?.plan ?? null,
      histories,
      audit: audit.rows,
      ...buildStory(merged, version.rows[0]?.plan ?? null, audit.rows),
    };
  }

  const attemptRoutes: RouteDef[] = [
    route({
      method: 'get',
      path: '/api/attempts/:id/timeline',
      summary: 'The story of a recovery attempt: timeline, path on the graph (with loop counts) and the state after each step',
      tag: 'audit',
      access: 'signed_in',
      response: AttemptStory,
      errors: { 404: 'no such attempt' },
      async handle({ params, user }) {
        const s = await story(user, params.id);
        return { attemptId: params.id, graph: s.graph, timeline: s.timeline, path: s.path, snapshots: s.snapshots, runs: s.histories.map((h) => h.runId) };
      },
    }),
    route({
      method: 'get',
      path: '/api/attempts/:id/replay',
      summary: "Replay the attempt's Temporal history through the current workflow code: matches, or the exact divergence",
      tag: 'audit',
      access: AUDIT_READERS,
      response: ReplayVerdict,
      errors: { 404: 'no such attempt' },
      async handle({ params, user }) {
        const attempt = await reachableAttempt(pool, user, params.id);
        const histories = await fetchAttemptHistories(temporal, String(attempt.workflow_id), (attempt.first_run_id as string | null) ?? null);
        return verifyReplay(histories, config.WORKFLOW_BUNDLE);
      },
    }),
    route({
      method: 'get',
      path: '/api/attempts/:id/export',
      summary: 'Export an attempt as evidence: history, graph, plan, timeline and audit rows in one JSON bundle',
      tag: 'audit',
      access: AUDIT_READERS,
      response: AttemptExport,
      errors: { 404: 'no such attempt' },
      async handle({ params, res, user }) {
        const s = await story(user, params.id);
        res.setHeader('content-disposition', `attachment; filename="recovery-attempt-${params.id}.json"`);
        return {
          exportedAt: new Date().toISOString(),
          attempt: s.attempt,
          graph: s.graph,
          plan: s.plan,
          histories: s.histories,
          timeline: s.timeline,
          path: s.path,
          audit: s.audit,
        };
      },
    }),
    route({
      method: 'get',
      path: '/api/attempts/:id/report',
      summary: 'A printable report of the attempt (HTML)',
      tag: 'audit',
      access: AUDIT_READERS,
      errors: { 404: 'no such attempt' },
      async handle({ params, res, user }) {
        const s = await story(user, params.id);
        res.type('html').send(renderReport(s.attempt, s.timeline));
      },
    }),
  ];

  return [
    ...attemptRoutes,
    // The paths before attempts had their own name; external clients still call them.
    ...attemptRoutes.map((def) => deprecatedAlias(def, def.path.replace('/api/attempts/', '/api/runs/'))),
    route<z.infer<typeof UploadBody>>({
      method: 'post',
      path: '/api/replay',
      summary: 'Replay a history exported by the Temporal CLI (temporal workflow show --output json) through the current code',
      tag: 'audit',
      access: AUDIT_READERS,
      safe: true,
      body: UploadBody,
      response: ReplayVerdict,
      async handle({ body }) {
        return verifyReplay([{ runId: null, history: body }], config.WORKFLOW_BUNDLE);
      },
    }),
    route<undefined, z.infer<typeof AuditQuery>>({
      method: 'get',
      path: '/api/audit',
      summary: 'Human-action audit rows, by attempt, actor, action and date range',
      tag: 'audit',
      access: AUDIT_READERS,
      query: AuditQuery,
      response: AuditRows,
      async handle({ query, user }) {
        if (query.attemptId) await reachableAttempt(pool, user, query.attemptId);
        const p = new Params();
        const [attemptId, actor, action, from, to] = [query.attemptId, query.actor, query.action, query.from, query.to].map((v) => p.add(v ?? null));
        // Rows about an attempt follow its customer's department; rows about no attempt (publishes,
        // handovers, contacts without one) only those who see every department read.
        const reach = seesEveryDepartment(user)
          ? 'TRUE'
          : `(l.attempt_id IS NOT NULL AND EXISTS (SELECT 1 FROM recovery_attempts a WHERE a.id = l.attempt_id AND ${attemptInReach(user, p)}))`;
        const { rows } = await pool.query(
          `SELECT l.id, l.at, l.actor_id, l.action, l.attempt_id, l.subject, l.details, l.prev_hash, l.hash FROM audit_log l
            WHERE (${attemptId}::uuid IS NULL OR l.attempt_id = ${attemptId}) AND (${actor}::text IS NULL OR l.actor_id = ${actor}) AND (${action}::text IS NULL OR l.action = ${action})
              AND (${from}::timestamptz IS NULL OR l.at >= ${from}) AND (${to}::timestamptz IS NULL OR l.at < ${to}) AND ${reach}
            ORDER BY l.id DESC LIMIT ${p.add(query.limit)}`,
          p.values,
        );
        return { rows };
      },
    }),
    route({
      method: 'get',
      path: '/api/audit/verify',
      summary: 'Verify the audit hash chain; names the first broken link',
      tag: 'audit',
      access: AUDIT_READERS,
      response: ChainVerdict,
      async handle() {
        return verifyAuditChain(pool);
      },
    }),
  ];
}

function renderReport(attempt: Record<string, unknown>, timeline: { at: string; summary: string; actor: { userId: string } | null }[]): string {
  const rows = timeline
    .map(
      (e) =>
        `<tr><td>${escapeHtml(e.at.replace('T', ' ').slice(0, 19))}</td><td>${escapeHtml(e.actor?.userId ?? '')}</td><td>${escapeHtml(e.summary)}</td></tr>`,
    )
    .join('');
  return `<!doctype html><html><head><meta charset="utf-8"><title>Recovery attempt ${escapeHtml(attempt.id)}</title>
<style>body{font-family:system-ui,sans-serif;margin:2rem;color:#111}table{border-collapse:collapse;width:100%}td,th{border-bottom:1px solid #ddd;padding:.3rem .5rem;text-align:left;font-size:.9rem;vertical-align:top}
h1{font-size:1.3rem}dl{display:grid;grid-template-columns:max-content 1fr;gap:.2rem 1rem}dt{color:#555}@media print{a{display:none}}</style></head><body>
<h1>Recovery attempt ${escapeHtml(attempt.id)}</h1>
<dl><dt>Customer</dt><dd>${escapeHtml(attempt.customer_id)}</dd><dt>Playbook</dt><dd>${escapeHtml(attempt.playbook_key)} v${escapeHtml(attempt.playbook_version)}</dd>
<dt>Started</dt><dd>${escapeHtml(attempt.started_at instanceof Date ? attempt.started_at.toISOString() : attempt.started_at)} by ${escapeHtml(attempt.started_by)}</dd>
<dt>Status</dt><dd>${escapeHtml(attempt.status)}${attempt.outcome ? ` — ${escapeHtml(attempt.outcome)}` : ''}</dd></dl>
<h2>Timeline</h2><table><thead><tr><th>When (UTC)</th><th>Who</th><th>What</th></tr></thead><tbody>${rows}</tbody></table>
<p><small>Generated ${escapeHtml(new Date().toISOString())} from Temporal's event history and the audit log.</small></p></body></html>`;
}
