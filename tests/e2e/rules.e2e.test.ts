import { randomUUID } from 'node:crypto';
import type { Browser } from 'playwright-core';
import { startProduct, type Product } from '../support/product';
import { launchBrowser, login, openPage, requireBuiltEditor, screenshot } from './browser';

/**
 * The at-risk rules page and the import page in Chromium, as an ops manager: a rule change tried in
 * a dry run (who would move, from → to, with the evidence) and a CSV import with its progress bar and
 * the refused rows by line and column. Screenshots go to test-artifacts/.
 */
describe('rules and imports in the browser', () => {
  let product: Product;
  let browser: Browser;
  beforeAll(async () => {
    requireBuiltEditor();
    product = await startProduct();
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
    await product?.stop();
  });

  it('a dry run of a shorter red line lists the customer it would move, with the evidence, and changes nothing', async () => {
    const id = `E2E-${randomUUID().slice(0, 8)}`;
    await product.pool.query(`INSERT INTO customers (id, name, department_id, status) VALUES ($1, 'Dry Run Garage', 'after_sales', 'active')`, [id]);
    await product.pool.query(
      `INSERT INTO customer_activity (customer_id, kind, source, external_id, occurred_at) VALUES ($1, 'visit', 'e2e', $2, now() - interval '45 days')`,
      [id, `${id}-v`],
    );
    const { page, problems } = await openPage(browser);
    await page.goto(`${product.url}/#/rules`);
    await login(page, 'olga');
    await page.getByRole('heading', { name: 'At-risk rules' }).waitFor();
    await page.getByRole('heading', { name: 'Evaluation schedule' }).waitFor();
    await page.getByText('daily at 02:00 UTC').waitFor();
    await page.getByLabel('Days without a visit, service, order or payment').fill('30');
    await page.getByRole('button', { name: 'Dry run' }).click();
    const row = page.getByRole('row', { name: /Dry Run Garage/ });
    await row.waitFor();
    await expectText(row, /Active → At risk/);
    await expectText(row, /days unseen: 45/);
    await expectText(row, /Red line/);
    // The department as people call it, not its id.
    const department = (await product.pool.query<{ name: string }>("SELECT name FROM departments WHERE id = 'after_sales'")).rows[0].name;
    expect(department).not.toBe('after_sales');
    await expectText(row, new RegExp(department));
    expect(await row.textContent()).not.toContain('after_sales');
    await page.getByRole('status').filter({ hasText: 'Nothing was changed' }).waitFor();
    await page.getByRole('heading', { name: /Dry run as of/ }).scrollIntoViewIfNeeded();
    await screenshot(page, 'rules-dry-run');
    expect((await product.pool.query('SELECT status FROM customers WHERE id = $1', [id])).rows[0].status).toBe('active');
    expect(problems).toEqual([]);
  });

  it('a CSV import shows its progress bar and the refused rows by line and column', async () => {
    const customer = `E2E-${randomUUID().slice(0, 8)}`;
    await product.pool.query(`INSERT INTO customers (id, name) VALUES ($1, 'Import Target')`, [customer]);
    const p = randomUUID().slice(0, 8);
    const csv = [
      'customer_id,kind,source,external_id,occurred_at,amount,currency',
      `${customer},order,erp,${p}-1,2026-02-01T10:00:00Z,120.50,EUR`,
      `${customer},order,erp,${p}-2,someday,99,EUR`,
      `${customer},visit,erp,${p}-3,2026-02-02,,`,
    ].join('\n');
    const { page, problems } = await openPage(browser);
    await page.goto(`${product.url}/#/imports`);
    await login(page, 'olga');
    await page.getByRole('heading', { name: 'Import customers and activity' }).waitFor();
    await page.getByLabel('What the file holds').selectOption('activity');
    await page.getByLabel('File', { exact: true }).setInputFiles({ name: 'activity.csv', mimeType: 'text/csv', buffer: Buffer.from(csv) });
    await page.getByRole('button', { name: 'Import' }).click();
    await page.getByRole('heading', { name: /activity\.csv · completed/ }).waitFor();
    await page.getByRole('progressbar', { name: 'Import progress' }).waitFor();
    await page.getByText('2 applied').waitFor();
    await page.getByText('1 refused').waitFor();
    const refused = page.getByRole('row', { name: /occurred_at/ });
    await expectText(refused, /^3/);
    await screenshot(page, 'rules-import');
    expect(problems).toEqual([]);
  });
});

async function expectText(locator: import('playwright-core').Locator, pattern: RegExp): Promise<void> {
  const text = (await locator.textContent()) ?? '';
  expect(text).toMatch(pattern);
}
