import { z } from 'zod';
import type { PlaybookGraph } from '../../playbooks/graph';
import type { CompiledPlan } from '../../playbooks/plan';
import { verifyAuditChain } from '../audit/chain';
import { fetchAttemptHistories, verifyReplay } from '../audit/replay';
import { renderReport, type ReportChain } from '../audit/report';
import { collectStory, knownTimeZone, tellStory, type AuditRow, type NameDirectory } from '../audit/timeline';
import type { Deps } from '../deps';
import { attemptInReach, reachableAttempt, seesEveryDepartment } from '../access';
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
/** The reader's time zone (the editor sends the browser's), so moments read as their local time. */
const TellQuery = z.object({
  tz: z.string().max(64).refine(knownTimeZone, { message: 'not a time zone this server knows (an IANA name such as Europe/Berlin, or UTC)' }).optional(),
});
/** The server's own zone when the reader names none. */
const SERVER_ZONE = Intl.DateTimeFormat().resolvedOptions().timeZone;
const UploadBody = z.object({ events: z.array(z.record(z.string(), z.unknown())).min(1) }).loose();

/** The names of the people and departments a story mentions, in one query each. */
async function namesOf(pool: Deps['pool'], people: Iterable<string>, departments: Iterable<string>): Promise<NameDirectory> {
  const [users, depts] = await Promise.all([
    pool.query<{ id: string; display_name: string }>('SELECT id, display_name FROM users WHERE id = ANY($1::text[])', [[...people]]),
    pool.query<{ id: string; name: string }>('SELECT id, name FROM departments WHERE id = ANY($1::text[])', [[...departments]]),
  ]);
  return { users: new Map(users.rows.map((u) => [u.id, u.display_name])), departments: new Map(depts.rows.map((d) => [d.id, d.name])) };
}

export function auditRoutes({ pool, temporal, config }: Deps): RouteDef[] {
  async function story(user: SessionUser, id: string, timeZone?: string) {
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
    const draft = collectStory(merged, version.rows[0]?.plan ?? null, audit.rows);
    if (typeof attempt.started_by === 'string') draft.people.add(attempt.started_by);
    const names = await namesOf(pool, draft.people, draft.departments);
    return {
      attempt,
      graph: version.rows[0]?.graph ?? null,
      plan: version.rows[0]?.plan ?? null,
      histories,
      audit: audit.rows,
      names,
      ...tellStory(draft, names, timeZone),
    };
  }

  /** The chain as the report pins it: the head read first, then the walk, which covers at least that far. */
  async function chainForReport(attemptId: string): Promise<ReportChain> {
    const head = await pool.query<{ id: string; hash: string; at: Date }>('SELECT l.id::text AS id, l.hash, l.at FROM audit_log l ORDER BY l.id DESC LIMIT 1');
    const own = await pool.query<{ id: string; hash: string }>(
      'SELECT l.id::text AS id, l.hash FROM audit_log l WHERE l.attempt_id = $1 ORDER BY l.id DESC LIMIT 1',
      [attemptId],
    );
    const verdict = await verifyAuditChain(pool);
    const h = head.rows[0];
    return {
      ok: verdict.ok,
      rows: verdict.rows,
      firstBrokenId: verdict.firstBroken?.id ?? null,
      head: h ? { id: h.id, hash: h.hash, at: h.at.toISOString() } : null,
      attemptLast: own.rows[0] ?? null,
    };
  }

  /** The customer's and the playbook's names for the report's heading. */
  async function reportNames(attempt: Record<string, unknown>): Promise<{ customer: string | null; playbook: string | null }> {
    const { rows } = await pool.query<{ customer: string | null; playbook: string | null }>(
      'SELECT (SELECT name FROM customers WHERE id = $1) AS customer, (SELECT name FROM playbooks WHERE key = $2) AS playbook',
      [attempt.customer_id, attempt.playbook_key],
    );
    return rows[0] ?? { customer: null, playbook: null };
  }

  const attemptRoutes: RouteDef[] = [
    route<undefined, z.infer<typeof TellQuery>>({
      method: 'get',
      path: '/api/attempts/:id/timeline',
      summary: 'The story of a recovery attempt: timeline, path on the graph (with loop counts) and the state after each step',
      tag: 'audit',
      access: 'signed_in',
      query: TellQuery,
      response: AttemptStory,
      errors: { 404: 'no such attempt' },
      async handle({ params, user, query }) {
        const s = await story(user, params.id, query.tz);
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
    route<undefined, z.infer<typeof TellQuery>>({
      method: 'get',
      path: '/api/attempts/:id/report',
      summary:
        "A printable report of the attempt (HTML): people by name, times in the reader's zone (tz), the path on the playbook, the verified replay and the audit chain head",
      tag: 'audit',
      access: AUDIT_READERS,
      query: TellQuery,
      errors: { 404: 'no such attempt' },
      async handle({ params, res, user, query }) {
        const timeZone = query.tz ?? SERVER_ZONE;
        const s = await story(user, params.id, timeZone);
        const [replay, chain, names] = await Promise.all([
          verifyReplay(s.histories, config.WORKFLOW_BUNDLE),
          chainForReport(params.id),
          reportNames(s.attempt),
        ]);
        const a = s.attempt;
        const iso = (v: unknown) => (v instanceof Date ? v.toISOString() : v == null ? null : String(v));
        res.type('html').send(
          renderReport({
            attempt: {
              id: String(a.id),
              customerId: String(a.customer_id),
              status: String(a.status),
              outcome: (a.outcome as string | null) ?? null,
              outcomeReason: (a.outcome_reason as string | null) ?? null,
              startedAt: iso(a.started_at) ?? '',
              startedBy: (a.started_by as string | null) ?? null,
              endedAt: iso(a.ended_at),
              playbookKey: String(a.playbook_key),
              playbookVersion: Number(a.playbook_version),
            },
            customerName: names.customer,
            playbookName: names.playbook,
            graph: s.graph as PlaybookGraph | null,
            story: s,
            activeNodeIds: a.status === 'running' ? ((a.current_node_ids as string[] | null) ?? []) : [],
            replay,
            chain,
            names: s.names,
            timeZone,
            generatedAt: new Date(),
          }),
        );
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
