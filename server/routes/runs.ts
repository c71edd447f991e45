import { randomUUID } from 'node:crypto';
import { WorkflowExecutionAlreadyStartedError, WorkflowNotFoundError } from '@temporalio/client';
import { z } from 'zod';
import { Identifier } from '../../playbooks/graph';
import { startConfigOf, type CompiledPlan } from '../../playbooks/plan';
import { listensFor, startVariableProblems } from '../../playbooks/nodes/start';
import { systemNameProblem } from '../../playbooks/systemNames';
import type { Json } from '../../playbooks/runtime/types';
import { customerResponseSignal, runViewQuery, type RunView } from '../../workflows/contract';
import { buildRunInput, workflowIdFor } from '../../workflows/runInput';
import { startAttemptRun } from '../attemptStart';
import type { Deps } from '../deps';
import { ApiError, conflict, invalid, notFound } from '../errors';
import { idFromKey } from '../idempotency';
import { actorOf, deprecatedAlias, reply, route, type RouteDef, type SessionUser } from '../http';
import { AttemptDetail, AttemptList, ResponseAccepted, StartedAttempt, TriggerResult } from '../../contract/attempts';
import { ATTEMPT_STARTERS, WORKERS } from '../../contract/roles';
import { attemptInReach, reachableAttempt, reachableCustomer } from '../access';
import { Params } from '../inbox/query';
import { notArchived } from './playbookLifecycle';
import { QueryDateTime } from '../queryValues';
import { temporalLink } from '../operate/list';
import { admitStarts, START_BACKLOG_ERROR } from '../startGate';

/**
 * Values a run starts with. Keys are identifiers a playbook can name, never a system name (see
 * playbooks/systemNames: customer.*, visits.*, responses.*, offer.*...); text is bounded (the
 * body guard already keeps NUL and lone surrogates out).
 */
const RunVariables = z
  .record(Identifier, z.union([z.string().max(2000), z.number(), z.boolean(), z.null()]))
  .default({})
  .superRefine((vars, ctx) => {
    if (Object.keys(vars).length > 100) ctx.addIssue({ code: 'custom', message: 'at most 100 run variables', path: [] });
    for (const key of Object.keys(vars)) {
      const problem = systemNameProblem(key);
      if (problem) ctx.addIssue({ code: 'custom', message: problem, path: [key] });
    }
  });

const StartBody = z.object({
  playbookKey: z.string().min(1).max(64),
  /** Defaults to the latest published version. */
  version: z.number().int().positive().max(2_147_483_647).optional(),
  customerId: z.string().min(1).max(200),
  variables: RunVariables,
});
const ResponseBody = z.object({
  kind: z
    .string()
    .min(1)
    .max(50)
    .regex(/^[a-z_]+$/, 'use lower-case words joined by _'),
  channel: z.enum(['phone', 'sms', 'email', 'messaging', 'visit', 'link', 'webhook']).default('phone'),
  note: z.string().max(2000).nullable().default(null),
  /** Lets a webhook retry safely: the same id is applied once. */
  responseId: z.string().min(1).max(100).optional(),
});
const TriggerBody = z.object({
  key: z.string().min(1).max(100),
  customerId: z.string().min(1).max(200),
  variables: RunVariables,
});
const ListQuery = z.object({
  customerId: z.string().min(1).max(200).optional(),
  status: z.enum(['running', 'completed', 'failed', 'terminated']).optional(),
  playbook: z.string().min(1).max(64).optional(),
  version: z.coerce.number().int().positive().max(2_147_483_647).optional(),
  outcome: z.string().min(1).max(100).optional(),
  from: QueryDateTime.optional(),
  to: QueryDateTime.optional(),
  /** Someone who started the attempt or acted in it (audit log). */
  actor: z.string().min(1).max(100).optional(),
  limit: z.coerce.number().int().min(1).max(500).default(200),
});

/** Re-exported for the callers that import it from here; the builder lives in workflows/runInput. */
export { workflowIdFor };

function attemptView(r: Record<string, unknown>) {
  return {
    id: r.id,
    workflowId: r.workflow_id,
    customerId: r.customer_id,
    playbookKey: r.playbook_key,
    playbookVersion: r.playbook_version,
    status: r.status,
    outcome: r.outcome,
    outcomeReason: r.outcome_reason,
    currentNodeIds: r.current_node_ids,
    startedBy: r.started_by,
    startedAt: r.started_at,
    endedAt: r.ended_at,
  };
}

export function attemptRoutes(deps: Deps): RouteDef[] {
  const { pool, temporal, log, config } = deps;
  // The same link the operator's list gives, so the attempt page and the list open the same run.
  const temporalUrl = temporalLink(config);
  const startRoutes: RouteDef[] = [
    route<z.infer<typeof StartBody>>({
      method: 'post',
      path: '/api/attempts',
      summary: 'Start a recovery attempt for a customer from a published playbook version',
      tag: 'attempts',
      access: ATTEMPT_STARTERS,
      body: StartBody,
      response: StartedAttempt,
      success: [201],
      errors: { 404: 'no such customer or version', 409: 'an attempt of this playbook already runs for this customer', 503: START_BACKLOG_ERROR },
      idempotent: true,
      async handle({ body, user, idempotencyKey }) {
        return reply(201, await startAttempt(body, user, idempotencyKey));
      },
    }),
    route<z.infer<typeof TriggerBody>>({
      method: 'post',
      path: '/api/triggers',
      summary: 'Fire a trigger (e.g. customer.pre_churn): starts every playbook whose start node listens for it',
      tag: 'attempts',
      access: ATTEMPT_STARTERS,
      body: TriggerBody,
      response: TriggerResult,
      success: [200, 201],
      errors: { 404: 'no such customer', 503: START_BACKLOG_ERROR },
      async handle({ body, user }) {
        // Refused up front, even when nothing listens: a trigger names a customer within reach.
        await reachableCustomer(pool, user, body.customerId);
        const { rows } = await pool.query<{ playbook_key: string }>(
          // Archived playbooks are not started by triggers (their running attempts go on).
          `SELECT DISTINCT ON (playbook_key) playbook_key, version, plan FROM playbook_versions v WHERE ${notArchived('v.playbook_key')} ORDER BY playbook_key, version DESC`,
        );
        const listening = [];
        for (const row of rows as unknown as { playbook_key: string; plan: CompiledPlan }[]) {
          if (listensFor(startConfigOf(row.plan), body.key)) listening.push(row.playbook_key);
        }
        // Admitted or refused as one: a trigger never starts some of its playbooks and 503s the rest.
        if (listening.length) await admitStarts(deps, listening.length);
        const started = [];
        const skipped = [];
        for (const playbookKey of listening) {
          try {
            started.push(await startAttempt({ playbookKey, customerId: body.customerId, variables: body.variables }, user, null, false));
          } catch (err) {
            if (err instanceof ApiError && err.status === 409) skipped.push({ playbookKey, reason: err.code });
            else throw err;
          }
        }
        return reply(started.length ? 201 : 200, { key: body.key, started, skipped });
      },
    }),
  ];

  async function startAttempt(
    body: { playbookKey: string; version?: number; customerId: string; variables: Record<string, string | number | boolean | null> },
    user: SessionUser,
    idempotencyKey: string | null = null,
    /** False when the caller admitted this start already (a trigger admits all of its starts at once). */
    gated = true,
  ) {
    const customer = await reachableCustomer(pool, user, body.customerId);
    const { rows } = await pool.query<{ version: number; plan: CompiledPlan; name: string }>(
      `SELECT v.version, v.plan, p.name FROM playbook_versions v JOIN playbooks p ON p.key = v.playbook_key
        WHERE v.playbook_key = $1 AND ($2::int IS NULL OR v.version = $2::int) ORDER BY v.version DESC LIMIT 1`,
      [body.playbookKey, body.version ?? null],
    );
    const published = rows[0];
    if (!published)
      throw notFound(body.version ? `version ${body.version} of playbook ${body.playbookKey}` : `a published version of playbook ${body.playbookKey}`);
    checkStartVariables(published.plan, body.variables);
    // With an Idempotency-Key the attempt's id comes from it: a start re-run after an unknown
    // outcome (Temporal timed out, the API died) recognises the attempt it already started.
    const attemptId = idempotencyKey ? idFromKey(user.id, idempotencyKey) : randomUUID();
    const workflowId = workflowIdFor(customer.id, body.playbookKey);
    const input = buildRunInput({
      attemptId,
      playbook: { key: body.playbookKey, version: published.version, name: published.name, plan: published.plan },
      customer,
      startedBy: actorOf(user),
      variables: body.variables as Record<string, Json>,
    });
    // After the checks (a bad request hears why, not "busy"), before anything is started or stored.
    if (gated) await admitStarts(deps);
    let firstRunId: string;
    try {
      ({ firstRunId } = await startAttemptRun(deps, input));
    } catch (err) {
      if (err instanceof WorkflowExecutionAlreadyStartedError) {
        if (idempotencyKey) {
          const mine = await ownStartedAttempt(attemptId, workflowId);
          if (mine)
            return { id: attemptId, workflowId, runId: mine.first_run_id, playbookKey: body.playbookKey, version: published.version, customerId: customer.id };
        }
        const running = await pool.query('SELECT id FROM recovery_attempts WHERE workflow_id = $1 AND status = $2 ORDER BY started_at DESC LIMIT 1', [
          workflowId,
          'running',
        ]);
        throw conflict('attempt_already_running', `playbook ${body.playbookKey} is already running for customer ${customer.id}`, {
          workflowId,
          attemptId: running.rows[0]?.id ?? null,
        });
      }
      throw err;
    }
    // The run_started audit row is written by the attempt's first transition (workers/activities.ts).
    log.info({ attemptId, workflowId, version: published.version }, 'recovery attempt started');
    return { id: attemptId, workflowId, runId: firstRunId, playbookKey: body.playbookKey, version: published.version, customerId: customer.id };
  }

  /** The attempt this key already started (its row is written by the API or the workflow's first activity). */
  async function ownStartedAttempt(attemptId: string, workflowId: string): Promise<{ first_run_id: string | null } | null> {
    for (let i = 0; i < 30; i++) {
      const { rows } = await pool.query('SELECT first_run_id FROM recovery_attempts WHERE id = $1 AND workflow_id = $2', [attemptId, workflowId]);
      if (rows[0]) return rows[0];
      await new Promise((r) => setTimeout(r, 100));
    }
    return null;
  }

  const routes: RouteDef[] = [
    ...startRoutes,
    route<undefined, z.infer<typeof ListQuery>>({
      method: 'get',
      path: '/api/attempts',
      summary: 'Find recovery attempts by customer, playbook, version, outcome, date range and actor',
      tag: 'attempts',
      access: 'signed_in',
      query: ListQuery,
      response: AttemptList,
      async handle({ query, user }) {
        const p = new Params();
        const [customerId, status, playbook, version, outcome, from, to, actor] = [
          query.customerId,
          query.status,
          query.playbook,
          query.version,
          query.outcome,
          query.from,
          query.to,
          query.actor,
        ].map((v) => p.add(v ?? null));
        const { rows } = await pool.query(
          `SELECT * FROM recovery_attempts a
            WHERE (${customerId}::text IS NULL OR customer_id = ${customerId}) AND (${status}::text IS NULL OR status = ${status})
              AND (${playbook}::text IS NULL OR playbook_key = ${playbook}) AND (${version}::int IS NULL OR playbook_version = ${version}) AND (${outcome}::text IS NULL OR outcome = ${outcome})
              AND (${from}::timestamptz IS NULL OR started_at >= ${from}) AND (${to}::timestamptz IS NULL OR started_at < ${to})
              AND (${actor}::text IS NULL OR started_by = ${actor} OR EXISTS (SELECT 1 FROM audit_log l WHERE l.attempt_id = a.id AND l.actor_id = ${actor})
                   OR EXISTS (SELECT 1 FROM tasks t WHERE t.attempt_id = a.id AND t.completed_by = ${actor}))
              AND ${attemptInReach(user, p)}
            ORDER BY started_at DESC LIMIT ${p.add(query.limit)}`,
          p.values,
        );
        return { runs: rows.map(attemptView) };
      },
    }),
    route({
      method: 'get',
      path: '/api/attempts/:id',
      summary: 'Read a recovery attempt: stored status plus the live state from Temporal',
      tag: 'attempts',
      access: 'signed_in',
      response: AttemptDetail,
      errors: { 404: 'no such attempt' },
      async handle({ params, user }) {
        const row = await reachableAttempt(pool, user, params.id);
        const tasks = await pool.query(
          'SELECT id, task_key, node_id, title, assignee_role, department_id, status, outcome, completed_by, created_at, closed_at FROM tasks WHERE attempt_id = $1 ORDER BY created_at',
          [row.id],
        );
        let live: RunView | null = null;
        let temporalStatus: string | null = null;
        try {
          const handle = temporal.workflow.getHandle(String(row.workflow_id));
          const description = await handle.describe();
          temporalStatus = description.status.name;
          live = await handle.query(runViewQuery);
        } catch (err) {
          // The stored row still answers when Temporal is briefly away or the run was reset.
          if (!(err instanceof WorkflowNotFoundError)) log.warn({ err: String(err), attemptId: row.id }, 'live state unavailable');
        }
        return {
          ...attemptView(row),
          temporalStatus,
          live,
          temporalUrl: temporalUrl(String(row.workflow_id)),
          tasks: tasks.rows.map((t) => ({
            id: t.id,
            taskKey: t.task_key,
            nodeId: t.node_id,
            title: t.title,
            assigneeRole: t.assignee_role,
            department: t.department_id,
            status: t.status,
            outcome: t.outcome,
            completedBy: t.completed_by,
            createdAt: t.created_at,
            closedAt: t.closed_at,
          })),
        };
      },
    }),
    route<z.infer<typeof ResponseBody>>({
      method: 'post',
      path: '/api/attempts/:id/responses',
      summary: "Record the customer's answer (accepted, declined, complaint, callback_requested...)",
      tag: 'attempts',
      access: WORKERS,
      body: ResponseBody,
      response: ResponseAccepted,
      success: [202],
      errors: { 404: 'no such attempt', 409: 'the attempt has ended' },
      idempotent: true,
      async handle({ params, body, user, idempotencyKey }) {
        const row = await reachableAttempt(pool, user, params.id);
        if (row.status !== 'running') throw conflict('run_not_running', 'the recovery attempt has already ended');
        // The workflow counts each response id once: a re-run under the same key cannot answer twice.
        const responseId = body.responseId ?? (idempotencyKey ? `key:${user.id}:${idempotencyKey}` : randomUUID());
        try {
          await temporal.workflow
            .getHandle(String(row.workflow_id))
            .signal(customerResponseSignal, { responseId, kind: body.kind, channel: body.channel, note: body.note, actor: actorOf(user) });
        } catch (err) {
          if (err instanceof WorkflowNotFoundError) throw conflict('run_not_running', 'the recovery attempt has already ended');
          throw err;
        }
        // Audited by the worker when the run records the answer, in the same transaction.
        return reply(202, { accepted: true, responseId });
      },
    }),
  ];
  return [
    ...routes,
    // The paths from before attempts had their own name: external clients still call them.
    ...routes.filter((def) => def.path.startsWith('/api/attempts')).map((def) => deprecatedAlias(def, def.path.replace('/api/attempts', '/api/runs'))),
  ];
}

/** The start node declares the run variables it expects: check them before Temporal sees them. */
function checkStartVariables(plan: CompiledPlan, variables: Record<string, unknown>): void {
  const problems = startVariableProblems(plan.nodes[plan.startNodeId]?.config, variables);
  if (problems.length) throw invalid(problems, 'the run variables do not match what the playbook expects');
}
