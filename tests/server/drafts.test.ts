import { compilePlaybook } from '../../playbooks/compile';
import { callBackGraph } from '../../playbooks/templates/callBack';
import { compilePoolStats } from '../../server/compilePool';
import { benchGraph } from '../../scripts/bench/compile';
import { startProduct, type Product } from '../support/product';

/**
 * Draft saves store what they are sent, so what they are sent is bounded: a 5 MB node kind, edge
 * handle or template key is a 400 with its path, and nothing is stored. A conditional save
 * (If-Match) never creates a playbook. Real API and PostgreSQL.
 */
describe('draft saves', () => {
  let product: Product;
  let ops: string;
  const suffix = Date.now().toString(36);
  const huge = 'x'.repeat(5 * 1024 * 1024);
  const clone = () => JSON.parse(JSON.stringify(callBackGraph)) as typeof callBackGraph;

  beforeAll(async () => {
    product = await startProduct();
    ops = await product.login('olga');
  });
  afterAll(() => product.stop());

  const save = (key: string, graph: unknown, headers?: Record<string, string>) =>
    product.api<{ error?: { code: string; details?: { problems: { path: (string | number)[] }[] } } }>('PUT', `/api/playbooks/${key}/draft`, {
      token: ops,
      body: { name: 'Bounded', graph },
      headers,
    });

  it.each([
    ['a node kind', (g: ReturnType<typeof clone>) => void (g.nodes[1].kind = huge), 'graph.nodes.1.kind'],
    ['an edge handle', (g: ReturnType<typeof clone>) => void (g.edges[0].sourceHandle = huge), 'graph.edges.0.sourceHandle'],
    [
      'a template key',
      (g: ReturnType<typeof clone>) => void g.nodes.push({ id: 'n', kind: 'notify', position: { x: 0, y: 0 }, config: { to: 'customer', template: huge } }),
      'graph.nodes.4.config.template',
    ],
    ['a config key', (g: ReturnType<typeof clone>) => void (g.nodes[1].config = { ...g.nodes[1].config, [huge]: 1 }), 'graph.nodes.1.config'],
  ])('%s of 5 MB is refused with its path and not stored', async (_what, spoil, path) => {
    const key = `bounded-${suffix}-${path.replace(/\W/g, '')}`;
    const graph = clone();
    spoil(graph);
    const res = await save(key, graph);
    expect(res.status).toBe(400);
    expect(res.body.error!.details!.problems.map((p) => p.path.join('.')).some((p) => p.startsWith(path))).toBe(true);
    expect(JSON.stringify(res.body).length).toBeLessThan(100_000);
    expect((await product.pool.query('SELECT 1 FROM playbooks WHERE key = $1', [key])).rowCount).toBe(0);
  });

  it('If-Match on a playbook that does not exist is a 412, and creates nothing', async () => {
    const key = `if-match-${suffix}`;
    for (const tag of ['"0"', '"1"', '*']) {
      const res = await save(key, callBackGraph, { 'if-match': tag });
      expect({ tag, status: res.status, code: res.body.error?.code }).toEqual({ tag, status: 412, code: 'playbook_not_found' });
    }
    expect((await product.pool.query('SELECT 1 FROM playbooks WHERE key = $1', [key])).rowCount).toBe(0);
    // Created without If-Match, then saved with its tag (and * matches it now).
    const created = await save(key, callBackGraph);
    expect(created.status).toBe(200);
    expect((await save(key, callBackGraph, { 'if-match': created.headers.get('etag')! })).status).toBe(200);
    expect((await save(key, callBackGraph, { 'if-match': '*' })).status).toBe(200);
    expect((await save(key, callBackGraph, { 'if-match': created.headers.get('etag')! })).body.error?.code).toBe('draft_changed');
  });

  it('compiles on the worker pool, off the event loop: the compile route, draft saves, reads and publishes', async () => {
    const key = `pooled-${suffix}`;
    const graph = benchGraph(300);
    const before = compilePoolStats().completed;
    const compiled = await product.api<{ ok: boolean; hash: string; problems: unknown[] }>('POST', '/api/playbooks/compile', { token: ops, body: { graph } });
    expect({ ok: compiled.body.ok, problems: compiled.body.problems }).toEqual({ ok: true, problems: [] });
    // The same plan as compiling right here.
    expect(compiled.body.hash).toBe(compilePlaybook(graph).plan!.hash);
    expect((await save(key, graph)).status).toBe(200);
    expect((await product.api('GET', `/api/playbooks/${key}`, { token: ops })).status).toBe(200);
    expect((await product.api('POST', `/api/playbooks/${key}/publish`, { token: ops })).status).toBe(201);
    expect(compilePoolStats().completed - before).toBe(4);
    // Screens name the publisher, not their id.
    const listed = await product.api<{ versions: { publishedBy: string; publishedByName: string }[] }>('GET', `/api/playbooks/${key}`, { token: ops });
    expect(listed.body.versions[0]).toMatchObject({ publishedBy: 'u-olga', publishedByName: 'Olga Ops' });
    const one = await product.api<{ publishedByName: string }>('GET', `/api/playbooks/${key}/versions/1`, { token: ops });
    expect(one.body.publishedByName).toBe('Olga Ops');
    expect(compilePoolStats().threads).toBeGreaterThanOrEqual(1);
  });
});
