import type { Client } from '@temporalio/client';
import { Worker } from '@temporalio/worker';
import type { Pool } from 'pg';
import { IGNORED_SNAPSHOTS } from '../../server/audit/replay';
import type { ApiClient } from './client';
import type { AttemptRecord } from './driver';
import { expectedFor, type ExpectedTask } from './scenario';

export type FindingKind = 'wrong_outcome' | 'missing' | 'doubled' | 'open_task' | 'not_finished' | 'replay' | 'audit_chain' | 'driver';

export interface Finding {
  kind: FindingKind;
  /** The attempt's index in the campaign, when it concerns one. */
  attempt: number | null;
  attemptId: string | null;
  detail: string;
}

export interface Verification {
  findings: Finding[];
  replayed: number;
  auditChain: { ok: boolean; rows: number; firstBroken: unknown } | null;
  durationMs: number;
}

const taskKey = (t: Pick<ExpectedTask, 'nodeId' | 'escalation' | 'status' | 'outcome' | 'completedBy'>) =>
  `${t.nodeId}${t.escalation ? ' (escalation)' : ''} ${t.status}/${t.outcome ?? '-'} by ${t.completedBy ?? '-'}`;

/**
 * Everything each scripted path must have left, read from PostgreSQL and Temporal: the outcome,
 * every task, message, contact and audit row exactly once, no open task on a finished run, every
 * history replaying through today's workflow code, and an unbroken audit chain.
 */
export async function verifyCampaign(opts: {
  pool: Pool;
  temporal: Client;
  workflowBundle: string;
  api: ApiClient;
  auditorToken: string;
  playbookKey: string;
  records: AttemptRecord[];
}): Promise<Verification> {
  const started = Date.now();
  const { pool, records } = opts;
  const findings: Finding[] = [];
  const add = (kind: FindingKind, r: AttemptRecord | null, detail: string, attemptId: string | null = r?.attemptId ?? null) =>
    findings.push({ kind, attempt: r ? r.script.index : null, attemptId, detail });

  for (const r of records) for (const p of r.problems) add('driver', r, p);

  // --- PostgreSQL -------------------------------------------------------------------------
  const attempts = await pool.query<{ id: string; customer_id: string; status: string; outcome: string | null }>(
    'SELECT id, customer_id, status, outcome FROM recovery_attempts WHERE playbook_key = $1',
    [opts.playbookKey],
  );
  const byCustomer = new Map<string, typeof attempts.rows>();
  for (const row of attempts.rows) byCustomer.set(row.customer_id, [...(byCustomer.get(row.customer_id) ?? []), row]);
  const ids = attempts.rows.map((a) => a.id);
  const [tasks, outbox, contacts, audit] = await Promise.all([
    pool.query<{ attempt_id: string; node_id: string; escalated: boolean; status: string; outcome: string | null; completed_by: string | null }>(
      'SELECT attempt_id, node_id, escalation IS NOT NULL AS escalated, status, outcome, completed_by FROM tasks WHERE attempt_id = ANY($1)',
      [ids],
    ),
    pool.query<{ attempt_id: string; n: number }>('SELECT attempt_id, count(*)::int AS n FROM outbox_messages WHERE attempt_id = ANY($1) GROUP BY attempt_id', [
      ids,
    ]),
    pool.query<{ attempt_id: string; kind: string; n: number }>(
      'SELECT attempt_id, kind, count(*)::int AS n FROM contacts WHERE attempt_id = ANY($1) GROUP BY attempt_id, kind',
      [ids],
    ),
    pool.query<{ attempt_id: string; action: string; n: number }>(
      'SELECT attempt_id, action, count(*)::int AS n FROM audit_log WHERE attempt_id = ANY($1) GROUP BY attempt_id, action',
      [ids],
    ),
  ]);
  const group = <T extends { attempt_id: string }>(rows: T[]) => {
    const m = new Map<string, T[]>();
    for (const row of rows) m.set(row.attempt_id, [...(m.get(row.attempt_id) ?? []), row]);
    return m;
  };
  const tasksOf = group(tasks.rows);
  const outboxOf = group(outbox.rows);
  const contactsOf = group(contacts.rows);
  const auditOf = group(audit.rows);

  const compareCounts = (r: AttemptRecord, attemptId: string, what: string, expected: Record<string, number>, actual: Record<string, number>) => {
    for (const key of new Set([...Object.keys(expected), ...Object.keys(actual)])) {
      const want = expected[key] ?? 0;
      const have = actual[key] ?? 0;
      if (have < want) add('missing', r, `${what} ${key}: ${have} of ${want}`, attemptId);
      if (have > want) add('doubled', r, `${what} ${key}: ${have} instead of ${want}`, attemptId);
    }
  };

  for (const r of records) {
    const expected = expectedFor(r.script.path, r.script.rep.id);
    const rows = byCustomer.get(r.script.customerId) ?? [];
    if (rows.length === 0) {
      add('missing', r, `no recovery attempt row for customer ${r.script.customerId} (${r.script.path})`);
      continue;
    }
    if (rows.length > 1)
      add(
        'doubled',
        r,
        `${rows.length} recovery attempts for customer ${r.script.customerId}: ${rows.map((x) => `${x.id} ${x.status}/${x.outcome}`).join(', ')}`,
      );
    for (const row of rows) {
      if (row.status !== 'completed') add('not_finished', r, `attempt ${row.id} (${r.script.path}) is ${row.status}`, row.id);
      else if (row.outcome !== expected.outcome) add('wrong_outcome', r, `${r.script.path}: outcome ${row.outcome}, scripted ${expected.outcome}`, row.id);
      const have = (tasksOf.get(row.id) ?? []).map((t) =>
        taskKey({ nodeId: t.node_id, escalation: t.escalated, status: t.status as ExpectedTask['status'], outcome: t.outcome, completedBy: t.completed_by }),
      );
      const countOf = (list: string[]) => list.reduce<Record<string, number>>((m, k) => ({ ...m, [k]: (m[k] ?? 0) + 1 }), {});
      compareCounts(r, row.id, 'task', countOf(expected.tasks.map(taskKey)), countOf(have));
      const open = (tasksOf.get(row.id) ?? []).filter((t) => t.status === 'open');
      if (row.status !== 'running' && open.length)
        add('open_task', r, `${open.length} open task(s) on finished attempt ${row.id}: ${open.map((t) => t.node_id).join(', ')}`, row.id);
      compareCounts(r, row.id, 'outbox messages', { all: expected.outbox }, { all: (outboxOf.get(row.id) ?? []).reduce((s, x) => s + x.n, 0) });
      compareCounts(r, row.id, 'contact', expected.contacts, Object.fromEntries((contactsOf.get(row.id) ?? []).map((c) => [c.kind, c.n])));
      compareCounts(r, row.id, 'audit', expected.audit, Object.fromEntries((auditOf.get(row.id) ?? []).map((a) => [a.action, a.n])));
    }
  }
  const known = new Set(records.map((r) => r.script.customerId));
  for (const row of attempts.rows)
    if (!known.has(row.customer_id)) add('doubled', null, `attempt ${row.id} for customer ${row.customer_id}, which no script started`, row.id);

  // --- Temporal: one execution per attempt, its result, its history replaying ------------------
  const executions = new Map<string, { runId: string; status: string }[]>();
  for await (const wf of opts.temporal.workflow.list({ query: `PlaybookKey = "${opts.playbookKey}"` })) {
    executions.set(wf.workflowId, [...(executions.get(wf.workflowId) ?? []), { runId: wf.runId, status: wf.status.name }]);
  }
  const histories: { workflowId: string; history: unknown }[] = [];
  const recordOfWorkflow = new Map<string, AttemptRecord>();
  for (const r of records) {
    const workflowId = `recovery/${r.script.customerId}/${opts.playbookKey}`;
    recordOfWorkflow.set(workflowId, r);
    const runs = executions.get(workflowId) ?? [];
    if (runs.length === 0) {
      if (byCustomer.has(r.script.customerId)) add('missing', r, `no Temporal execution ${workflowId}`);
      continue;
    }
    if (runs.length > 1) add('doubled', r, `${runs.length} Temporal executions of ${workflowId}: ${runs.map((x) => x.status).join(', ')}`);
    const expected = expectedFor(r.script.path, r.script.rep.id);
    for (const run of runs) {
      const handle = opts.temporal.workflow.getHandle(workflowId, run.runId);
      if (run.status !== 'COMPLETED') {
        add('not_finished', r, `Temporal execution ${workflowId} is ${run.status}`);
      } else {
        const result = (await handle.result().catch((err) => ({ outcome: `error: ${String(err)}` }))) as { outcome: string };
        if (result.outcome !== expected.outcome) add('wrong_outcome', r, `Temporal result of ${workflowId}: ${result.outcome}, scripted ${expected.outcome}`);
      }
      histories.push({ workflowId: `${workflowId}#${run.runId}`, history: await handle.fetchHistory() });
    }
  }
  let replayed = 0;
  for await (const result of Worker.runReplayHistories({ workflowBundle: { codePath: opts.workflowBundle }, sinks: IGNORED_SNAPSHOTS }, histories as never)) {
    replayed += 1;
    if (result.error)
      add('replay', recordOfWorkflow.get(result.workflowId.split('#')[0]) ?? null, `${result.workflowId} does not replay: ${result.error.message}`);
  }

  // --- The audit chain, as an auditor sees it ---------------------------------------------------
  const verdict = await opts.api
    .call<{ ok: boolean; rows: number; firstBroken: unknown }>('GET', '/api/audit/verify', { token: opts.auditorToken })
    .catch((err: Error) => ({ status: 0, body: { error: err.message } }));
  const auditChain = verdict.status === 200 ? (verdict.body as { ok: boolean; rows: number; firstBroken: unknown }) : null;
  if (!auditChain) add('audit_chain', null, `GET /api/audit/verify answered ${verdict.status}: ${JSON.stringify(verdict.body).slice(0, 300)}`);
  else if (!auditChain.ok) add('audit_chain', null, `the audit chain is broken: ${JSON.stringify(auditChain.firstBroken)}`);

  return { findings, replayed, auditChain, durationMs: Date.now() - started };
}
