import { startProduct, type Product } from '../support/product';

/**
 * GET /api/departments: every screen shows a department by its name, so every signed-in role reads
 * the whole directory from PostgreSQL (a department added there appears at once), and nobody else does.
 */
interface DepartmentsBody {
  departments: { id: string; name: string }[];
}

describe('the department directory', () => {
  let product: Product;
  const added = { id: `dept_${Date.now().toString(36)}`, name: 'Fleet renewals' };

  beforeAll(async () => {
    product = await startProduct();
    await product.pool.query('INSERT INTO departments (id, name) VALUES ($1, $2)', [added.id, added.name]);
  });
  afterAll(async () => {
    await product.pool.query('DELETE FROM departments WHERE id = $1', [added.id]);
    await product.stop();
  });

  it.each([
    ['olga', 'ops_manager'],
    ['rita', 'rep'],
    ['hana', 'department_head'],
    ['aude', 'auditor'],
    ['adam', 'admin'],
  ])('%s (%s) gets every department with its name, as stored', async (username) => {
    const stored = (await product.pool.query<{ id: string; name: string }>('SELECT id, name FROM departments')).rows;
    const res = await product.api<DepartmentsBody>('GET', '/api/departments', { token: await product.login(username) });
    expect(res.status).toBe(200);
    expect(new Set(res.body.departments.map((d) => `${d.id}=${d.name}`))).toEqual(new Set(stored.map((d) => `${d.id}=${d.name}`)));
    expect(res.body.departments).toEqual(
      expect.arrayContaining([{ id: 'after_sales', name: 'After-sales service' }, { id: 'key_accounts', name: 'Key accounts' }, added]),
    );
  });

  it('is refused without a session, and with a token that is not one, with a machine-readable 401', async () => {
    for (const token of [undefined, 'not-a-session']) {
      const res = await product.api<{ error: { code: string } }>('GET', '/api/departments', { token });
      expect({ status: res.status, code: res.body.error?.code }).toEqual({ status: 401, code: expect.any(String) });
      expect(res.body).not.toHaveProperty('departments');
    }
  });

  it('is in the OpenAPI document for every signed-in role, with its response schema', async () => {
    const doc = await product.api<{ paths: Record<string, { get?: { 'x-roles'?: string[]; responses: Record<string, unknown> } }> }>(
      'GET',
      '/api/openapi.json',
      { token: await product.login('olga') },
    );
    const op = doc.body.paths['/api/departments']?.get;
    expect(op).toBeDefined();
    expect(JSON.stringify(op?.responses['200'])).toContain('departments');
  });
});
