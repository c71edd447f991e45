import { randomUUID } from 'node:crypto';
import { Client, Connection, WorkflowFailedError } from '@temporalio/client';
import { compilePlaybook } from '../../playbooks/compile';
import type { PlaybookGraph } from '../../playbooks/graph';
import type { CompiledPlan } from '../../playbooks/plan';
import type { AnswerStatus, OpenAnswer } from '../../playbooks/runtime/types';
import {
  answerStatusQuery,
  completeTaskUpdate,
  customerAnswerUpdate,
  customerResponseSignal,
  runViewQuery,
  TASK_QUEUE,
  type PlaybookRunInput,
} from '../../workflows/contract';
import { ApplicationFailure } from '@temporalio/common';
import { ACTORS, updateRefusal } from '../support/playbookHarness';
import { env, eventually, newCustomer, startProduct, type Product } from '../support/product';
import { callThenPause } from '../support/graphs';
import { publishForTest } from '../support/publish';

/** The customerAnswer Update and the runtime's refusals, on the real dev server with the real worker. */
const at = { x: 0, y: 0 };
const ladder: PlaybookGraph = {
  nodes: [
    { id: 'start', kind: 'start', position: at, config: {} },
    {
      id: 'ladder',
      kind: 'offer',
      position: at,
      config: {
        tiers: [
          { label: 'Small', incentive: { type: 'percent', value: 5, description: '5% off' }, validity: 'P7D' },
          { label: 'Large', incentive: { type: 'percent', value: 15, description: '15% off and a free check' }, validity: 'P7D' },
        ],
      },
    },
    { id: 'won', kind: 'end', position: at, config: { outcome: 'won_back' } },
    { id: 'lost', kind: 'end', position: at, config: { outcome: 'lost' } },
  ],
  edges: [
    { id: 'e1', source: 'start', sourceHandle: 'next', target: 'ladder' },
    { id: 'e2', source: 'ladder', sourceHandle: 'accepted', target: 'won' },
    { id: 'e3', source: 'ladder', sourceHandle: 'exhausted', target: 'lost' },
  ],
};

function failureOf(err: unknown): ApplicationFailure | null {
  for (let e: unknown = err; e instanceof Error; e = e.cause) if (e instanceof ApplicationFailure) return e;
  return null;
}

describe('customerAnswer Update', () => {
  let product: Product;
  /** A plain client: the API's one gives up after a few seconds, and here an Update waits for a stopped worker. */
  let patient: { client: Client; connection: Connection };
  beforeAll(async () => {
    product = await startProduct();
    const connection = await Connection.connect({ address: env().temporalAddress });
    patient = { connection, client: new Client({ connection }) };
  });
  afterAll(async () => {
    await patient.connection.close();
    await product.stop();
  });

  /** Publishes `graph` (the attempt row needs its version) and runs `plan`, which may be a hand-altered copy of it. */
  async function start(graph: PlaybookGraph, plan: CompiledPlan, label: string) {
    const customerId = await newCustomer(product.pool);
    const attemptId = randomUUID();
    const name = `${label}-${attemptId.slice(0, 8)}`;
    await publishForTest(product.pool, name, graph);
    const input: PlaybookRunInput = {
      attemptId,
      playbook: { key: name, version: 1, name },
      plan,
      customer: { id: customerId, name: 'Ada', department: 'after_sales', grade: 'ordinary', value: 900, accountManager: null },
      startedBy: { userId: 'u-olga', role: 'ops_manager', department: null },
      variables: {},
    };
    const handle = await patient.client.workflow.start('playbookRun', { taskQueue: TASK_QUEUE, workflowId: `recovery/${customerId}/${name}`, args: [input] });
    return { handle, attemptId };
  }
  const planOf = (graph: PlaybookGraph) => JSON.parse(JSON.stringify(compilePlaybook(graph).plan)) as CompiledPlan;

  it('an answer accepted while open but queued behind a phone decline is refused, naming the tier that replaced it', async () => {
    const { handle, attemptId } = await start(ladder, planOf(ladder), 'race');
    const open = await eventually(
      async () => {
        const status = await handle.query(answerStatusQuery, { attemptId, answers: { purpose: 'offer', ref: 'offer-3', nodeId: 'ladder' } });
        return status.open ? status.answer : null;
      },
      20_000,
      'tier 1 to be open',
    );
    const tier1 = { purpose: 'offer' as const, ref: open.ref, nodeId: open.nodeId };
    // Both arrive while no worker runs, so one workflow task sees the decline and the answer together.
    await product.stopWorker();
    await handle.signal(customerResponseSignal, { responseId: randomUUID(), kind: 'declined', channel: 'phone', note: null, actor: ACTORS.rita });
    const answering = handle.executeUpdate(customerAnswerUpdate, {
      args: [{ responseId: `t-${randomUUID()}`, attemptId, answers: tier1, kind: 'accepted', channel: 'link', note: null, actor: null }],
    });
    await new Promise((r) => setTimeout(r, 300));
    await product.startWorker();
    const refused = failureOf(
      await answering.then(
        () => null,
        (e: unknown) => e,
      ),
    );
    expect(refused?.type).toBe('answer_not_open');
    const status = refused?.details?.[0] as AnswerStatus;
    expect(status).toEqual({ open: false, reason: 'replaced', current: expect.objectContaining({ tier: 2, text: '15% off and a free check' }) });
    // The validator had let it in (tier 1 was open when it looked); the runtime refused it in turn.
    const history = await handle.fetchHistory();
    expect(history.events?.some((e) => e.workflowExecutionUpdateAcceptedEventAttributes)).toBe(true);
    const view = await handle.query(runViewQuery);
    expect(view.status).toBe('running');
    expect(view.variables['ladder.tier']).toBe(2);
    await handle.terminate('test finished');
  });

  it('the validator refuses an answer for another attempt, or for a tier that is not open, before it reaches the history', async () => {
    const { handle, attemptId } = await start(ladder, planOf(ladder), 'validator');
    const open: OpenAnswer = await eventually(
      async () => {
        const view = await handle.query(runViewQuery);
        return view.variables['ladder.tier'] === 1
          ? (((await handle.query(answerStatusQuery, { attemptId, answers: { purpose: 'offer', ref: 'offer-3' } })) as { answer?: OpenAnswer }).answer ?? null)
          : null;
      },
      20_000,
      'tier 1',
    );
    const request = (over: object) => ({
      responseId: `t-${randomUUID()}`,
      attemptId,
      answers: { purpose: 'offer' as const, ref: open.ref, nodeId: 'ladder' },
      kind: 'accepted',
      channel: 'link',
      note: null,
      actor: null,
      ...over,
    });
    expect(await updateRefusal(handle.executeUpdate(customerAnswerUpdate, { args: [request({ attemptId: randomUUID() })] }))).toBe('answer_not_open');
    expect(
      await updateRefusal(
        handle.executeUpdate(customerAnswerUpdate, { args: [request({ answers: { purpose: 'offer', ref: 'offer-999', nodeId: 'ladder' } })] }),
      ),
    ).toBe('answer_not_open');
    const history = await handle.fetchHistory();
    expect(JSON.stringify(history.events)).not.toContain('offer-999');
    const result = await handle.executeUpdate(customerAnswerUpdate, { args: [request({})] });
    expect(result.answer).toMatchObject({ tier: 1, text: '5% off' });
    expect(await handle.result()).toEqual({ outcome: 'won_back', reason: null });
  });

  it('a plan whose first step waits for an invalid time fails the run at once with a clear error', async () => {
    const plan = planOf(callThenPause);
    plan.nodes.start.next = { next: 'pause' };
    (plan.nodes.pause.config as { duration: string }).duration = 'P99999999999999999999W';
    const { handle } = await start(callThenPause, plan, 'bad-start');
    const err = await handle.result().then(
      () => null,
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(WorkflowFailedError);
    expect(failureOf(err)?.message).toMatch(/cannot start.*not a valid duration/);
  });

  it('a step that would wait for an invalid time is refused and the run stays where it was, alive', async () => {
    const plan = planOf(callThenPause);
    (plan.nodes.pause.config as { duration: string }).duration = 'PT9007199254740993S';
    const { handle, attemptId } = await start(callThenPause, plan, 'bad-step');
    const view = await eventually(
      async () => {
        const v = await handle.query(runViewQuery);
        return v.openTasks.length ? v : null;
      },
      20_000,
      'the call task',
    );
    const refused = await handle
      .executeUpdate(completeTaskUpdate, { args: [{ taskKey: view.openTasks[0].taskKey, outcome: 'done', form: {}, actor: ACTORS.rita }] })
      .then(
        () => null,
        (e: unknown) => failureOf(e),
      );
    expect(refused?.type).toBe('runtime_error');
    expect(refused?.message).toContain('not a valid duration');
    const after = await handle.query(runViewQuery);
    expect(after.status).toBe('running');
    expect(after.activeSteps.map((s) => s.nodeId)).toEqual(['call']);
    const { rows } = await product.pool.query('SELECT status, current_node_ids FROM recovery_attempts WHERE id = $1', [attemptId]);
    expect(rows[0]).toEqual({ status: 'running', current_node_ids: ['call'] });
    await handle.terminate('test finished');
  });
});
