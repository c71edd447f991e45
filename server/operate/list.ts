import type { Pool, PoolClient } from 'pg';
import type { z } from 'zod';
import type { IncidentView, OperateAttempt, OperateFilter, OperateListQuery, StepWait } from '../../contract/operate';
import type { Config } from '../../platform/config';
import { customerInReach } from '../access';
import { invalid } from '../errors';
import type { SessionUser } from '../http';
import { Params } from '../inbox/query';
import { isTimestampText } from '../queryValues';
import { containsLiterally } from '../search';

/**
 * The operator's list of attempts (issue 14) as SQL. It reads what the worker stored on every
 * transition (recovery_attempts.waits, waiting_since), never Temporal, so a page of 100 out of
 * 10,000 sleeping attempts costs one indexed query and a count. The filter is written once
 * (`filterSql`): the list, its total and the batch's resolution of a filter (`attemptIdsMatching`)
 * all use it, so a batch acts on exactly the attempts the operator saw listed.
 */

type Db = Pool | PoolClient;

/** Every filter reads the attempt as `a` and its customer as `c`. */
const FROM = 'recovery_attempts a JOIN customers c ON c.id = a.customer_id';

/**
 * Longest asleep first among running attempts (they are what an operator looks after), then the
 * ended ones, newest first; the id keeps pages stable when times tie.
 */
const ORDER = `ORDER BY (a.status = 'running') DESC, CASE WHEN a.status = 'running' THEN a.waiting_since END ASC NULLS LAST, a.started_at DESC, a.id`;

// What each step waits for, as jsonpath over the stored StepWait[].
const WAITS_ON_TASK = `a.waits @? '$[*] ? (@.tasks.size() > 0)'`;
const WAITS_ON_ANSWER = `a.waits @? '$[*] ? (@.answer != null)'`;
const WAITS_ON_TIMER = `a.waits @? '$[*] ? (@.timers.size() > 0)'`;
const OPEN_INCIDENT = 'EXISTS (SELECT 1 FROM attempt_incidents i WHERE i.attempt_id = a.id AND i.resolved_at IS NULL)';

/**
 * The filter as one SQL condition on `a` and `c`, within the user's reach. A moment PostgreSQL
 * would refuse (year 0 passes the ISO pattern) is a 400 here, never a cast error in the query.
 */
export function filterSql(user: SessionUser, filter: OperateFilter, p: Params, at: string[] = ['query']): string {
  if (filter.waitingBefore !== undefined && !isTimestampText(filter.waitingBefore))
    throw invalid([{ code: 'invalid_parameter', message: 'expected a date-time on a real calendar day', path: [...at, 'waitingBefore'] }]);
  const where = [customerInReach(user, p, 'c')];
  if (filter.playbook !== undefined) where.push(`a.playbook_key = ${p.add(filter.playbook)}`);
  if (filter.version !== undefined) where.push(`a.playbook_version = ${p.add(filter.version)}`);
  if (filter.status !== undefined) where.push(`a.status = ${p.add(filter.status)}`);
  if (filter.step !== undefined) where.push(`a.current_node_ids @> ARRAY[${p.add(filter.step)}::text]`);
  if (filter.waiting === 'task') where.push(WAITS_ON_TASK);
  if (filter.waiting === 'answer') where.push(WAITS_ON_ANSWER);
  // A timer only: nobody is asked to do anything, the attempt just sleeps until it fires.
  if (filter.waiting === 'timer') where.push(`${WAITS_ON_TIMER} AND NOT ${WAITS_ON_TASK} AND NOT ${WAITS_ON_ANSWER}`);
  if (filter.incident === 'open') where.push(OPEN_INCIDENT);
  if (filter.incident === 'none') where.push(`NOT ${OPEN_INCIDENT}`);
  if (filter.customer !== undefined) {
    const id = p.add(filter.customer);
    where.push(`(a.customer_id = ${id} OR c.name ILIKE ${p.add(containsLiterally(filter.customer))})`);
  }
  if (filter.department !== undefined) where.push(`c.department_id = ${p.add(filter.department)}`);
  if (filter.waitingBefore !== undefined) where.push(`a.waiting_since < ${p.add(filter.waitingBefore)}::timestamptz`);
  return where.join(' AND ');
}

/**
 * The ids of the attempts the filter lists, in the list's order (a batch resolves its filter with
 * this). A filter PostgreSQL could not read is a 400 naming `filter.<field>`, as a batch's body has it.
 */
export async function attemptIdsMatching(db: Db, user: SessionUser, filter: OperateFilter, limit: number): Promise<string[]> {
  const p = new Params();
  const where = filterSql(user, filter, p, ['filter']);
  const { rows } = await db.query<{ id: string }>(`SELECT a.id FROM ${FROM} WHERE ${where} ${ORDER} LIMIT ${p.add(limit)}`, p.values);
  return rows.map((r) => r.id);
}

/** Where an attempt's run opens in Temporal's UI, or null when no UI is known (production without TEMPORAL_UI_URL). */
export function temporalLink(
  config: Pick<Config, 'TEMPORAL_UI_URL' | 'MODE' | 'TEMPORAL_UI_PORT' | 'TEMPORAL_NAMESPACE'>,
): (workflowId: string) => string | null {
  const base = config.TEMPORAL_UI_URL?.replace(/\/+$/, '') ?? (config.MODE === 'embedded' ? `http://127.0.0.1:${config.TEMPORAL_UI_PORT}` : null);
  if (!base) return () => null;
  const namespace = encodeURIComponent(config.TEMPORAL_NAMESPACE);
  return (workflowId) => `${base}/namespaces/${namespace}/workflows/${encodeURIComponent(workflowId)}`;
}

export const INCIDENT_COLUMNS = `i.incident_id, i.attempt_id, i.code, i.message, i.node_ids, i.transition, i.opened_at, i.resolved_at, i.resolution,
  COALESCE(ru.display_name, i.resolved_by) AS resolved_by_name, i.resolution_reason`;
/** Joined as `ru`: who resolved it, by name (the operator reading the incident knows people, not ids). */
export const RESOLVER_JOIN = 'LEFT JOIN users ru ON ru.id = i.resolved_by';

export function incidentView(r: Record<string, unknown>): IncidentView {
  return {
    incidentId: String(r.incident_id),
    attemptId: String(r.attempt_id),
    code: String(r.code),
    message: String(r.message),
    nodeIds: r.node_ids as string[],
    transition: Number(r.transition),
    openedAt: (r.opened_at as Date).toISOString(),
    resolvedAt: r.resolved_at ? (r.resolved_at as Date).toISOString() : null,
    resolution: (r.resolution as IncidentView['resolution']) ?? null,
    resolvedBy: (r.resolved_by_name as string | null) ?? null,
    resolutionReason: (r.resolution_reason as string | null) ?? null,
  };
}

/** The display names of the people the waits assign tasks to, filled in place. */
async function nameAssignees(db: Db, waits: StepWait[][]): Promise<void> {
  const ids = [...new Set(waits.flatMap((ws) => ws.flatMap((w) => w.tasks.map((t) => t.userId).filter((id): id is string => !!id))))];
  if (!ids.length) return;
  const { rows } = await db.query<{ id: string; display_name: string }>('SELECT id, display_name FROM users WHERE id = ANY($1::text[])', [ids]);
  const names = new Map(rows.map((r) => [r.id, r.display_name]));
  for (const ws of waits) for (const w of ws) for (const t of w.tasks) t.userName = t.userId ? (names.get(t.userId) ?? null) : null;
}

/** A page of the operator's list and how many attempts match the filter. */
export async function listAttempts(
  db: Db,
  user: SessionUser,
  query: z.infer<typeof OperateListQuery>,
  linkOf: (workflowId: string) => string | null,
): Promise<{ attempts: OperateAttempt[]; total: number }> {
  const { limit, offset, ...filter } = query;
  const p = new Params();
  const where = filterSql(user, filter, p);
  // A copy: pg may read a query's values only once a connection is free, after limit and offset are added.
  const count = db.query<{ total: number }>(`SELECT count(*)::int AS total FROM ${FROM} WHERE ${where}`, [...p.values]);
  const page = db.query(
    `SELECT a.id, a.workflow_id, a.customer_id, c.name AS customer_name, c.department_id,
            (SELECT d.name FROM departments d WHERE d.id = c.department_id) AS department_name, a.playbook_key, pb.name AS playbook_name,
            a.playbook_version, a.migrated_from, a.status, a.outcome, a.started_at, a.ended_at, a.waiting_since, a.current_node_ids, a.waits
       FROM ${FROM} JOIN playbooks pb ON pb.key = a.playbook_key
      WHERE ${where} ${ORDER} LIMIT ${p.add(limit)} OFFSET ${p.add(offset)}`,
    p.values,
  );
  const [{ rows: counted }, { rows }] = await Promise.all([count, page]);
  const ids = rows.map((r) => r.id as string);
  const [incidents] = await Promise.all([
    ids.length
      ? db.query(
          `SELECT DISTINCT ON (i.attempt_id) ${INCIDENT_COLUMNS} FROM attempt_incidents i ${RESOLVER_JOIN}
            WHERE i.attempt_id = ANY($1::uuid[]) AND i.resolved_at IS NULL ORDER BY i.attempt_id, i.opened_at DESC`,
          [ids],
        )
      : Promise.resolve({ rows: [] as Record<string, unknown>[] }),
    nameAssignees(
      db,
      rows.map((r) => r.waits as StepWait[]),
    ),
  ]);
  const openIncident = new Map(incidents.rows.map((r) => [String(r.attempt_id), incidentView(r)]));
  return {
    total: counted[0].total,
    attempts: rows.map((r) => ({
      id: r.id,
      workflowId: r.workflow_id,
      customerId: r.customer_id,
      customerName: r.customer_name,
      department: r.department_id,
      departmentName: r.department_name,
      playbookKey: r.playbook_key,
      playbookName: r.playbook_name,
      playbookVersion: r.playbook_version,
      migratedFrom: r.migrated_from,
      status: r.status,
      outcome: r.outcome,
      startedAt: (r.started_at as Date).toISOString(),
      endedAt: r.ended_at ? (r.ended_at as Date).toISOString() : null,
      waitingSince: r.waiting_since ? (r.waiting_since as Date).toISOString() : null,
      currentNodeIds: r.current_node_ids,
      waits: r.waits,
      incident: openIncident.get(r.id) ?? null,
      temporalUrl: linkOf(r.workflow_id),
    })),
  };
}

/** Attempts per version and per current step of one playbook, within the user's reach (the canvas badges). */
export async function attemptCounts(db: Db, user: SessionUser, playbookKey: string) {
  const p = new Params();
  const key = p.add(playbookKey);
  const reach = customerInReach(user, p, 'c');
  const [versions, openByVersion, runningByStep, openByStep] = await Promise.all([
    db.query<{ version: number; running: number; completed: number }>(
      `SELECT v.version, count(a.id) FILTER (WHERE a.status = 'running')::int AS running, count(a.id) FILTER (WHERE a.status = 'completed')::int AS completed
         FROM playbook_versions v
         LEFT JOIN (${FROM}) ON a.playbook_key = v.playbook_key AND a.playbook_version = v.version AND ${reach}
        WHERE v.playbook_key = ${key} GROUP BY v.version ORDER BY v.version`,
      p.values,
    ),
    db.query<{ version: number; incidents: number }>(
      `SELECT a.playbook_version AS version, count(*)::int AS incidents
         FROM attempt_incidents i JOIN ${FROM} ON a.id = i.attempt_id
        WHERE i.resolved_at IS NULL AND a.playbook_key = ${key} AND ${reach} GROUP BY 1`,
      p.values,
    ),
    db.query<{ version: number; node_id: string; n: number }>(
      `SELECT a.playbook_version AS version, n.node_id, count(*)::int AS n
         FROM ${FROM} CROSS JOIN LATERAL unnest(a.current_node_ids) AS n(node_id)
        WHERE a.status = 'running' AND a.playbook_key = ${key} AND ${reach} GROUP BY 1, 2`,
      p.values,
    ),
    // An incident counts at the steps whose write was refused.
    db.query<{ version: number; node_id: string; n: number }>(
      `SELECT a.playbook_version AS version, n.node_id, count(*)::int AS n
         FROM attempt_incidents i JOIN ${FROM} ON a.id = i.attempt_id CROSS JOIN LATERAL unnest(i.node_ids) AS n(node_id)
        WHERE i.resolved_at IS NULL AND a.playbook_key = ${key} AND ${reach} GROUP BY 1, 2`,
      p.values,
    ),
  ]);
  if (!versions.rows.length) return null;
  const incidents = new Map(openByVersion.rows.map((r) => [r.version, r.incidents]));
  const steps = new Map<string, { version: number; nodeId: string; running: number; incidents: number }>();
  const at = (version: number, nodeId: string) => {
    const k = `${version}\u0000${nodeId}`;
    if (!steps.has(k)) steps.set(k, { version, nodeId, running: 0, incidents: 0 });
    return steps.get(k)!;
  };
  for (const r of runningByStep.rows) at(r.version, r.node_id).running = r.n;
  for (const r of openByStep.rows) at(r.version, r.node_id).incidents = r.n;
  return {
    byVersion: versions.rows.map((v) => ({ ...v, incidents: incidents.get(v.version) ?? 0 })),
    byStep: [...steps.values()].sort((a, b) => a.version - b.version || (a.nodeId < b.nodeId ? -1 : a.nodeId > b.nodeId ? 1 : 0)),
  };
}

/** Most an incident list answers: the newest first, far more than an operator reads in one go. */
export const INCIDENT_LIST_LIMIT = 1000;

/** Incidents of the attempts within reach, newest first; `open` picks the unresolved (true) or resolved (false) ones. */
export async function listIncidents(db: Db, user: SessionUser, open: boolean | undefined) {
  const p = new Params();
  const state = open === undefined ? 'TRUE' : open ? 'i.resolved_at IS NULL' : 'i.resolved_at IS NOT NULL';
  const { rows } = await db.query(
    `SELECT ${INCIDENT_COLUMNS}, c.name AS customer_name, a.playbook_key, a.playbook_version
       FROM attempt_incidents i JOIN ${FROM} ON a.id = i.attempt_id ${RESOLVER_JOIN}
      WHERE ${state} AND ${customerInReach(user, p, 'c')}
      ORDER BY i.opened_at DESC, i.incident_id LIMIT ${INCIDENT_LIST_LIMIT}`,
    p.values,
  );
  return rows.map((r) => ({ ...incidentView(r), customerName: r.customer_name, playbookKey: r.playbook_key, playbookVersion: r.playbook_version }));
}

/** What operators did to one attempt and the writes it had refused, oldest first. */
export async function operationHistory(db: Db, attemptId: string) {
  const [operations, incidents] = await Promise.all([
    db.query(
      `SELECT o.operation_id, o.operation, o.actor_id, u.display_name AS actor_name, o.reason, o.details, o.at
         FROM attempt_operations o LEFT JOIN users u ON u.id = o.actor_id
        WHERE o.attempt_id = $1 ORDER BY o.at, o.operation_id`,
      [attemptId],
    ),
    db.query(`SELECT ${INCIDENT_COLUMNS} FROM attempt_incidents i ${RESOLVER_JOIN} WHERE i.attempt_id = $1 ORDER BY i.opened_at, i.incident_id`, [attemptId]),
  ]);
  return {
    operations: operations.rows.map((r) => ({
      operationId: r.operation_id,
      operation: r.operation,
      actorId: r.actor_id,
      actorName: r.actor_name,
      reason: r.reason,
      details: r.details,
      at: (r.at as Date).toISOString(),
    })),
    incidents: incidents.rows.map(incidentView),
  };
}
