import type { PlaybookGraph } from '../../playbooks/graph';
import { eventually, newCustomer, startProduct, terminateRunningAttempts, type Product } from '../support/product';

/**
 * Completing needs the task to be yours (auto-claimed when unclaimed, refused when someone else holds
 * it), and a department head's team view: who holds each task, by person, the workload per rep from
 * one query, and a handover preview that counts without moving anything.
 */
const at = { x: 0, y: 0 };
const oneCall: PlaybookGraph = {
  nodes: [
    { id: 'start', kind: 'start', position: at, config: {} },
    {
      id: 'call',
      kind: 'task',
      position: at,
      config: { title: 'Call back', assignee: { type: 'role', role: 'rep', department: 'customer' }, outcomes: [{ key: 'done', label: 'Done' }], form: [] },
    },
    { id: 'end', kind: 'end', position: at, config: { outcome: 'retained' } },
  ],
  edges: [
    { id: 'e1', source: 'start', sourceHandle: 'next', target: 'call' },
    { id: 'e2', source: 'call', sourceHandle: 'done', target: 'end' },
  ],
};

interface Task {
  id: string;
  attemptId: string;
  claimedBy: string | null;
  assignee: { userId: string | null };
}
interface Workload {
  people: { userId: string; name: string; open: number; overdue: number; dueToday: number }[];
  queue: { open: number };
}

describe('team view, workload, claim on complete, handover preview', () => {
  let product: Product;
  let ops: string, rita: string, ravi: string, hana: string, karl: string;
  const key = `team-${Date.now().toString(36)}`;

  beforeAll(async () => {
    product = await startProduct();
    [ops, rita, ravi, hana, karl] = await Promise.all(['olga', 'rita', 'ravi', 'hana', 'karl'].map((u) => product.login(u)));
    expect((await product.api('PUT', `/api/playbooks/${key}/draft`, { token: ops, body: { name: key, graph: oneCall } })).status).toBe(200);
    expect((await product.api('POST', `/api/playbooks/${key}/publish`, { token: ops })).status).toBe(201);
  });
  afterAll(async () => {
    await terminateRunningAttempts(product, key);
    await product.stop();
  });

  const inbox = (token: string, query: string) => product.api<{ tasks: Task[] }>('GET', `/api/inbox?playbook=${key}&limit=200${query}`, { token });
  async function taskFor(): Promise<Task> {
    const res = await product.api<{ id: string }>('POST', '/api/attempts', {
      token: ops,
      body: { playbookKey: key, customerId: await newCustomer(product.pool) },
    });
    expect(res.status).toBe(201);
    return eventually(async () => (await inbox(rita, '')).body.tasks.find((t) => t.attemptId === res.body.id), 20_000, 'the task');
  }
  const complete = (id: string, token: string) =>
    product.api<{ error?: { code: string; details?: unknown } }>('POST', `/api/tasks/${id}/complete`, { token, body: { outcome: 'done' } });

  it('completing an unclaimed task claims it first (audited); someone else’s claim is refused with task_claimed_by_other', async () => {
    const free = await taskFor();
    expect((await complete(free.id, rita)).status).toBe(200);
    const claimed = await product.pool.query("SELECT actor_id, details FROM audit_log WHERE subject = $1 AND action = 'task_claimed'", [free.id]);
    expect(claimed.rows).toEqual([{ actor_id: 'u-rita', details: { onComplete: true } }]);

    const held = await taskFor();
    expect((await product.api('POST', `/api/tasks/${held.id}/claim`, { token: ravi })).status).toBe(200);
    for (const token of [rita, hana]) {
      const refused = await complete(held.id, token);
      expect(refused.status).toBe(409);
      expect(refused.body.error).toMatchObject({ code: 'task_claimed_by_other', details: { claimedBy: 'u-ravi' } });
    }
    const row = await product.pool.query('SELECT status, claimed_by FROM tasks WHERE id = $1', [held.id]);
    expect(row.rows[0]).toEqual({ status: 'open', claimed_by: 'u-ravi' });
  });

  it('the team view shows who holds each task and filters by person; the workload counts per rep from the same rule', async () => {
    const byRavi = await taskFor();
    const toRita = await taskFor();
    const unheld = await taskFor();
    expect((await product.api('POST', `/api/tasks/${byRavi.id}/claim`, { token: ravi })).status).toBe(200);
    expect((await product.api('POST', `/api/tasks/${toRita.id}/reassign`, { token: hana, body: { userId: 'u-rita', reason: 'knows them' } })).status).toBe(200);

    const ids = async (token: string, query: string) => (await inbox(token, `&view=team${query}`)).body.tasks.map((t) => t.id);
    expect(await ids(hana, '&holder=u-ravi')).toContain(byRavi.id);
    expect(await ids(hana, '&holder=u-ravi')).not.toContain(toRita.id);
    expect(await ids(hana, '&holder=u-rita')).toContain(toRita.id);
    const nobody = await ids(hana, '&holder=nobody');
    expect(nobody).toContain(unheld.id);
    expect(nobody).not.toContain(byRavi.id);
    // Another department's head sees none of it; the team view is not the same as "all" for a rep either.
    expect(await ids(karl, '')).not.toContain(byRavi.id);

    const workload = await product.api<Workload>('GET', '/api/inbox/workload', { token: hana });
    expect(workload.status).toBe(200);
    const expected = await product.pool.query(
      `SELECT COALESCE(claimed_by, assignee_user_id) AS holder, count(*)::int AS open FROM tasks
        WHERE status = 'open' AND (department_id = 'after_sales' OR department_id IS NULL OR assignee_user_id = 'u-hana') GROUP BY 1`,
    );
    const open = Object.fromEntries(expected.rows.map((r) => [r.holder ?? 'queue', r.open]));
    const ravisRow = workload.body.people.find((p) => p.userId === 'u-ravi');
    expect(ravisRow).toMatchObject({ name: 'Ravi Rep', open: open['u-ravi'] });
    expect(workload.body.people.find((p) => p.userId === 'u-rita')?.open).toBe(open['u-rita']);
    expect(workload.body.queue.open).toBe(open.queue);
    // People of the team with nothing open still show; other departments' do not.
    expect(workload.body.people.some((p) => p.userId === 'u-kim')).toBe(false);
    expect((await product.api('GET', '/api/inbox/workload', { token: rita })).status).toBe(403);
  });

  it('the handover preview counts what would move and moves nothing', async () => {
    const claimedByRavi = await taskFor();
    expect((await product.api('POST', `/api/tasks/${claimedByRavi.id}/claim`, { token: ravi })).status).toBe(200);
    await product.pool.query("UPDATE customers SET account_manager_id = 'u-ravi' WHERE id = (SELECT customer_id FROM tasks WHERE id = $1)", [claimedByRavi.id]);
    const expected = await product.pool.query(
      `SELECT (SELECT count(*)::int FROM tasks WHERE status = 'open' AND assignee_user_id = 'u-ravi') AS tasks,
              (SELECT count(*)::int FROM tasks WHERE status = 'open' AND claimed_by = 'u-ravi') AS claims,
              (SELECT count(*)::int FROM customers WHERE account_manager_id = 'u-ravi') AS customers`,
    );
    const preview = await product.api('GET', '/api/users/u-ravi/handover-preview?to=u-rita', { token: hana });
    expect(preview.status).toBe(200);
    expect(preview.body).toEqual({ from: { id: 'u-ravi', name: 'Ravi Rep' }, to: { id: 'u-rita', name: 'Rita Rep' }, notEligible: [], ...expected.rows[0] });
    expect((await product.pool.query('SELECT claimed_by FROM tasks WHERE id = $1', [claimedByRavi.id])).rows[0].claimed_by).toBe('u-ravi');
    // To the queue, and refusals: another department's head, an unknown receiver, a rep.
    expect((await product.api('GET', '/api/users/u-ravi/handover-preview', { token: hana })).body).toMatchObject({ to: null });
    expect((await product.api('GET', '/api/users/u-ravi/handover-preview?to=u-rita', { token: karl })).status).toBe(403);
    expect((await product.api('GET', '/api/users/u-ravi/handover-preview?to=u-nobody', { token: hana })).status).toBe(404);
    expect((await product.api('GET', '/api/users/u-ravi/handover-preview', { token: rita })).status).toBe(403);
  });
});
