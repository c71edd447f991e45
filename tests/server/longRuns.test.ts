import { randomUUID } from 'node:crypto';
import type { PlaybookGraph } from '../../playbooks/graph';
import { customerResponseSignal, runViewQuery, TASK_QUEUE, type PlaybookRunInput } from '../../workflows/contract';
import { eventually, newCustomer, startProduct, type Product } from '../support/product';
import { publishForTest } from '../support/publish';

const at = { x: 0, y: 0 };

describe('long-lived runs', () => {
  let product: Product;
  beforeAll(async () => {
    product = await startProduct();
  });
  afterAll(() => product.stop());

  it('a loop hands over to a fresh run (continue-as-new) and keeps its state', async () => {
    const graph: PlaybookGraph = {
      nodes: [
        { id: 'start', kind: 'start', position: at, config: {} },
        { id: 'wait', kind: 'wait_response', position: at, config: { kinds: ['again', 'stop'], timeout: 'P30D' } },
        { id: 'enough', kind: 'decision', position: at, config: { rules: [{ handle: 'done', when: { var: 'visits.wait', op: 'gte', value: 12 } }] } },
        { id: 'end', kind: 'end', position: at, config: { outcome: 'closed', reason: 'loop bound reached' } },
        { id: 'stopped', kind: 'end', position: at, config: { outcome: 'closed', reason: 'stopped' } },
      ],
      edges: [
        { id: 'e1', source: 'start', sourceHandle: 'next', target: 'wait' },
        { id: 'e2', source: 'wait', sourceHandle: 'again', target: 'enough' },
        { id: 'e3', source: 'enough', sourceHandle: 'default', target: 'wait' },
        { id: 'e4', source: 'enough', sourceHandle: 'done', target: 'end' },
        { id: 'e5', source: 'wait', sourceHandle: 'stop', target: 'stopped' },
        { id: 'e6', source: 'wait', sourceHandle: 'no_response', target: 'stopped' },
      ],
    };
    const key = `loop-${randomUUID().slice(0, 8)}`;
    const plan = await publishForTest(product.pool, key, graph);
    const customerId = await newCustomer(product.pool);
    const input: PlaybookRunInput = {
      attemptId: randomUUID(),
      playbook: { key, version: 1, name: key },
      plan,
      customer: { id: customerId, name: 'x', department: 'after_sales', grade: 'ordinary', value: 1, accountManager: null },
      startedBy: { userId: 'u-olga', role: 'ops_manager', department: null },
      variables: {},
      limits: { transitionsPerRun: 3 },
    };
    const handle = await product.temporal.workflow.start('playbookRun', { taskQueue: TASK_QUEUE, workflowId: `recovery/${customerId}/${key}`, args: [input] });
    for (let i = 1; i <= 11; i++) {
      await handle.signal(customerResponseSignal, { responseId: `r${i}`, kind: 'again', channel: 'phone', note: null, actor: null });
      // Wait until this answer is applied, whichever run of the chain holds it now.
      await eventually(
        async () => ((await product.temporal.workflow.getHandle(handle.workflowId).query(runViewQuery)).visits.wait ?? 0) >= i + 1,
        20_000,
        `answer ${i}`,
      );
    }
    const latest = product.temporal.workflow.getHandle(handle.workflowId);
    // A run hands over only when nothing is in flight; an answer sent while the previous one was
    // still being persisted postpones it, so the handover may come only after the last answer.
    await eventually(async () => (await latest.describe()).runId !== handle.firstExecutionRunId, 20_000, 'the handover to a fresh run');
    // A redelivered answer (same id) is not applied twice across the handover: had r11 counted again,
    // the loop bound (12 visits) would end the run before "stop" arrives.
    await latest.signal(customerResponseSignal, { responseId: 'r11', kind: 'again', channel: 'phone', note: null, actor: null });
    await latest.signal(customerResponseSignal, { responseId: 'r-stop', kind: 'stop', channel: 'phone', note: null, actor: null });
    expect(await latest.result()).toEqual({ outcome: 'closed', reason: 'stopped' });
    const row = await product.pool.query('SELECT status, outcome FROM recovery_attempts WHERE id = $1', [input.attemptId]);
    expect(row.rows[0]).toEqual({ status: 'completed', outcome: 'closed' });
  });

  it('a trigger starts every playbook listening for it, once per customer', async () => {
    const ops = await product.login('olga');
    const triggerKey = `customer.pre_churn.${randomUUID().slice(0, 6)}`;
    const key = `trig-${randomUUID().slice(0, 8)}`;
    const graph: PlaybookGraph = {
      nodes: [
        { id: 'start', kind: 'start', position: at, config: { trigger: 'event', triggerKey } },
        { id: 'wait', kind: 'delay', position: at, config: { duration: 'P7D' } },
        { id: 'end', kind: 'end', position: at, config: { outcome: 'closed' } },
      ],
      edges: [
        { id: 'e1', source: 'start', sourceHandle: 'next', target: 'wait' },
        { id: 'e2', source: 'wait', sourceHandle: 'next', target: 'end' },
      ],
    };
    expect((await product.api('PUT', `/api/playbooks/${key}/draft`, { token: ops, body: { name: key, graph } })).status).toBe(200);
    expect((await product.api('POST', `/api/playbooks/${key}/publish`, { token: ops })).status).toBe(201);
    const customerId = await newCustomer(product.pool);
    const first = await product.api<{ started: { playbookKey: string }[] }>('POST', '/api/triggers', { token: ops, body: { key: triggerKey, customerId } });
    expect(first.status).toBe(201);
    expect(first.body.started.map((s) => s.playbookKey)).toEqual([key]);
    const again = await product.api<{ started: unknown[]; skipped: { playbookKey: string; reason: string }[] }>('POST', '/api/triggers', {
      token: ops,
      body: { key: triggerKey, customerId },
    });
    expect(again.status).toBe(200);
    expect(again.body.skipped).toEqual([{ playbookKey: key, reason: 'attempt_already_running' }]);
    const none = await product.api<{ started: unknown[] }>('POST', '/api/triggers', { token: ops, body: { key: 'nobody.listens', customerId } });
    expect(none.body.started).toEqual([]);
  });
});
