import { randomUUID } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { historyToJSON } from '@temporalio/common/lib/proto-utils';
import { temporal } from '@temporalio/proto';
import { bundleWorkflowCode, Worker } from '@temporalio/worker';
import { compilePlaybook } from '../../playbooks/compile';
import type { PlaybookGraph } from '../../playbooks/graph';
import { buildStory } from '../../server/audit/timeline';
import type { HistoryJson } from '../../server/audit/history';
import { closeReplayer, verifyReplay } from '../../server/audit/replay';
import { createTimeSkippingEnv } from '../../tests/support/timeSkipping';
import { WORKFLOWS_PATH } from '../../workflows/bundlePath';
import type { PersistTransitionInput } from '../../workflows/activityContract';
import { customerResponseSignal, runViewQuery, type PlaybookRunInput } from '../../workflows/contract';

/**
 * npm run bench:replay — a recovery attempt with a ~300-event history (a customer answering a
 * wait-step again and again), recorded on Temporal's test server; then the median time to verify it
 * by replay through the current workflow code, and to build its audit timeline. Targets ≤ 300 ms and
 * ≤ 200 ms. Baseline in the same run: the 27-event call-back history from the replay corpus.
 */
const at = { x: 0, y: 0 };
const loop: PlaybookGraph = {
  nodes: [
    { id: 'start', kind: 'start', position: at, config: {} },
    { id: 'wait', kind: 'wait_response', position: at, config: { kinds: ['again', 'stop'], timeout: 'P30D' } },
    { id: 'bound', kind: 'decision', position: at, config: { rules: [{ handle: 'done', when: { var: 'visits.wait', op: 'gte', value: 1000 } }] } },
    { id: 'end', kind: 'end', position: at, config: { outcome: 'closed' } },
  ],
  edges: [
    { id: 'e1', source: 'start', sourceHandle: 'next', target: 'wait' },
    { id: 'e2', source: 'wait', sourceHandle: 'again', target: 'bound' },
    { id: 'e3', source: 'bound', sourceHandle: 'default', target: 'wait' },
    { id: 'e4', source: 'bound', sourceHandle: 'done', target: 'end' },
    { id: 'e5', source: 'wait', sourceHandle: 'stop', target: 'end' },
    { id: 'e6', source: 'wait', sourceHandle: 'no_response', target: 'end' },
  ],
};

async function record(targetEvents: number): Promise<HistoryJson> {
  const env = await createTimeSkippingEnv();
  try {
    const plan = compilePlaybook(loop).plan!;
    const taskQueue = 'bench-replay';
    const worker = await Worker.create({
      connection: env.nativeConnection,
      taskQueue,
      workflowsPath: WORKFLOWS_PATH,
      activities: { persistTransition: async () => undefined, storeTransition: async (input: PersistTransitionInput) => input },
    });
    return await worker.runUntil(async () => {
      const input: PlaybookRunInput = {
        attemptId: randomUUID(),
        playbook: { key: 'bench', version: 1, name: 'bench' },
        plan,
        customer: { id: 'C-BENCH', name: 'Bench', department: 'after_sales', grade: 'ordinary', value: 1, accountManager: null },
        startedBy: { userId: 'u-olga', role: 'ops_manager', department: null },
        variables: {},
      };
      const handle = await env.client.workflow.start('playbookRun', { taskQueue, workflowId: 'recovery/C-BENCH/bench', args: [input] });
      for (let i = 1; ; i++) {
        await handle.signal(customerResponseSignal, { responseId: `r${i}`, kind: 'again', channel: 'phone', note: null, actor: null });
        while (((await handle.query(runViewQuery)).visits.wait ?? 0) < i + 1) await new Promise((r) => setTimeout(r, 5));
        if ((await handle.fetchHistory()).events!.length >= targetEvents - 8) break;
      }
      await handle.signal(customerResponseSignal, { responseId: 'stop', kind: 'stop', channel: 'phone', note: null, actor: null });
      await handle.result();
      return JSON.parse(historyToJSON(temporal.api.history.v1.History.fromObject(await handle.fetchHistory()))) as HistoryJson;
    });
  } finally {
    await env.teardown();
  }
}

async function median(label: string, runs: number, fn: () => Promise<unknown> | unknown): Promise<number> {
  await fn(); // warm-up
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t = process.hrtime.bigint();
    await fn();
    times.push(Number(process.hrtime.bigint() - t) / 1e6);
  }
  times.sort((a, b) => a - b);
  const m = times[Math.floor(times.length / 2)];
  console.log(`${label}: median ${m.toFixed(1)} ms, p90 ${times[Math.floor(times.length * 0.9)].toFixed(1)} ms (${runs} runs)`);
  return m;
}

async function main() {
  const big = await record(300);
  const small = JSON.parse(readFileSync(path.resolve(__dirname, '..', '..', 'tests', 'histories', 'call-back-reached.json'), 'utf8')) as HistoryJson;
  const bundlePath = path.resolve(__dirname, '..', '..', '.data', 'bench-workflow-bundle.js');
  const bundleStarted = performance.now();
  const { code } = await bundleWorkflowCode({
    workflowsPath: WORKFLOWS_PATH,
    logger: { log: () => undefined, info: () => undefined, warn: () => undefined, error: console.error, debug: () => undefined, trace: () => undefined },
  });
  mkdirSync(path.dirname(bundlePath), { recursive: true });
  writeFileSync(bundlePath, code);
  console.log(`bundling the workflow code (once per process, before any replay): ${(performance.now() - bundleStarted).toFixed(0)} ms`);
  const plan = compilePlaybook(loop).plan;
  for (const [name, history] of [
    [`${small.events.length}-event history (baseline)`, small],
    [`${big.events.length}-event history`, big],
  ] as const) {
    const firstStarted = performance.now();
    const verdict = await verifyReplay([{ runId: null, history }], bundlePath);
    console.log(`verified replay, ${name}: first call ${(performance.now() - firstStarted).toFixed(1)} ms (loads the bundle into a replayer)`);
    if (verdict.result !== 'matches') throw new Error(`replay did not match: ${JSON.stringify(verdict)}`);
    await median(`verified replay, ${name}`, 15, () => verifyReplay([{ runId: null, history }], bundlePath));
    await median(`timeline build,  ${name}`, 30, () => buildStory(history, plan));
  }
  await closeReplayer();
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
