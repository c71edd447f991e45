import { newCustomer, startProduct, type Product } from '../support/product';

interface Refusal {
  error: { code: string; details: { problems: { code: string; path: string[]; message: string }[] } };
}

describe('the contact log takes contacts, not answers', () => {
  let product: Product;
  let rita: string;
  let customerId: string;

  beforeAll(async () => {
    product = await startProduct();
    rita = await product.login('rita');
    customerId = await newCustomer(product.pool, { department: 'after_sales' });
  });
  afterAll(() => product.stop());

  const contacts = async () => (await product.pool.query<{ kind: string }>('SELECT kind FROM contacts WHERE customer_id = $1 ORDER BY id', [customerId])).rows;

  it("the customer's file and the customer list name the department from the directory", async () => {
    const name = (await product.pool.query<{ name: string }>("SELECT name FROM departments WHERE id = 'after_sales'")).rows[0].name;
    const file = await product.api<{ customer: { department: string; departmentName: string } }>('GET', `/api/customers/${customerId}`, { token: rita });
    expect(file.status).toBe(200);
    expect(file.body.customer).toMatchObject({ department: 'after_sales', departmentName: name });
    const list = await product.api<{ customers: { id: string; departmentName: string | null }[] }>('GET', `/api/customers?q=${customerId}`, { token: rita });
    expect(list.body.customers.find((c) => c.id === customerId)?.departmentName).toBe(name);
  });

  it("a contact of kind answer is refused with the route that delivers the customer's answer, and stores nothing", async () => {
    const res = await product.api<Refusal>('POST', `/api/customers/${customerId}/contacts`, {
      token: rita,
      body: { kind: 'answer', channel: 'phone', summary: 'said yes to the offer' },
    });
    expect(res.status).toBe(400);
    expect(res.body.error.details.problems).toEqual([{ code: 'use_answers_route', path: ['kind'], message: expect.stringContaining('POST /api/attempts/') }]);
    expect(await contacts()).toEqual([]);
    const audited = await product.pool.query("SELECT 1 FROM audit_log WHERE action = 'contact_recorded' AND subject = $1", [customerId]);
    expect(audited.rowCount).toBe(0);
  });

  it('other kinds are recorded; an unknown kind or a missing summary is refused naming each field', async () => {
    const call = await product.api('POST', `/api/customers/${customerId}/contacts`, {
      token: rita,
      body: { kind: 'call', channel: 'phone', summary: 'no answer' },
    });
    expect(call.status).toBe(201);
    expect(call.body).toMatchObject({ kind: 'call', channel: 'phone', summary: 'no answer', byUserId: 'u-rita' });

    const bad = await product.api<Refusal>('POST', `/api/customers/${customerId}/contacts`, { token: rita, body: { kind: 'telegram', summary: '' } });
    expect(bad.status).toBe(400);
    expect(bad.body.error.details.problems.map((p) => p.path).sort()).toEqual([['kind'], ['summary']]);
    expect((await contacts()).map((c) => c.kind)).toEqual(['call']);
  });
});
