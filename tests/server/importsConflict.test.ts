import { randomUUID } from 'node:crypto';
import { newCustomer, startProduct, type Product } from '../support/product';

/**
 * Re-importing activity: a row whose source and external id are recorded already is "unchanged"
 * only when it says the same thing; when its content differs it is a conflict in the row report
 * (its row, its external id, each field that differs) and the recorded row stays as it was.
 */
describe('activity re-import with other content', () => {
  let product: Product;
  let ops: string;
  beforeAll(async () => {
    product = await startProduct();
    ops = await product.login('olga');
  });
  afterAll(() => product.stop());

  async function importCsv(text: string) {
    const job = await product.api<{ id: string }>('POST', '/api/imports', { token: ops, body: { kind: 'activity', format: 'csv', filename: 'again.csv' } });
    expect(job.status).toBe(201);
    const res = await fetch(`${product.url}/api/imports/${job.body.id}/file`, {
      method: 'PUT',
      headers: { authorization: `Bearer ${ops}`, 'content-type': 'text/csv' },
      body: text,
    });
    expect(res.status).toBe(200);
    return (await res.json()) as {
      status: string;
      rowsRead: number;
      rowsApplied: number;
      rowsUnchanged: number;
      rowsFailed: number;
      errors: { row: number; path: string; code: string; message: string }[];
    };
  }

  it('reports each differing row and field as a conflict and changes nothing recorded', async () => {
    const c1 = await newCustomer(product.pool);
    const c2 = await newCustomer(product.pool);
    const p = `conf-${randomUUID().slice(0, 8)}`;
    const header = 'customer_id,kind,source,external_id,occurred_at,amount,currency';
    const first = await importCsv(
      [
        header,
        `${c1},order,erp,${p}-1,2026-02-01T10:00:00Z,120.50,EUR`,
        `${c1},visit,erp,${p}-2,2026-02-02,,`,
        `${c1},payment,erp,${p}-3,2026-02-03,10,EUR`,
      ].join('\n'),
    );
    expect(first).toMatchObject({ status: 'completed', rowsApplied: 3, rowsFailed: 0 });

    const again = await importCsv(
      [
        header,
        `${c1},order,erp,${p}-1,2026-02-01T10:00:00Z,120.5,EUR`, // the same (120.5 is 120.50): unchanged
        `${c2},visit,erp,${p}-2,2026-02-05,,`, // another customer and day
        `${c1},payment,erp,${p}-3,2026-02-03T00:00:00Z,12,EUR`, // the same moment, another amount
        `${c1},visit,erp,${p}-4,2026-02-06,,`, // new
        `${c1},service,erp,${p}-4,2026-02-06,,`, // the new row again, as another kind
        `${c1},visit,erp,${p}-4,2026-02-06T00:00:00Z,,`, // and once more the same: unchanged
      ].join('\n'),
    );
    expect(again).toMatchObject({ status: 'completed', rowsRead: 6, rowsApplied: 1, rowsUnchanged: 2, rowsFailed: 3 });
    expect(again.errors.map((e) => [e.row, e.path, e.code])).toEqual([
      [3, 'customer_id', 'conflicts_with_recorded'],
      [3, 'occurred_at', 'conflicts_with_recorded'],
      [4, 'amount', 'conflicts_with_recorded'],
      [6, 'kind', 'conflicts_with_recorded'],
    ]);
    const message = again.errors.find((e) => e.row === 3)!.message;
    expect(message).toContain(`erp ${p}-2`);
    expect(message).toContain('customer_id, occurred_at');
    expect(again.errors.find((e) => e.row === 6)!.message).toMatch(/earlier row of this file/);

    // What was recorded first stands.
    const stored = await product.pool.query<{ external_id: string; customer_id: string; kind: string; amount: string | null }>(
      'SELECT external_id, customer_id, kind, amount FROM customer_activity WHERE external_id LIKE $1 ORDER BY external_id',
      [`${p}-%`],
    );
    expect(stored.rows).toEqual([
      { external_id: `${p}-1`, customer_id: c1, kind: 'order', amount: '120.50' },
      { external_id: `${p}-2`, customer_id: c1, kind: 'visit', amount: null },
      { external_id: `${p}-3`, customer_id: c1, kind: 'payment', amount: '10.00' },
      { external_id: `${p}-4`, customer_id: c1, kind: 'visit', amount: null },
    ]);
  });
});
