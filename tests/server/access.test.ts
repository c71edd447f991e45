import { startProduct, type Product } from '../support/product';

describe('authentication and roles', () => {
  let product: Product;
  beforeAll(async () => {
    product = await startProduct();
  });
  afterAll(() => product.stop());

  it('health is public and reports PostgreSQL and Temporal', async () => {
    const res = await product.api('GET', '/healthz');
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ ok: true, postgres: 'ok', temporal: 'ok' });
  });

  it('every API route but login needs a session: 401 as JSON', async () => {
    const doc = await product.api<{ paths: Record<string, Record<string, { security?: unknown[] }>> }>('GET', '/api/openapi.json', {
      token: await product.login('aude'),
    });
    expect(doc.status).toBe(200);
    const routes = Object.entries(doc.body.paths).flatMap(([path, methods]) =>
      Object.entries(methods).map(([method, op]) => ({ path, method, public: Array.isArray(op.security) && op.security.length === 0 })),
    );
    expect(routes.length).toBeGreaterThanOrEqual(15);
    for (const r of routes.filter((x) => !x.public)) {
      const concrete = r.path.replace(/\{[^}]+\}/g, '00000000-0000-0000-0000-000000000000');
      const res = await product.api<{ error: { code: string } }>(r.method.toUpperCase(), concrete, { body: r.method === 'get' ? undefined : {} });
      expect({ route: `${r.method} ${r.path}`, status: res.status, code: res.body.error?.code }).toEqual({
        route: `${r.method} ${r.path}`,
        status: 401,
        code: 'unauthenticated',
      });
    }
    expect(routes.filter((x) => x.public).map((x) => `${x.method} ${x.path}`)).toEqual(['post /api/auth/login']);
  });

  it('a wrong password is refused, a cookie session works', async () => {
    const bad = await product.api<{ error: { code: string } }>('POST', '/api/auth/login', { body: { username: 'olga', password: 'nope' } });
    expect(bad.status).toBe(401);
    expect(bad.body.error.code).toBe('invalid_credentials');
    const good = await fetch(`${product.url}/api/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ username: 'hana', password: 'demo' }),
    });
    const cookie = good.headers.get('set-cookie')!.split(';')[0];
    expect(cookie).toMatch(/^session=/);
    const me = await fetch(`${product.url}/api/auth/me`, { headers: { cookie } });
    expect(((await me.json()) as { user: { role: string } }).user.role).toBe('department_head');
  });

  it('the wrong role gets 403 as JSON', async () => {
    const rep = await product.login('rita');
    const auditor = await product.login('aude');
    const body = { name: 'x', graph: { nodes: [], edges: [] } };
    for (const token of [rep, auditor]) {
      const res = await product.api<{ error: { code: string } }>('PUT', '/api/playbooks/any/draft', { token, body });
      expect(res.status).toBe(403);
      expect(res.body.error.code).toBe('forbidden');
      expect((await product.api('POST', '/api/playbooks/call-back/publish', { token })).status).toBe(403);
    }
    expect((await product.api('POST', '/api/runs', { token: auditor, body: { playbookKey: 'call-back', customerId: 'C-1001' } })).status).toBe(403);
  });

  it('serves an OpenAPI document generated from the zod schemas', async () => {
    const doc = await product.api<{
      openapi: string;
      paths: Record<string, Record<string, { requestBody?: { content: Record<string, { schema: { properties: Record<string, unknown> } }> } }>>;
    }>('GET', '/api/openapi.json', { token: await product.login('rita') });
    expect(doc.body.openapi).toBe('3.1.0');
    const draft = doc.body.paths['/api/playbooks/{key}/draft'].put.requestBody!.content['application/json'].schema;
    expect(Object.keys(draft.properties)).toEqual(expect.arrayContaining(['name', 'graph']));
  });
});
