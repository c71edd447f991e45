import AxeBuilder from '@axe-core/playwright';
import type { Browser, Page } from 'playwright-core';
import type { PlaybookGraph } from '../../playbooks/graph';
import { eventually, newCustomer, startProduct, terminateRunningAttempts, type Product } from '../support/product';
import { launchBrowser, login, openPage, requireBuiltEditor, screenshot } from './browser';

/**
 * The customers page in Chromium: a rep finds a customer by name from the keyboard, opens the file,
 * starts a playbook whose start step asks for a score in a range and a reason from a list (a score
 * out of range is refused next to its field first), and lands on the new attempt, which links to its
 * run in Temporal's UI. On the file a rep records a contact about the customer in general (a blank
 * summary refused at its field by the server first), then one about the open attempt from the
 * keyboard, and sees both in the contact log. The department reads by its name everywhere. An auditor
 * reads the same file with no start button and no contact form. axe finds nothing serious or
 * critical on the search, the file, or the form showing a problem.
 */
const at = (x: number, y: number) => ({ x, y });
const graph = {
  nodes: [
    {
      id: 'start',
      kind: 'start',
      name: 'Flagged',
      position: at(0, 100),
      config: {
        trigger: 'manual',
        variables: [
          { key: 'score', type: 'number', required: true, min: 1, max: 5 },
          { key: 'reason', type: 'string', required: true, values: ['natural', 'competitive'] },
        ],
      },
    },
    {
      id: 'call',
      kind: 'task',
      name: 'Call back',
      position: at(220, 100),
      config: { title: 'Call the customer back', assignee: { type: 'role', role: 'rep' }, outcomes: [{ key: 'done', label: 'Done' }] },
    },
    { id: 'end', kind: 'end', name: 'Retained', position: at(440, 100), config: { outcome: 'retained' } },
  ],
  edges: [
    { id: 'e1', source: 'start', sourceHandle: 'next', target: 'call' },
    { id: 'e2', source: 'call', sourceHandle: 'done', target: 'end' },
  ],
} as PlaybookGraph;

async function seriousViolations(page: Page): Promise<string[]> {
  // Judge the page as it settles, not a spinner's frame.
  await eventually(async () => (await page.locator('.status--loading').count()) === 0, 5000, 'no spinner');
  const result = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']).analyze();
  return result.violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map(
      (v) =>
        `${v.impact} ${v.id}: ${v.nodes
          .map((n) => n.target.join(' '))
          .slice(0, 3)
          .join(' | ')}`,
    );
}

describe('customers page in the browser', () => {
  let product: Product;
  let browser: Browser;
  const suffix = Date.now().toString(36);
  const key = `e2e-customers-${suffix}`;
  const playbookName = `Score call-back ${suffix}`;
  const customerName = `Quillon Wharf ${suffix}`;
  let customerId: string;

  beforeAll(async () => {
    requireBuiltEditor();
    product = await startProduct();
    browser = await launchBrowser();
    const ops = await product.login('olga');
    const saved = await product.api<{ problems: unknown[] }>('PUT', `/api/playbooks/${key}/draft`, { token: ops, body: { name: playbookName, graph } });
    expect(saved.body.problems).toEqual([]);
    expect((await product.api('POST', `/api/playbooks/${key}/publish`, { token: ops })).status).toBe(201);
    customerId = await newCustomer(product.pool, { department: 'after_sales', grade: 'high_potential' });
    await product.pool.query("UPDATE customers SET name = $2, churn_reason = 'C' WHERE id = $1", [customerId, customerName]);
  });
  afterAll(async () => {
    await terminateRunningAttempts(product, key);
    await browser?.close();
    await product?.stop();
  });

  it('a rep finds a customer by name, opens the file and starts a playbook with typed variables, a wrong one refused first', async () => {
    const { page, problems } = await openPage(browser);
    await page.goto(`${product.url}/`);
    await login(page, 'rita');
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Customers' }).click();
    await page.getByRole('heading', { name: 'Customers', level: 1 }).waitFor();

    // `/` focuses the search from the page; arrows and Enter open a result without the mouse.
    await page.locator('body').click({ position: { x: 5, y: 300 } });
    await page.keyboard.press('/');
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('customer-search');
    await page.keyboard.type(`quillon wharf ${suffix}`);
    const result = page.getByTestId('customer-result');
    await result.first().waitFor();
    expect(await result.count()).toBe(1);
    const row = await result.first().innerText();
    expect(row).toContain(customerName);
    expect(row).toContain('High potential');
    // The department by its name from the directory, never its id.
    const departmentName = (await product.pool.query<{ name: string }>("SELECT name FROM departments WHERE id = 'after_sales'")).rows[0].name;
    expect(departmentName).not.toMatch(/after.sales$/i);
    expect(row).toContain(departmentName);
    expect(row).not.toMatch(/after[ _]sales/);
    expect(row).toContain('C · Price-sensitive');
    expect(await seriousViolations(page)).toEqual([]);
    await screenshot(page, 'customers-search');
    await page.keyboard.press('ArrowDown');
    await page.keyboard.press('Enter');
    await page.waitForURL(`**/#/customers/${encodeURIComponent(customerId)}`);

    const file = page.getByTestId('customer-file');
    await file.getByRole('heading', { name: customerName, level: 1 }).waitFor();
    await file.getByTestId('customer-panel').waitFor();
    expect(await file.getByText('No recovery attempt yet.').count()).toBe(1);
    await file.locator('.page__header').getByText(departmentName).waitFor();
    await file.getByTestId('customer-panel').locator('.kv__row', { hasText: 'Department' }).getByText(departmentName, { exact: true }).waitFor();
    expect(await file.innerText()).not.toMatch(/after_sales|After sales\b/);
    expect(await seriousViolations(page)).toEqual([]);
    await screenshot(page, 'customer-file');

    // The playbook is picked by name; its start step's variables become a form.
    const start = file.getByTestId('start-attempt');
    await start.getByLabel('Playbook', { exact: true }).selectOption({ label: `${playbookName} (version 1)` });
    const score = start.getByLabel(/^Score\b/);
    await score.waitFor();
    expect(
      await start
        .getByLabel(/^Reason\b/)
        .locator('option')
        .allInnerTexts(),
    ).toEqual(['Choose…', 'Natural', 'Competitive']);
    await score.fill('9');
    await start.getByLabel(/^Reason\b/).selectOption('competitive');
    await start.getByRole('button', { name: `Start ${playbookName}` }).click();
    const scoreError = start.locator('#start-var-score-error');
    await scoreError.waitFor();
    expect(await scoreError.innerText()).toContain('between 1 and 5');
    expect(await score.getAttribute('aria-invalid')).toBe('true');
    expect((await product.pool.query('SELECT 1 FROM recovery_attempts WHERE customer_id = $1', [customerId])).rowCount).toBe(0);
    await screenshot(page, 'customer-start');

    await score.fill('4');
    await start.getByRole('button', { name: `Start ${playbookName}` }).click();
    await start.getByTestId('start-done').waitFor();
    expect(await start.locator('#start-var-score-error').count()).toBe(0);
    const stored = await eventually(
      async () => (await product.pool.query('SELECT id, started_by FROM recovery_attempts WHERE customer_id = $1', [customerId])).rows[0],
      20_000,
      'the attempt row',
    );
    expect(stored.started_by).toBe('u-rita');
    // The file lists it by the playbook's name; the link and the success line open the attempt page.
    await file.getByTestId('customer-attempts').getByRole('link', { name: playbookName }).waitFor();
    await start.getByRole('link', { name: 'Open the attempt' }).click();
    await page.waitForURL(`**/#/audit/${stored.id}`);
    expect(await page.getByTestId('attempt-title').innerText()).toContain(customerName);
    const temporal = page.getByTestId('temporal-link');
    expect(await temporal.getAttribute('target')).toBe('_blank');
    expect(await temporal.getAttribute('href')).toMatch(/\/namespaces\/default\/workflows\/.+/);

    // A second start of the same playbook is refused (409) beside the form, with the running attempt.
    await page.goto(`${product.url}/#/customers/${encodeURIComponent(customerId)}`);
    await start.getByLabel('Playbook', { exact: true }).selectOption({ label: `${playbookName} (version 1)` });
    await start.getByLabel(/^Score\b/).fill('2');
    await start.getByLabel(/^Reason\b/).selectOption('natural');
    await start.getByRole('button', { name: `Start ${playbookName}` }).click();
    const conflict = start.getByTestId('start-conflict');
    await conflict.waitFor();
    expect(await conflict.innerText()).toContain(`${playbookName} is already running for ${customerName}`);
    expect(await conflict.getByRole('link', { name: 'Open the running attempt' }).getAttribute('href')).toBe(`#/audit/${stored.id}`);
    expect(problems).toEqual([]);
    await page.context().close();
  });

  it('a rep records a contact about the customer, then one about the open attempt from the keyboard, and sees both in the log', async () => {
    const { page, problems } = await openPage(browser);
    await page.goto(`${product.url}/`);
    await login(page, 'rita');
    await page.goto(`${product.url}/#/customers/${encodeURIComponent(customerId)}`);
    const file = page.getByTestId('customer-file');
    const form = file.getByTestId('contact-form');
    await form.waitFor();
    const attempt = (await product.pool.query<{ id: string }>("SELECT id FROM recovery_attempts WHERE customer_id = $1 AND status = 'running'", [customerId]))
      .rows[0];
    expect(attempt).toBeDefined();
    const contacts = () =>
      product.pool.query<{ kind: string; channel: string | null; summary: string; attempt_id: string | null; by_user_id: string }>(
        'SELECT kind, channel, summary, attempt_id, by_user_id FROM contacts WHERE customer_id = $1 ORDER BY id',
        [customerId],
      );

    // Kinds and channels in words; the attempt by its playbook's name, none chosen until asked.
    expect(await form.getByLabel('Kind').locator('option').allInnerTexts()).toEqual(['Call', 'Message', 'Visit', 'Note']);
    expect(await form.getByLabel('Channel').locator('option').allInnerTexts()).toContain('In person');
    const about = form.getByLabel('About attempt');
    expect(await about.locator('option').allInnerTexts()).toEqual(['None: the customer in general', expect.stringContaining(`${playbookName}, started`)]);
    expect(await about.inputValue()).toBe('');

    // A summary of only spaces goes to the server, whose 400 is shown at the field.
    await form.getByLabel('Kind').selectOption({ label: 'Visit' });
    expect(await form.getByLabel('Channel').inputValue()).toBe('in_person');
    const summary = form.getByLabel('Summary');
    await summary.fill('   ');
    await form.getByRole('button', { name: 'Record contact' }).click();
    // The field points at its problem only once the server's 400 is back: wait for that, then follow it.
    await form.locator('[aria-invalid="true"][aria-describedby]').waitFor();
    const summaryProblem = form.locator(`#${await summary.getAttribute('aria-describedby')}`);
    await summaryProblem.waitFor();
    expect(await summaryProblem.innerText()).toContain('Summarise the contact');
    expect(await summary.getAttribute('aria-invalid')).toBe('true');
    expect((await contacts()).rowCount).toBe(0);
    expect(await seriousViolations(page)).toEqual([]);

    await summary.fill('Dropped in at the depot; the new opening hours suit them.');
    await form.getByRole('button', { name: 'Record contact' }).click();
    const log = file.getByTestId('contact-log');
    await log.getByText('the new opening hours suit them').waitFor();
    expect(await summary.getAttribute('aria-invalid')).toBeNull();
    expect((await contacts()).rows).toEqual([
      { kind: 'visit', channel: 'in_person', summary: 'Dropped in at the depot; the new opening hours suit them.', attempt_id: null, by_user_id: 'u-rita' },
    ]);
    expect(await log.locator('.contact').first().innerText()).toMatch(/Visit\s+via In person/);

    // The second from the keyboard only: Kind, Channel, About attempt, Summary, then the button.
    // Arrow keys change a focused select in Chromium on Linux without opening it.
    await form.getByLabel('Kind').focus();
    for (let i = 0; i < 3; i++) await page.keyboard.press('ArrowUp');
    expect(await form.getByLabel('Kind').inputValue()).toBe('call');
    await page.keyboard.press('Tab');
    expect(await page.evaluate(() => document.activeElement?.tagName + ':' + document.activeElement?.getAttribute('id'))).toBe(
      `SELECT:${await form.getByLabel('Channel').getAttribute('id')}`,
    );
    await page.keyboard.press('Tab');
    await page.keyboard.press('ArrowDown');
    expect(await about.inputValue()).toBe(attempt.id);
    await page.keyboard.press('Tab');
    await page.keyboard.type('Called to confirm the visit on Friday.');
    await page.keyboard.press('Tab');
    await page.keyboard.press('Enter');
    await log.getByText('Called to confirm the visit on Friday.').waitFor();
    expect((await contacts()).rows[1]).toEqual({
      kind: 'call',
      channel: 'phone',
      summary: 'Called to confirm the visit on Friday.',
      attempt_id: attempt.id,
      by_user_id: 'u-rita',
    });
    await form.getByText('Recorded: it is at the top of the contact log.').waitFor();
    expect(await seriousViolations(page)).toEqual([]);
    await file.getByTestId('customer-panel').scrollIntoViewIfNeeded();
    await screenshot(page, 'customer-contact');
    expect(problems).toEqual([]);
    await page.context().close();
  });

  it('an auditor reads the file with its attempts and contacts and sees no start button and no contact form', async () => {
    const { page, problems } = await openPage(browser);
    await page.goto(`${product.url}/`);
    await login(page, 'aude');
    await page.goto(`${product.url}/#/customers/${encodeURIComponent(customerId)}`);
    const file = page.getByTestId('customer-file');
    await file.getByRole('heading', { name: customerName, level: 1 }).waitFor();
    await file.getByTestId('customer-attempts').getByRole('link', { name: playbookName }).waitFor();
    expect(await page.getByTestId('start-attempt').count()).toBe(0);
    expect(await page.getByRole('button', { name: /^Start / }).count()).toBe(0);
    // Auditors read the contact log and record nothing.
    await file.getByTestId('contact-log').waitFor();
    expect(await page.getByTestId('contact-form').count()).toBe(0);
    expect(await page.getByRole('button', { name: 'Record contact' }).count()).toBe(0);
    expect(await seriousViolations(page)).toEqual([]);
    expect(problems).toEqual([]);
    await page.context().close();
  });
});
