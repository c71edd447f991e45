import { randomUUID } from 'node:crypto';
import type { PlaybookGraph } from '../../playbooks/graph';
import type { PlaybookOverview } from '../../contract/playbookLifecycle';
import { newCustomer, startProduct, terminateRunningAttempts, type Product } from '../support/product';

/**
 * Archive, unarchive, duplicate and delete, through the real API and PostgreSQL: a playbook that
 * ran is archived, never deleted; archived playbooks are not started by triggers; every change is
 * an audit row; the list says who (by name), when, and how many attempts run.
 */
describe('playbook lifecycle', () => {
  let product: Product;
  let ops: string;
  const at = { x: 0, y: 0 };
  const suffix = randomUUID().slice(0, 8);
  const published: string[] = [];

  beforeAll(async () => {
    product = await startProduct();
    ops = await product.login('olga');
  });
  afterAll(async () => {
    for (const key of published) await terminateRunningAttempts(product, key);
    await product.stop();
  });

  const graph = (triggerKey: string): PlaybookGraph => ({
    nodes: [
      { id: 'start', kind: 'start', name: 'Start', position: at, config: { trigger: 'event', triggerKey } },
      { id: 'wait', kind: 'delay', name: 'Wait a week', position: at, config: { duration: 'P7D' } },
      { id: 'end', kind: 'end', name: 'Closed', position: at, config: { outcome: 'closed' } },
    ],
    edges: [
      { id: 'start.next', source: 'start', sourceHandle: 'next', target: 'wait' },
      { id: 'wait.next', source: 'wait', sourceHandle: 'next', target: 'end' },
    ],
  });

  async function create(key: string, triggerKey: string, publish: boolean) {
    expect((await product.api('PUT', `/api/playbooks/${key}/draft`, { token: ops, body: { name: `Lifecycle ${key}`, graph: graph(triggerKey) } })).status).toBe(
      200,
    );
    if (publish) {
      expect((await product.api('POST', `/api/playbooks/${key}/publish`, { token: ops })).status).toBe(201);
      published.push(key);
    }
  }
  const overview = async (query = '') => (await product.api<PlaybookOverview>('GET', `/api/playbook-overview${query}`, { token: ops })).body.playbooks;
  const audits = async (subject: string) =>
    (await product.pool.query<{ action: string; actor_id: string }>('SELECT action, actor_id FROM audit_log WHERE subject = $1 ORDER BY id', [subject])).rows;

  it('an archived playbook is not started by its trigger, stays listed on request, and comes back when unarchived', async () => {
    const key = `life-arch-${suffix}`;
    const triggerKey = `lifecycle.${suffix}`;
    await create(key, triggerKey, true);
    const customerId = await newCustomer(product.pool);

    const archived = await product.api<{ archivedAt: string | null; changed: boolean }>('POST', `/api/playbooks/${key}/archive`, { token: ops });
    expect(archived.status).toBe(200);
    expect(archived.body.changed).toBe(true);
    // Again: nothing changes, nothing more is audited.
    expect((await product.api<{ changed: boolean }>('POST', `/api/playbooks/${key}/archive`, { token: ops })).body.changed).toBe(false);

    const fired = await product.api<{ started: unknown[] }>('POST', '/api/triggers', { token: ops, body: { key: triggerKey, customerId } });
    expect(fired.status).toBe(200);
    expect(fired.body.started).toEqual([]);

    expect((await overview()).map((p) => p.key)).not.toContain(key);
    const only = await overview('?archived=only');
    expect(only.find((p) => p.key === key)).toMatchObject({ archivedBy: { id: 'u-olga', name: expect.not.stringMatching(/^u-/) } });

    expect((await product.api('POST', `/api/playbooks/${key}/unarchive`, { token: ops })).status).toBe(200);
    const again = await product.api<{ started: { playbookKey: string }[] }>('POST', '/api/triggers', { token: ops, body: { key: triggerKey, customerId } });
    expect(again.status).toBe(201);
    expect(again.body.started.map((s) => s.playbookKey)).toEqual([key]);

    // The list shows the running attempt, the last publish and the people by name.
    const row = (await overview(`?q=${encodeURIComponent(key)}`)).find((p) => p.key === key)!;
    expect(row).toMatchObject({
      runningAttempts: 1,
      attempts: 1,
      latestVersion: 1,
      archivedAt: null,
      lastPublishedBy: { id: 'u-olga' },
      updatedBy: { id: 'u-olga' },
    });
    expect(row.lastPublishedBy!.name).not.toBe('u-olga');
    expect(await audits(key)).toEqual([
      { action: 'playbook_archived', actor_id: 'u-olga' },
      { action: 'playbook_unarchived', actor_id: 'u-olga' },
    ]);

    // It ran, so it cannot be deleted: only archived.
    const del = await product.api<{ error: { code: string; message: string } }>('DELETE', `/api/playbooks/${key}`, { token: ops });
    expect(del.status).toBe(409);
    expect(del.body.error.code).toBe('playbook_published');
    expect(del.body.error.message).toMatch(/archive it instead/);
    expect((await product.pool.query('SELECT 1 FROM playbooks WHERE key = $1', [key])).rowCount).toBe(1);
  });

  it('duplicates a draft under a derived or chosen key, and deletes a draft that was never published', async () => {
    const key = `life-dup-${suffix}`;
    await create(key, `lifecycle.dup.${suffix}`, false);

    const copy = await product.api<{ key: string; name: string }>('POST', `/api/playbooks/${key}/duplicate`, { token: ops, body: {} });
    expect(copy.status).toBe(201);
    expect(copy.body).toMatchObject({ key: `${key}-copy`, name: `Lifecycle ${key} (copy)` });
    const second = await product.api<{ key: string }>('POST', `/api/playbooks/${key}/duplicate`, { token: ops, body: {} });
    expect(second.body.key).toBe(`${key}-copy-2`);
    const taken = await product.api<{ error: { code: string } }>('POST', `/api/playbooks/${key}/duplicate`, { token: ops, body: { key: `${key}-copy` } });
    expect(taken.status).toBe(409);
    expect(taken.body.error.code).toBe('playbook_exists');
    const bad = await product.api<{ error: { details: { problems: { path: string[] }[] } } }>('POST', `/api/playbooks/${key}/duplicate`, {
      token: ops,
      body: { key: 'no spaces allowed' },
    });
    expect(bad.status).toBe(400);
    expect(bad.body.error.details.problems[0].path).toEqual(['key']);

    const copied = await product.api<{ draft: { graph: PlaybookGraph } }>('GET', `/api/playbooks/${key}-copy`, { token: ops });
    expect(copied.body.draft.graph.nodes.map((n) => n.name)).toEqual(['Start', 'Wait a week', 'Closed']);

    const del = await product.api('DELETE', `/api/playbooks/${key}-copy`, { token: ops });
    expect(del.status).toBe(200);
    expect(del.body).toEqual({ key: `${key}-copy`, deleted: true });
    expect((await product.api('GET', `/api/playbooks/${key}-copy`, { token: ops })).status).toBe(404);
    expect((await product.api('DELETE', `/api/playbooks/${key}-copy`, { token: ops })).status).toBe(404);
    expect(await audits(`${key}-copy`)).toEqual([
      { action: 'playbook_duplicated', actor_id: 'u-olga' },
      { action: 'playbook_deleted', actor_id: 'u-olga' },
    ]);
  });

  it('reps and auditors see the list but change nothing', async () => {
    const key = `life-roles-${suffix}`;
    await create(key, `lifecycle.roles.${suffix}`, false);
    for (const who of ['rita', 'aude']) {
      const token = await product.login(who);
      expect((await product.api('GET', '/api/playbook-overview', { token })).status).toBe(200);
      for (const [method, path] of [
        ['POST', `/api/playbooks/${key}/archive`],
        ['POST', `/api/playbooks/${key}/unarchive`],
        ['POST', `/api/playbooks/${key}/duplicate`],
        ['DELETE', `/api/playbooks/${key}`],
      ] as const) {
        expect({ who, method, path, status: (await product.api(method, path, { token, body: method === 'POST' ? {} : undefined })).status }).toEqual({
          who,
          method,
          path,
          status: 403,
        });
      }
    }
    expect(await audits(key)).toEqual([]);
  });

  it('search matches name, key and description, and treats % and _ as letters', async () => {
    expect((await overview(`?q=${encodeURIComponent(`life-roles-${suffix}`)}`)).map((p) => p.key)).toEqual([`life-roles-${suffix}`]);
    expect(await overview(`?q=${encodeURIComponent('%%__nothing-like-this')}`)).toEqual([]);
    expect((await product.api('GET', '/api/playbook-overview?archived=maybe', { token: ops })).status).toBe(400);
  });
});
