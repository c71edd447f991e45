import type { Browser, Page } from 'playwright-core';
import { eventually, newCustomer, startProduct, type Product } from '../support/product';
import { launchBrowser, login, openPage, requireBuiltEditor, screenshot } from './browser';
import { escalatingGraph, twoStepGraph } from './graphs';

describe('inbox in the browser', () => {
  let product: Product;
  let browser: Browser;
  let ops: string;
  const suffix = Date.now().toString(36);
  const key = `e2e-inbox-${suffix}`;

  const escalationKey = `e2e-escalation-${suffix}`;

  async function publish(playbookKey: string, name: string, graph: unknown): Promise<void> {
    const saved = await product.api<{ problems: unknown[] }>('PUT', `/api/playbooks/${playbookKey}/draft`, { token: ops, body: { name, graph } });
    expect(saved.status).toBe(200);
    expect(saved.body.problems).toEqual([]);
    expect((await product.api('POST', `/api/playbooks/${playbookKey}/publish`, { token: ops })).status).toBe(201);
  }

  beforeAll(async () => {
    requireBuiltEditor();
    product = await startProduct();
    browser = await launchBrowser();
    ops = await product.login('olga');
    await publish(key, `E2E call-back ${suffix}`, twoStepGraph());
    await publish(escalationKey, `E2E complaint ${suffix}`, escalatingGraph());
  });

  afterAll(async () => {
    await browser?.close();
    await product?.stop();
  });

  async function customerNamed(name: string): Promise<string> {
    const id = await newCustomer(product.pool, { department: 'after_sales', grade: 'high_potential', value: 38000 });
    await product.pool.query("UPDATE customers SET name = $2, churn_type = 'fault', churn_reason = 'A' WHERE id = $1", [id, name]);
    return id;
  }

  async function startRun(customerId: string, playbookKey = key): Promise<string> {
    const res = await product.api<{ id: string }>('POST', '/api/runs', { token: ops, body: { playbookKey, customerId } });
    expect(res.status).toBe(201);
    return res.body.id;
  }

  const openTaskOf = (attemptId: string, title: string) =>
    eventually(
      async () =>
        (await product.pool.query<{ id: string }>("SELECT id FROM tasks WHERE attempt_id = $1 AND title = $2 AND status = 'open'", [attemptId, title])).rows[0],
      20_000,
      `task "${title}"`,
    );

  const rows = (page: Page, text: string) => page.getByTestId('inbox-row').filter({ hasText: text });
  const rowCount = (page: Page, n: number, what: string) => eventually(async () => (await page.getByTestId('inbox-row').count()) === n, 5000, what);

  it('a rep claims and completes a task, and the run’s next task arrives live', async () => {
    const customer = `Lumen Bistro ${suffix}`;
    const attemptId = await startRun(await customerNamed(customer));
    const first = await openTaskOf(attemptId, 'Call back about the service complaint');

    const { page, problems } = await openPage(browser);
    await page.goto(`${product.url}/`);
    await login(page, 'rita');
    // Reps land on the inbox.
    await page.waitForURL(/#\/inbox$/);
    await page.locator('[data-testid="live-state"][data-state="live"]').waitFor();

    // "/" focuses the search box.
    await page.keyboard.press('/');
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('inbox-search');
    await page.keyboard.type(customer);
    const row = rows(page, customer);
    await row.waitFor();
    expect(await row.count()).toBe(1);
    const rowText = await row.innerText();
    expect(rowText).toContain('Call back about the service complaint');
    expect(rowText).toContain('High potential');
    expect(rowText).toMatch(/Due in 2 days/);
    expect(rowText).toContain('Unclaimed');
    await screenshot(page, 'inbox-list');

    await row.click();
    await page.waitForURL(new RegExp(`#/inbox/${first.id}$`));
    const detail = page.getByTestId('task-detail');
    await detail.getByRole('heading', { name: 'Call back about the service complaint' }).waitFor();
    await page.getByTestId('customer-panel').getByText('A · Dissatisfied with service').waitFor();

    await detail.getByRole('button', { name: 'Claim', exact: true }).click();
    await detail.getByTestId('detail-claimed-by').filter({ hasText: 'Claimed by Rita Rep' }).waitFor();
    await row.filter({ hasText: 'Claimed by You' }).waitFor();
    expect((await product.pool.query('SELECT claimed_by FROM tasks WHERE id = $1', [first.id])).rows[0].claimed_by).toBe('u-rita');

    // Record the call in the customer's contact log.
    const panel = page.getByTestId('customer-panel');
    await panel.getByLabel('Summary').fill('Called; the wait at the counter put them off.');
    await panel.getByRole('button', { name: 'Record contact' }).click();
    await panel.getByTestId('contact-log').getByText('the wait at the counter put them off').waitFor();

    // Required fields are checked before anything is sent.
    await detail.getByTestId('outcome-reached').click();
    await page.locator(`#complete-${first.id}-reason-error`).filter({ hasText: 'Required' }).waitFor();
    await page.locator(`#complete-${first.id}-said-error`).filter({ hasText: 'Required' }).waitFor();
    expect((await product.pool.query('SELECT status FROM tasks WHERE id = $1', [first.id])).rows[0].status).toBe('open');
    await screenshot(page, 'inbox-validation');

    await detail.getByLabel('Why they left').selectOption('A');
    await detail.getByLabel('What the customer said').fill('Waited an hour last time; will come back for a proper service.');
    await detail.getByLabel('Discount offered').fill('50');
    await page.evaluate(() => ((window as unknown as { e2eMarker: string }).e2eMarker = 'same page'));
    const clicked = Date.now();
    await detail.getByTestId('outcome-reached').click();
    await detail.getByTestId('task-notice').filter({ hasText: 'Completed as “Reached”' }).waitFor();

    // The run's next task shows up in the list without a reload, and the completed one leaves it.
    const next = rows(page, 'Send the tailored win-back offer');
    await next.waitFor({ timeout: 5000 });
    expect(Date.now() - clicked).toBeLessThan(5000);
    await rows(page, 'Call back about the service complaint').waitFor({ state: 'detached' });
    expect(await page.evaluate(() => (window as unknown as { e2eMarker?: string }).e2eMarker)).toBe('same page');
    await detail.getByTestId('task-outcome').getByText('Reason A').waitFor();
    const stored = await product.pool.query('SELECT status, outcome, form_data, completed_by FROM tasks WHERE id = $1', [first.id]);
    expect(stored.rows[0]).toEqual({
      status: 'completed',
      outcome: 'reached',
      form_data: { reason: 'A', said: 'Waited an hour last time; will come back for a proper service.', discount: 50 },
      completed_by: 'u-rita',
    });
    await screenshot(page, 'inbox-completed');

    // Nothing the rep does now: a task created elsewhere must arrive through the live stream alone.
    await page.getByLabel('Search tasks').fill('');
    await page.getByLabel('Playbook', { exact: true }).selectOption(key);
    await rowCount(page, 1, 'the list filtered to this playbook');
    await page.waitForTimeout(500);
    const other = `Harbour Cafe ${suffix}`;
    const started = Date.now();
    await startRun(await customerNamed(other));
    const arrived = rows(page, other);
    await arrived.waitFor({ timeout: 5000 });
    expect(Date.now() - started).toBeLessThan(5000);
    expect(await arrived.getAttribute('data-fresh')).toBe('true');
    await screenshot(page, 'inbox-live');

    // Esc closes the detail; j selects the first row and Enter opens it (not while in a field).
    await page.evaluate(() => (document.activeElement as HTMLElement | null)?.blur());
    await page.keyboard.press('Escape');
    await page.waitForURL(/#\/inbox$/);
    await page.keyboard.press('j');
    await page.keyboard.press('Enter');
    await detail.waitFor();
    expect(page.url()).toMatch(/#\/inbox\/[0-9a-f-]{36}$/);

    expect(problems).toEqual([]);
    await page.context().close();
  });

  it('a department head sees the missed SLA in the escalation chain and reassigns the original task', async () => {
    const customer = `Corner Garage ${suffix}`;
    const attemptId = await startRun(await customerNamed(customer), escalationKey);
    const original = await openTaskOf(attemptId, 'Respond to the complaint');
    const escalation = await openTaskOf(attemptId, 'Escalation: Respond to the complaint');

    const { page, problems } = await openPage(browser);
    await page.goto(`${product.url}/#/login`);
    await login(page, 'hana');
    await page.waitForURL(/#\/inbox$/);
    await page.getByLabel('Search tasks').fill(customer);
    await rowCount(page, 2, 'the list filtered to this customer');
    expect(await rows(page, customer).count()).toBe(2);
    const escalated = rows(page, 'Escalation L1');
    expect(await escalated.innerText()).toContain('Escalation: Respond to the complaint');
    // Department heads see the overdue badge for the original task, whose SLA has passed.
    await page.getByTestId('overdue-badge').waitFor();

    await escalated.click();
    await page.waitForURL(new RegExp(`#/inbox/${escalation.id}$`));
    const chain = page.getByTestId('escalation-chain');
    await chain.waitFor();
    // Department names load just after signing in: wait for them rather than read the first paint.
    await chain.getByText(/escalated to Department head queue · After-sales service/).waitFor();
    const chainText = await chain.innerText();
    expect(chainText).toContain('Original task');
    expect(chainText).toMatch(/SLA missed .+ while with Rep queue · After-sales service; escalated to Department head queue · After-sales service/);
    await screenshot(page, 'inbox-escalation');

    await chain.getByRole('link', { name: 'Respond to the complaint', exact: true }).click();
    await page.waitForURL(new RegExp(`#/inbox/${original.id}$`));
    const detail = page.getByTestId('task-detail');
    await detail.getByRole('button', { name: 'Reassign…' }).click();
    const picker = detail.getByLabel('Assign to');
    const offered = await picker.locator('option').allInnerTexts();
    expect(offered).toEqual(expect.arrayContaining(['Rita Rep (rita)', 'Ravi Rep (ravi)']));
    expect(offered.join()).not.toMatch(/Kim|Hana|Olga/);
    await picker.selectOption({ label: 'Ravi Rep (ravi)' });
    await detail.getByLabel('Reason').fill('Ravi knows this garage');
    await screenshot(page, 'inbox-reassign');
    await detail.getByRole('button', { name: 'Reassign', exact: true }).click();
    await detail.getByTestId('task-notice').filter({ hasText: 'Reassigned.' }).waitFor();
    const row = await eventually(
      async () => (await product.pool.query('SELECT assignee_user_id FROM tasks WHERE id = $1', [original.id])).rows[0],
      10_000,
      'the reassignment',
    );
    expect(row.assignee_user_id).toBe('u-ravi');
    await detail.getByText('For Ravi Rep · After-sales service').waitFor();

    expect(problems).toEqual([]);
    await page.context().close();
  });

  it('others land on the playbooks, and the top bar links to both', async () => {
    const { page, problems } = await openPage(browser);
    await page.goto(`${product.url}/`);
    await login(page, 'olga');
    await page.waitForURL(/#\/playbooks$/);
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Inbox' }).click();
    await page.waitForURL(/#\/inbox$/);
    await page.getByRole('heading', { name: 'Inbox', level: 1 }).waitFor();
    expect(problems).toEqual([]);
    await page.context().close();
  });
});
