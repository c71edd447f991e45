import type { Client } from '@temporalio/client';
import type { Pool } from 'pg';
import { compilePlaybook } from '../../../playbooks/compile';
import type { PlaybookGraph } from '../../../playbooks/graph';
import { startBenchAttempt, until } from '../support';
import type { BenchApi } from './api';
import { BARE_QUEUE } from './bareWorker';
import { ms, pct, sequentialLatencies } from './format';

const ANSWERS = Number(process.env.BENCH_ANSWERS ?? 100);
/** One answer's bound: far above any figure worth reporting, short enough to fail the bench early. */
const EACH_LIMIT_MS = 15_000;
const KEY = 'bench-answer';
const at = { x: 0, y: 0 };

/** Waits for the customer's answer, then opens a call for the after-sales reps. */
const graph: PlaybookGraph = {
  nodes: [
    { id: 'start', kind: 'start', position: at, config: {} },
    { id: 'wait', kind: 'wait_response', position: at, config: { kinds: ['satisfied'], timeout: 'P7D' } },
    {
      id: 'call',
      kind: 'task',
      position: at,
      config: { title: 'Call the customer about the answer', assignee: { type: 'role', role: 'rep' }, outcomes: [{ key: 'done', label: 'Done' }], sla: 'P21D' },
    },
    { id: 'end', kind: 'end', position: at, config: { outcome: 'retained' } },
    { id: 'end_silent', kind: 'end', position: at, config: { outcome: 'lost' } },
  ],
  edges: [
    { id: 'e1', source: 'start', sourceHandle: 'next', target: 'wait' },
    { id: 'e2', source: 'wait', sourceHandle: 'satisfied', target: 'call' },
    { id: 'e3', source: 'wait', sourceHandle: 'no_response', target: 'end_silent' },
    { id: 'e4', source: 'call', sourceHandle: 'done', target: 'end' },
  ],
};

/**
 * Customer answer → next task on the live inbox: a rep records the customer's answer through the
 * real API (POST /api/attempts/:id/answers, a Signal to the run), the run opens a task, and the time
 * runs until that task's event arrives on the rep's own open stream (GET /api/inbox/events), one
 * answer at a time. Beside it, a bare Signal then Query of a trivial workflow until the Query sees it.
 */
export async function answerToTask(pool: Pool, client: Client, api: BenchApi): Promise<string[]> {
  const plan = compilePlaybook(graph).plan!;
  await pool.query("INSERT INTO playbooks (key, name, draft_graph) VALUES ($1, 'Bench answer', $2)", [KEY, JSON.stringify(graph)]);
  await pool.query('INSERT INTO playbook_versions (playbook_key, version, graph, plan, plan_hash) VALUES ($1, 1, $2, $3, $4)', [
    KEY,
    JSON.stringify(graph),
    JSON.stringify(plan),
    plan.hash,
  ]);
  await pool.query(
    `INSERT INTO customers (id, name, grade, value, department_id, status) SELECT 'BA-' || g, 'Answering ' || g, 'ordinary', 1000, 'after_sales', 'at_risk' FROM generate_series(1, ${ANSWERS}) g`,
  );
  for (let i = 1; i <= ANSWERS; i++) await startBenchAttempt(pool, client, { key: KEY, version: 1, name: 'Bench answer', plan }, `BA-${i}`, `Answering ${i}`);
  const waiting = async () =>
    (await pool.query<{ id: string }>("SELECT id FROM recovery_attempts WHERE customer_id LIKE 'BA-%' AND waits <> '[]' ORDER BY customer_id")).rows;
  await until(async () => (await waiting()).length >= ANSWERS, 'the answering attempts waiting for their answer', 120_000);
  const attempts = (await waiting()).map((r) => r.id);

  const token = await api.login('rita');
  const stream = await openStream(`${api.url}/api/inbox/events`, token);
  let answered: number[];
  try {
    answered = await sequentialLatencies(ANSWERS, async (i) => {
      const shown = stream.next(attempts[i]);
      const res = await fetch(`${api.url}/api/attempts/${attempts[i]}/answers`, {
        method: 'POST',
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
        body: JSON.stringify({ nodeId: 'wait', kind: 'satisfied', channel: 'phone' }),
      });
      if (res.status !== 200) throw new Error(`recording an answer answered ${res.status}: ${await res.text()}`);
      await shown;
    });
  } finally {
    stream.close();
  }

  const bare = await Promise.all(
    Array.from({ length: ANSWERS }, (_, i) => client.workflow.start('bareAnswer', { taskQueue: BARE_QUEUE, workflowId: `bare-answer-${i}`, args: [] })),
  );
  // Each asked once first, so every one has run its first workflow task, as the attempts had stored theirs.
  for (const handle of bare) await handle.query<number>('answers');
  const roundTrips = await sequentialLatencies(ANSWERS, async (i) => {
    await bare[i].signal('answer');
    await until(async () => (await bare[i].query<number>('answers')) >= 1, 'a bare Signal seen by its Query', EACH_LIMIT_MS, 1);
  });
  return [
    `  answer → next task on SSE     p50 ${ms(pct(answered, 0.5))} p99 ${ms(pct(answered, 0.99))} (${ANSWERS} answers, one at a time)` +
      ` | p50 ${ms(pct(roundTrips, 0.5))} p99 ${ms(pct(roundTrips, 0.99))} bare Signal + Query (${(pct(answered, 0.99) / pct(roundTrips, 0.99)).toFixed(1)}× at p99)`,
  ];
}

/** An open inbox's server-sent events; `next(attemptId)` resolves when that attempt's new task arrives. */
async function openStream(url: string, token: string) {
  const controller = new AbortController();
  const res = await fetch(url, { headers: { authorization: `Bearer ${token}` }, signal: controller.signal });
  if (!res.ok || !res.body) throw new Error(`the inbox stream answered ${res.status}`);
  const waiters = new Map<string, () => void>();
  let ready: () => void = () => undefined;
  const isReady = new Promise<void>((r) => (ready = r));
  const reader = res.body.getReader();
  const decoder = new TextDecoder();
  let buffered = '';
  void (async () => {
    for (;;) {
      const { value, done } = await reader.read();
      if (done) return;
      buffered += decoder.decode(value, { stream: true });
      let end: number;
      while ((end = buffered.indexOf('\n\n')) >= 0) {
        const event = buffered.slice(0, end);
        buffered = buffered.slice(end + 2);
        if (event.includes('event: ready')) ready();
        const data = /^data: (.*)$/m.exec(event)?.[1];
        if (!event.includes('event: task') || !data) continue;
        const change = JSON.parse(data) as { attemptId: string; op: string; status: string };
        if (change.op === 'insert' && change.status === 'open') waiters.get(change.attemptId)?.();
      }
    }
  })().catch(() => undefined);
  await bounded(isReady, 'the inbox stream to open');
  return {
    next(attemptId: string): Promise<void> {
      return bounded(new Promise<void>((resolve) => waiters.set(attemptId, resolve)), `the task of attempt ${attemptId} on the stream`).finally(() =>
        waiters.delete(attemptId),
      );
    },
    close: () => controller.abort(),
  };
}

function bounded<T>(promise: Promise<T>, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const limit = new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error(`timed out: ${what}`)), EACH_LIMIT_MS)));
  return Promise.race([promise, limit]).finally(() => clearTimeout(timer));
}
