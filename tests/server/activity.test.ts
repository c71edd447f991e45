import { randomUUID } from 'node:crypto';
import { newCustomer, startProduct, type Product } from '../support/product';

/** Customer activity in (one by one and in bulk) and customer attributes edited by ops managers. */
describe('customer activity and attributes', () => {
  let product: Product;
  let ops: string;
  beforeAll(async () => {
    product = await startProduct();
    ops = await product.login('olga');
  });
  afterAll(() => product.stop());

  const visit = (externalId: string, over: object = {}) => ({ kind: 'visit', source: 'dms', externalId, occurredAt: '2026-03-01T09:30:00Z', ...over });

  it('ingest is idempotent by source and external id: 201, then 200 with the stored row, then 409 for other content', async () => {
    const customerId = await newCustomer(product.pool);
    const id = `v-${randomUUID()}`;
    const first = await product.api<{ id: string; kind: string; occurredAt: string }>('POST', `/api/customers/${customerId}/activity`, {
      token: ops,
      body: visit(id),
    });
    expect(first.status).toBe(201);
    expect(first.body).toMatchObject({ kind: 'visit', occurredAt: '2026-03-01T09:30:00.000Z', customerId });
    const repeat = await product.api<{ id: string }>('POST', `/api/customers/${customerId}/activity`, { token: ops, body: visit(id) });
    expect(repeat.status).toBe(200);
    expect(repeat.body.id).toBe(first.body.id);
    const other = await product.api<{ error: { code: string } }>('POST', `/api/customers/${customerId}/activity`, {
      token: ops,
      body: visit(id, { occurredAt: '2026-03-02T09:30:00Z' }),
    });
    expect(other.status).toBe(409);
    expect(other.body.error.code).toBe('activity_conflict');
    const stored = await product.pool.query('SELECT count(*)::int AS n FROM customer_activity WHERE source = $1 AND external_id = $2', ['dms', id]);
    expect(stored.rows[0].n).toBe(1);
    const audit = await product.pool.query("SELECT count(*)::int AS n FROM audit_log WHERE action = 'activity_recorded' AND subject = $1", [customerId]);
    expect(audit.rows[0].n).toBe(1);
  });

  it('bad activity is 400 with every problem and its path; reps, heads and auditors may not record activity', async () => {
    const customerId = await newCustomer(product.pool);
    const bad = await product.api<{ error: { code: string; details: { problems: { path: string[] }[] } } }>('POST', `/api/customers/${customerId}/activity`, {
      token: ops,
      body: { kind: 'teleport', externalId: '', occurredAt: 'yesterday' },
    });
    expect(bad.status).toBe(400);
    expect([...new Set(bad.body.error.details.problems.map((p) => p.path.join('.')))].sort()).toEqual(['externalId', 'kind', 'occurredAt']);
    for (const who of ['rita', 'hana', 'aude']) {
      const res = await product.api('POST', `/api/customers/${customerId}/activity`, { token: await product.login(who), body: visit(`v-${randomUUID()}`) });
      expect({ who, status: res.status }).toEqual({ who, status: 403 });
    }
  });

  it('heads read the activity of their own department only', async () => {
    const mine = await newCustomer(product.pool, { department: 'after_sales' });
    const theirs = await newCustomer(product.pool, { department: 'key_accounts' });
    for (const c of [mine, theirs]) await product.api('POST', `/api/customers/${c}/activity`, { token: ops, body: visit(`v-${randomUUID()}`) });
    const hana = await product.login('hana');
    const own = await product.api<{ activity: unknown[] }>('GET', `/api/customers/${mine}/activity`, { token: hana });
    expect(own.status).toBe(200);
    expect(own.body.activity).toHaveLength(1);
    expect((await product.api('GET', `/api/customers/${theirs}/activity`, { token: hana })).status).toBe(404);
  });

  async function importFile(kind: 'customers' | 'activity', format: 'csv' | 'jsonl', text: string) {
    const job = await product.api<{ id: string; status: string }>('POST', '/api/imports', { token: ops, body: { kind, format, filename: `test.${format}` } });
    expect(job.status).toBe(201);
    expect(job.body.status).toBe('waiting');
    const res = await fetch(`${product.url}/api/imports/${job.body.id}/file`, {
      method: 'PUT',
      headers: { authorization: `Bearer ${ops}`, 'content-type': format === 'csv' ? 'text/csv' : 'application/x-ndjson' },
      body: text,
    });
    expect(res.status).toBe(200);
    return (await res.json()) as {
      id: string;
      status: string;
      rowsRead: number;
      rowsApplied: number;
      rowsUnchanged: number;
      rowsFailed: number;
      errors: { row: number; path: string; message: string }[];
    };
  }

  it('a CSV import applies the good rows, reports each bad one with its line and column, and applies nothing of a bad row', async () => {
    const c1 = await newCustomer(product.pool);
    const p = `imp-${randomUUID().slice(0, 8)}`;
    const csv = [
      'customer_id,kind,source,external_id,occurred_at,amount,currency',
      `${c1},order,erp,${p}-1,2026-02-01T10:00:00Z,120.50,EUR`,
      `${c1},order,erp,${p}-2,not a date,99,EUR`,
      `NOPE-${p},visit,erp,${p}-3,2026-02-02,,`,
      `${c1},visit,erp,${p}-4,2026-02-03,abc,eur`,
      `${c1},visit,erp,${p}-5`,
      `${c1},service,erp,${p}-6,2026-02-04,80,EUR`,
    ].join('\n');
    const done = await importFile('activity', 'csv', csv);
    expect(done).toMatchObject({ status: 'completed', rowsRead: 6, rowsApplied: 2, rowsFailed: 4 });
    expect(done.errors.map((e) => [e.row, e.path])).toEqual([
      [3, 'occurred_at'],
      [4, 'customer_id'],
      [5, 'amount'],
      [5, 'currency'],
      [6, ''],
    ]);
    const stored = await product.pool.query('SELECT external_id, amount FROM customer_activity WHERE external_id LIKE $1 ORDER BY external_id', [`${p}-%`]);
    expect(stored.rows.map((r) => [r.external_id, r.amount])).toEqual([
      [`${p}-1`, '120.50'],
      [`${p}-6`, '80.00'],
    ]);
    // The same file again changes nothing: every good row is already there.
    const again = await importFile('activity', 'csv', csv);
    expect(again).toMatchObject({ rowsApplied: 0, rowsUnchanged: 2, rowsFailed: 4 });
    const job = await product.api<{ rowsFailed: number; errors: unknown[] }>('GET', `/api/imports/${done.id}`, { token: ops });
    expect(job.body.errors).toHaveLength(5);
  });

  it('a JSON-lines import of customers upserts them; a status set by the import is history with rule import', async () => {
    const id = `IMP-${randomUUID().slice(0, 8)}`;
    const existing = await newCustomer(product.pool);
    const lines = [
      JSON.stringify({
        id,
        name: 'Imported Garage',
        grade: 'core',
        value: 5000,
        department: 'after_sales',
        expected_visit_days: 30,
        customer_since: '2020-01-01',
      }),
      '{"id": broken',
      JSON.stringify({ id: `${id}-2`, name: 'Second', department: 'no_such_department' }),
      JSON.stringify({ id, name: 'Imported Garage', status: 'at_risk' }),
      JSON.stringify({ id: existing, name: 'Renamed by the import', status: 'churned' }),
    ].join('\n');
    const done = await importFile('customers', 'jsonl', lines);
    expect(done).toMatchObject({ status: 'completed', rowsRead: 5, rowsFailed: 2 });
    expect(done.errors.map((e) => [e.row, e.path])).toEqual([
      [2, ''],
      [3, 'department'],
    ]);
    const row = (await product.pool.query('SELECT * FROM customers WHERE id = $1', [id])).rows[0];
    expect(row).toMatchObject({ grade: 'core', expected_visit_days: 30, status: 'at_risk', department_id: 'after_sales' });
    expect((await product.pool.query('SELECT 1 FROM customers WHERE id = $1', [`${id}-2`])).rowCount).toBe(0);
    const history = await product.pool.query('SELECT from_status, to_status, rule, changed_by, evidence FROM customer_status_history WHERE customer_id = $1', [
      existing,
    ]);
    expect(history.rows).toEqual([{ from_status: 'at_risk', to_status: 'churned', rule: 'import', changed_by: 'u-olga', evidence: { importJob: done.id } }]);
  });

  it('an import is a manager tool: reps and auditors may not start one; a wrong content type is 415', async () => {
    for (const who of ['rita', 'aude']) {
      expect((await product.api('POST', '/api/imports', { token: await product.login(who), body: { kind: 'activity', format: 'csv' } })).status).toBe(403);
    }
    const job = await product.api<{ id: string }>('POST', '/api/imports', { token: ops, body: { kind: 'activity', format: 'csv' } });
    const res = await fetch(`${product.url}/api/imports/${job.body.id}/file`, {
      method: 'PUT',
      headers: { authorization: `Bearer ${ops}`, 'content-type': 'image/png' },
      body: 'x',
    });
    expect(res.status).toBe(415);
  });

  it('ops managers edit attributes with an audit row; a status set by hand is history with rule manual and who', async () => {
    const customerId = await newCustomer(product.pool);
    const res = await product.api<{ grade: string; expectedVisitDays: number; churnReason: string; status: string }>('PATCH', `/api/customers/${customerId}`, {
      token: ops,
      body: { grade: 'core', expectedVisitDays: 45, churnType: 'fault', churnReason: 'A', status: 'retained', note: 'talked to them' },
    });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ grade: 'core', expectedVisitDays: 45, churnReason: 'A', status: 'retained' });
    const audit = await product.pool.query("SELECT actor_id, details FROM audit_log WHERE action = 'customer_attributes_changed' AND subject = $1", [
      customerId,
    ]);
    expect(audit.rows).toHaveLength(1);
    expect(audit.rows[0].actor_id).toBe('u-olga');
    expect(audit.rows[0].details.changed.grade).toEqual({ from: 'ordinary', to: 'core' });
    const history = await product.api<{ history: { from: string; to: string; rule: string; changedBy: string }[] }>(
      'GET',
      `/api/customers/${customerId}/status-history`,
      { token: ops },
    );
    expect(history.body.history).toEqual([expect.objectContaining({ from: 'at_risk', to: 'retained', rule: 'manual', changedBy: 'u-olga' })]);

    const bad = await product.api<{ error: { details: { problems: { path: string[] }[] } } }>('PATCH', `/api/customers/${customerId}`, {
      token: ops,
      body: { department: 'nowhere' },
    });
    expect(bad.status).toBe(400);
    expect(bad.body.error.details.problems[0].path).toEqual(['department']);
    for (const who of ['rita', 'hana', 'aude']) {
      expect((await product.api('PATCH', `/api/customers/${customerId}`, { token: await product.login(who), body: { grade: 'ordinary' } })).status).toBe(403);
    }
  });
});
