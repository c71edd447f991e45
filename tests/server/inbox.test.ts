import type { PlaybookGraph } from '../../playbooks/graph';
import pino from 'pino';
import { InboxCounts } from '../../server/inbox/counts';
import { canSeeChange, TaskChangeHub } from '../../server/inbox/live';
import { eventually, newCustomer, startProduct, type Product } from '../support/product';

const at = { x: 0, y: 0 };
const task = (id: string, title: string) => ({
  id,
  kind: 'task',
  position: at,
  config: {
    title,
    assignee: { type: 'role', role: 'rep', department: 'customer' },
    outcomes: [{ key: 'done', label: 'Done' }],
    form: [{ key: 'notes', label: 'Notes', type: 'textarea', required: true }],
  },
});
const twoSteps: PlaybookGraph = {
  nodes: [
    { id: 'start', kind: 'start', position: at, config: {} },
    task('first', 'First call'),
    task('second', 'Second call'),
    { id: 'end', kind: 'end', position: at, config: { outcome: 'retained' } },
  ],
  edges: [
    { id: 'e1', source: 'start', sourceHandle: 'next', target: 'first' },
    { id: 'e2', source: 'first', sourceHandle: 'done', target: 'second' },
    { id: 'e3', source: 'second', sourceHandle: 'done', target: 'end' },
  ],
};

interface Task {
  id: string;
  attemptId: string;
  title: string;
  assignee: { userId: string | null };
  followUpAt: string | null;
  customer: { grade: string };
}
interface Inbox {
  tasks: Task[];
  nextCursor: string | null;
  counts: Record<string, number>;
}

describe('inbox', () => {
  let product: Product;
  let ops: string, rita: string, ravi: string, kim: string, hana: string, aude: string;
  const key = `inbox-${Date.now().toString(36)}`;

  beforeAll(async () => {
    product = await startProduct();
    [ops, rita, ravi, kim, hana, aude] = await Promise.all(['olga', 'rita', 'ravi', 'kim', 'hana', 'aude'].map((u) => product.login(u)));
    expect((await product.api('PUT', `/api/playbooks/${key}/draft`, { token: ops, body: { name: key, graph: twoSteps } })).status).toBe(200);
    expect((await product.api('POST', `/api/playbooks/${key}/publish`, { token: ops })).status).toBe(201);
  });
  afterAll(() => product.stop());

  async function startFor(customerId: string): Promise<string> {
    const res = await product.api<{ id: string }>('POST', '/api/runs', { token: ops, body: { playbookKey: key, customerId } });
    expect(res.status).toBe(201);
    return res.body.id;
  }
  const inbox = (token: string, query = '') => product.api<Inbox>('GET', `/api/inbox?playbook=${key}${query}`, { token });
  const openTaskOf = (token: string, attemptId: string, title = 'First call') =>
    eventually(
      async () => (await inbox(token, '&limit=200')).body.tasks.find((t) => t.attemptId === attemptId && t.title === title),
      20_000,
      `${title} in the inbox`,
    );

  it('two reps completing the same task at once: one wins, the other gets 409, the run advances once', async () => {
    const attemptId = await startFor(await newCustomer(product.pool));
    const t = await openTaskOf(rita, attemptId);
    const [a, b] = await Promise.all([
      product.api('POST', `/api/tasks/${t.id}/complete`, { token: rita, body: { outcome: 'done', form: { notes: 'rita called' } } }),
      product.api('POST', `/api/tasks/${t.id}/complete`, { token: ravi, body: { outcome: 'done', form: { notes: 'ravi called' } } }),
    ]);
    expect([a.status, b.status].sort()).toEqual([200, 409]);
    await openTaskOf(rita, attemptId, 'Second call');
    const rows = await product.pool.query('SELECT node_id, status, completed_by FROM tasks WHERE attempt_id = $1 ORDER BY created_at', [attemptId]);
    expect(rows.rows.map((r) => `${r.node_id}:${r.status}`)).toEqual(['first:completed', 'second:open']);
    expect(rows.rows[0].completed_by).toBe(a.status === 200 ? 'u-rita' : 'u-ravi');
  });

  it('another department sees nothing; the auditor reads everything and changes nothing', async () => {
    const attemptId = await startFor(await newCustomer(product.pool));
    const t = await openTaskOf(rita, attemptId);
    expect((await inbox(kim)).body.tasks.some((x) => x.attemptId === attemptId)).toBe(false);
    expect((await product.api('GET', `/api/tasks/${t.id}`, { token: kim })).status).toBe(404);
    expect((await product.api('POST', `/api/tasks/${t.id}/claim`, { token: kim })).status).toBe(404);
    expect((await inbox(aude)).body.tasks.some((x) => x.id === t.id)).toBe(true);
    expect((await product.api('GET', `/api/tasks/${t.id}`, { token: aude })).status).toBe(200);
    for (const action of ['claim', 'unclaim', 'complete', 'notes', 'snooze', 'reassign']) {
      expect({ action, status: (await product.api('POST', `/api/tasks/${t.id}/${action}`, { token: aude, body: {} })).status }).toEqual({
        action,
        status: 403,
      });
    }
  });

  it('pages with a cursor, counts per tab, and filters by customer tier and text', async () => {
    const core = await newCustomer(product.pool, { grade: 'core' });
    const ids = [await startFor(core)];
    for (let i = 0; i < 4; i++) ids.push(await startFor(await newCustomer(product.pool)));
    for (const id of ids) await openTaskOf(ravi, id);
    const seen: string[] = [];
    let cursor: string | null = null;
    for (let page = 0; page < 50; page++) {
      const res: { body: Inbox } = await inbox(ravi, `&limit=2&sort=created${cursor ? `&cursor=${cursor}` : ''}`);
      seen.push(...res.body.tasks.map((t) => t.id));
      cursor = res.body.nextCursor;
      if (!cursor) break;
    }
    expect(new Set(seen).size).toBe(seen.length);
    const all = (await inbox(ravi, '&limit=200')).body;
    expect(seen.sort()).toEqual(all.tasks.map((t) => t.id).sort());
    expect(all.counts.all).toBeGreaterThanOrEqual(5);
    const coreOnly = (await inbox(ravi, '&tier=core&limit=200')).body.tasks;
    expect(coreOnly.length).toBeGreaterThanOrEqual(1);
    expect(coreOnly.every((t) => t.customer.grade === 'core')).toBe(true);
    expect((await product.api<{ error: { code: string } }>('GET', '/api/inbox?cursor=garbage', { token: ravi })).status).toBe(400);
  });

  it('every tab counts exactly the tasks its list shows, for a rep and for a head', async () => {
    // Something in each tab: a claimed task, a snoozed one, an overdue one, and queue work.
    const tasks: Task[] = [];
    for (let i = 0; i < 4; i++) tasks.push(await openTaskOf(ravi, await startFor(await newCustomer(product.pool))));
    expect((await product.api('POST', `/api/tasks/${tasks[0].id}/claim`, { token: ravi })).status).toBe(200);
    expect(
      (await product.api('POST', `/api/tasks/${tasks[1].id}/snooze`, { token: ravi, body: { until: new Date(Date.now() + 86_400_000).toISOString() } })).status,
    ).toBe(200);
    // Time passing beyond a due date, without waiting for it.
    await product.pool.query("UPDATE tasks SET due_at = now() - interval '1 day' WHERE id = ANY($1)", [[tasks[1].id, tasks[2].id]]);

    const listed = async (token: string, query: string) => {
      let n = 0;
      let cursor: string | null = null;
      do {
        const res: { status: number; body: Inbox } = await product.api<Inbox>('GET', `/api/inbox?limit=200${query}${cursor ? `&cursor=${cursor}` : ''}`, {
          token,
        });
        expect(res.status).toBe(200);
        n += res.body.tasks.length;
        cursor = res.body.nextCursor;
      } while (cursor);
      return n;
    };
    for (const [who, token] of [
      ['ravi', ravi],
      ['hana', hana],
    ] as const) {
      let counts: Record<string, number> = {};
      let lists: Record<string, number> = {};
      // Runs elsewhere may move while the lists are read: retry until a quiet moment.
      for (let attempt = 0; attempt < 5; attempt++) {
        counts = (await product.api<Inbox>('GET', '/api/inbox?limit=1', { token })).body.counts;
        lists = {
          all: await listed(token, ''),
          mine: await listed(token, '&view=mine'),
          queue: await listed(token, '&view=queue'),
          overdue: await listed(token, '&due=overdue'),
          snoozed: await listed(token, '&view=snoozed'),
        };
        if (JSON.stringify(counts) === JSON.stringify(lists)) break;
      }
      expect({ who, counts }).toEqual({ who, counts: lists });
    }
    const mine = (await product.api<Inbox>('GET', '/api/inbox?limit=1', { token: ravi })).body.counts;
    expect(mine.mine).toBeGreaterThanOrEqual(1);
    expect(mine.snoozed).toBeGreaterThanOrEqual(1);
    expect(mine.overdue).toBeGreaterThanOrEqual(1);
    // The snoozed task is overdue too, but out of the way: only the awake one counts as overdue work.
    const overdue = await product.api<Inbox>('GET', `/api/inbox?playbook=${key}&due=overdue&limit=200`, { token: ravi });
    expect(overdue.body.tasks.map((t) => t.id)).toContain(tasks[2].id);
    expect(overdue.body.tasks.map((t) => t.id)).not.toContain(tasks[1].id);
  });

  it('shared queue counts are reused, yet a change shows in them at once', async () => {
    const t = await openTaskOf(ravi, await startFor(await newCustomer(product.pool)));
    const hub = new TaskChangeHub(product.pool, pino({ level: 'silent' }));
    // The clock stands still, so reuse never expires: only the change notification can refresh them.
    const counts = new InboxCounts(product.pool, hub, () => 0);
    const department = `dept-${Date.now().toString(36)}`;
    const rep = { id: 'u-nobody', username: 'nobody', displayName: 'Nobody', role: 'rep' as const, department };
    const head = { ...rep, id: 'u-head', role: 'department_head' as const };
    try {
      expect((await counts.for(rep)).all).toBe(0);
      expect((await counts.for(head)).all).toBe(0);
      await product.pool.query('UPDATE tasks SET department_id = $2 WHERE id = $1', [t.id, department]);
      await eventually(async () => (await counts.for(rep)).queue === 1 && (await counts.for(head)).all === 1, 5000, 'the moved-in task in the counts');
      await product.pool.query("UPDATE tasks SET department_id = 'after_sales' WHERE id = $1", [t.id]);
      await eventually(async () => (await counts.for(rep)).queue === 0 && (await counts.for(head)).all === 0, 5000, 'the moved-out task gone from the counts');
    } finally {
      await hub.close();
    }
  });

  it('notes, snooze, reassignment by the head and a handover when a rep leaves', async () => {
    const attemptId = await startFor(await newCustomer(product.pool, { accountManager: 'u-rita' }));
    const t = await openTaskOf(rita, attemptId);
    expect((await product.api('POST', `/api/tasks/${t.id}/notes`, { token: rita, body: { body: 'left a voicemail' } })).status).toBe(200);
    const until = new Date(Date.now() + 2 * 86_400_000).toISOString();
    expect((await product.api('POST', `/api/tasks/${t.id}/snooze`, { token: rita, body: { until } })).status).toBe(200);
    expect((await inbox(rita, '&limit=200')).body.tasks.some((x) => x.id === t.id)).toBe(false);
    expect((await inbox(rita, '&view=snoozed&limit=200')).body.tasks.some((x) => x.id === t.id)).toBe(true);
    const reminder = await product.pool.query(
      "SELECT recipient, status, not_before FROM outbox_messages WHERE attempt_id = $1 AND message_key LIKE 'follow-up:%'",
      [attemptId],
    );
    expect(reminder.rows).toEqual([{ recipient: { kind: 'user', userId: 'u-rita' }, status: 'pending', not_before: new Date(until) }]);
    const detail = await product.api<{ notes: { body: string; authorId: string }[] }>('GET', `/api/tasks/${t.id}`, { token: hana });
    expect(detail.body.notes).toEqual([expect.objectContaining({ body: 'left a voicemail', authorId: 'u-rita' })]);

    expect((await product.api('POST', `/api/tasks/${t.id}/reassign`, { token: rita, body: { userId: 'u-ravi', reason: 'x' } })).status).toBe(403);
    expect((await product.api('POST', `/api/tasks/${t.id}/reassign`, { token: hana, body: { userId: 'u-kim', reason: 'wrong department' } })).status).toBe(400);
    const moved = await product.api<{ task: Task }>('POST', `/api/tasks/${t.id}/reassign`, {
      token: hana,
      body: { userId: 'u-rita', reason: 'she knows the customer' },
    });
    expect(moved.status).toBe(200);
    expect(moved.body.task.assignee.userId).toBe('u-rita');
    // Assigned to rita now: ravi neither sees nor completes it.
    expect((await product.api('POST', `/api/tasks/${t.id}/complete`, { token: ravi, body: { outcome: 'done', form: { notes: 'x' } } })).status).toBe(404);

    const handover = await product.api<{ reassignedTasks: number; customers: number }>('POST', '/api/users/u-rita/handover', {
      token: hana,
      body: { toUserId: 'u-ravi', reason: 'rita is on leave' },
    });
    expect(handover.status).toBe(200);
    expect(handover.body.reassignedTasks).toBeGreaterThanOrEqual(1);
    expect(handover.body.customers).toBeGreaterThanOrEqual(1);
    const row = await product.pool.query('SELECT assignee_user_id FROM tasks WHERE id = $1', [t.id]);
    expect(row.rows[0].assignee_user_id).toBe('u-ravi');
    const done = await product.api('POST', `/api/tasks/${t.id}/complete`, {
      token: ravi,
      body: { outcome: 'done', form: { notes: 'reached after handover' } },
    });
    expect(done.status).toBe(200);
    const audit = await product.pool.query(
      "SELECT action FROM audit_log WHERE attempt_id = $1 AND action IN ('task_reassigned', 'task_snoozed', 'task_note_added') ORDER BY id",
      [attemptId],
    );
    expect(audit.rows.map((r) => r.action)).toEqual(['task_note_added', 'task_snoozed', 'task_reassigned', 'task_reassigned']);
  });

  it('the customer file shows the contact log; reps record contacts', async () => {
    const customerId = await newCustomer(product.pool);
    const attemptId = await startFor(customerId);
    const t = await openTaskOf(rita, attemptId);
    await product.api('POST', `/api/tasks/${t.id}/complete`, { token: rita, body: { outcome: 'done', form: { notes: 'wants a better price' } } });
    expect(
      (
        await product.api('POST', `/api/customers/${customerId}/contacts`, {
          token: ravi,
          body: { kind: 'visit', channel: 'in_person', summary: 'visited the workshop' },
        })
      ).status,
    ).toBe(201);
    expect((await product.api('POST', `/api/customers/${customerId}/contacts`, { token: aude, body: { kind: 'note', summary: 'x' } })).status).toBe(403);
    // The file is the customer's department's (and the all-seeing roles'): kim of key accounts does not read it.
    expect((await product.api('GET', `/api/customers/${customerId}`, { token: kim })).status).toBe(404);
    const file = await product.api<{ contacts: { kind: string; summary: string; by: { id: string } | null }[] }>('GET', `/api/customers/${customerId}`, {
      token: hana,
    });
    expect(file.body.contacts.map((c) => `${c.kind}:${c.by?.id}`)).toEqual(['visit:u-ravi', 'task:u-rita']);
    expect(file.body.contacts[1].summary).toContain('wants a better price');
  });

  /** An open inbox's event stream, read into a growing text. */
  async function openStream(token: string) {
    const controller = new AbortController();
    const res = await fetch(`${product.url}/api/inbox/events`, { headers: { authorization: `Bearer ${token}` }, signal: controller.signal });
    expect(res.headers.get('content-type')).toContain('text/event-stream');
    const reader = res.body!.getReader();
    const stream = { text: '', close: async () => {} };
    const read = (async () => {
      for (;;) {
        const { value, done } = await reader.read();
        if (done) return;
        stream.text += new TextDecoder().decode(value);
      }
    })().catch(() => undefined);
    stream.close = async () => {
      controller.abort();
      await read;
    };
    await eventually(async () => stream.text.includes('event: ready'), 5000, 'the stream to open');
    return stream;
  }

  it('an open inbox learns of a new task within a second, without polling', async () => {
    const stream = await openStream(rita);
    const started = Date.now();
    const attemptId = await startFor(await newCustomer(product.pool));
    await eventually(async () => stream.text.includes(`"attemptId":"${attemptId}"`), 5000, 'the task event');
    const elapsed = Date.now() - started;
    await stream.close();
    expect(stream.text).toContain('event: task');
    expect(elapsed).toBeLessThan(5000);
  });

  it('an open inbox learns that a task left it: reassigned to someone else', async () => {
    const t = await openTaskOf(ravi, await startFor(await newCustomer(product.pool)));
    const stream = await openStream(ravi);
    expect(
      (await product.api('POST', `/api/tasks/${t.id}/reassign`, { token: hana, body: { userId: 'u-rita', reason: 'she knows the customer' } })).status,
    ).toBe(200);
    await eventually(async () => stream.text.includes(`"id":"${t.id}"`), 5000, 'the event for the task that left');
    await stream.close();
    // What the task looked like before is for the server's routing only.
    expect(stream.text).not.toContain('"before"');
    expect((await inbox(ravi, '&limit=200')).body.tasks.some((x) => x.id === t.id)).toBe(false);
  });

  it('live events follow the inbox visibility rule', () => {
    const change = { id: 'x', attemptId: 'a', status: 'open', department: 'after_sales', role: 'rep', userId: null, claimedBy: null, op: 'insert' as const };
    const user = (role: 'rep' | 'department_head' | 'auditor', department: string | null, id = 'u') => ({
      id,
      username: id,
      displayName: id,
      role,
      department,
    });
    expect(canSeeChange(user('rep', 'after_sales'), change)).toBe(true);
    expect(canSeeChange(user('rep', 'key_accounts'), change)).toBe(false);
    expect(canSeeChange(user('department_head', 'key_accounts'), change)).toBe(false);
    expect(canSeeChange(user('auditor', null), change)).toBe(true);
    expect(canSeeChange(user('rep', 'key_accounts', 'u-kim'), { ...change, userId: 'u-kim' })).toBe(true);
    // Moved from the after-sales queue to kim: the after-sales reps and head hear of it leaving.
    const moved = {
      ...change,
      op: 'update' as const,
      department: 'key_accounts',
      userId: 'u-kim',
      before: { department: 'after_sales', role: 'rep', userId: null, claimedBy: null },
    };
    expect(canSeeChange(user('rep', 'after_sales'), moved)).toBe(true);
    expect(canSeeChange(user('department_head', 'after_sales'), moved)).toBe(true);
    expect(canSeeChange(user('rep', 'marketing'), moved)).toBe(false);
  });
});
