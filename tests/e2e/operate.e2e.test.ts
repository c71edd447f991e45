import { randomUUID } from 'node:crypto';
import AxeBuilder from '@axe-core/playwright';
import { Pool } from 'pg';
import type { Browser, Locator, Page } from 'playwright-core';
import { eventually, startProduct, terminateRunningAttempts, type Product } from '../support/product';
import { launchBrowser, login, openPage, requireBuiltEditor, screenshot } from './browser';
import { operateV1, operateV2, poisonGraph, publish, startAttempt, waitingAt } from './operateSetup';

/**
 * The operator's UI in Chromium, as an ops manager: the attempts list (filters, a saved view, axe),
 * an incident shown and retried once its cause is fixed, a move and a refused move with the
 * server's reason, and a migration with its dry run and apply. Screenshots: test-artifacts/operate-*.png.
 */
describe('operating attempts in the browser', () => {
  let product: Product;
  let browser: Browser;
  let owner: Pool;
  let ops: string;
  const suffix = randomUUID().slice(0, 8);
  const key = `e2e-operate-${suffix}`;
  const poisonKey = `e2e-poison-${suffix}`;
  const names = { alpha: `Alpha Oven ${suffix}`, beta: `Beta Bikes ${suffix}`, gamma: `Gamma Glass ${suffix}`, poison: `Poison Pies ${suffix}` };
  const ids = { alpha: '', beta: '', gamma: '' };

  beforeAll(async () => {
    requireBuiltEditor();
    product = await startProduct();
    await product.startOperationsWorker();
    // The schema owner, as a migration would: the app's role may not add constraints.
    owner = new Pool({ connectionString: process.env.TEST_OWNER_DATABASE_URL, max: 1 });
    browser = await launchBrowser();
    ops = await product.login('olga');
    await publish(product, ops, key, `Service plan win-back ${suffix}`, operateV1);
    ids.alpha = await startAttempt(product, ops, key, names.alpha);
    ids.beta = await startAttempt(product, ops, key, names.beta);
    ids.gamma = await startAttempt(product, ops, key, names.gamma);
    for (const id of Object.values(ids)) await waitingAt(product, ops, key, id, 'call');
  });
  afterAll(async () => {
    await owner?.query('ALTER TABLE tasks DROP CONSTRAINT IF EXISTS e2e_poison');
    await owner?.end();
    await browser?.close();
    if (product) {
      await terminateRunningAttempts(product, key);
      await terminateRunningAttempts(product, poisonKey);
      await product.stop();
    }
  });

  async function operatePage(query = ''): Promise<{ page: Page; problems: string[] }> {
    const opened = await openPage(browser);
    await opened.page.goto(`${product.url}/#/operate${query ? `?${query}` : ''}`);
    await login(opened.page, 'olga');
    await opened.page.getByRole('heading', { name: 'Attempts', exact: true }).waitFor();
    return opened;
  }
  const rows = (page: Page) => page.getByTestId('operate-row');

  it('lists attempts with what they wait for, filters them, keeps a saved view, and passes axe', async () => {
    const { page, problems } = await operatePage();
    await page.getByLabel('Playbook', { exact: true }).selectOption(key);
    await expectRows(page, 3);
    const alpha = rows(page).filter({ hasText: names.alpha });
    await expectText(alpha, /Call the customer/);
    await expectText(alpha, /Task: Call about the lapsed plan — any Rep/);
    await expectText(alpha, /v1/);
    // Under the customer's name, their department by its name from the directory, not its id.
    const departmentName = (await product.pool.query<{ name: string }>("SELECT name FROM departments WHERE id = 'after_sales'")).rows[0].name;
    expect(departmentName).not.toMatch(/after.sales$/i);
    expect(await alpha.locator('td').nth(1).locator('.small').innerText()).toBe(departmentName);
    await page.getByLabel('Customer', { exact: true }).fill('Alpha Oven');
    await expectRows(page, 1);
    await page.getByText('1–1 of 1 attempt').waitFor();
    // The department filter offers departments by name.
    await page.getByLabel('Department', { exact: true }).selectOption({ label: departmentName });
    await expectRows(page, 1);
    expect(page.url()).toContain('department=after_sales');

    await page.getByRole('button', { name: 'Save these filters…' }).click();
    await page.getByLabel('Name', { exact: true }).fill(`Alpha ${suffix}`);
    await page.getByRole('button', { name: 'Save view' }).click();
    await page.getByRole('button', { name: 'Clear filters' }).click();
    await poll(
      () => page.getByLabel('Customer', { exact: true }).inputValue(),
      (v) => v === '',
      'the customer filter cleared',
    );
    await page.getByLabel('Saved view').selectOption({ label: `Alpha ${suffix}` });
    await expectRows(page, 1);
    await expectText(rows(page).first(), new RegExp(names.alpha));
    expect(page.url()).toContain(`playbook=${key}`);
    await screenshot(page, 'operate-list');

    const result = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']).analyze();
    const serious = result.violations
      .filter((v) => v.impact === 'serious' || v.impact === 'critical')
      .map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
    expect(serious).toEqual([]);
    expect(problems).toEqual([]);
  });

  it('shows an incident with the database’s refusal and retries it once the cause is fixed', async () => {
    await owner.query(`ALTER TABLE tasks ADD CONSTRAINT e2e_poison CHECK (title <> 'Poison')`);
    await publish(product, ops, poisonKey, `Poisoned ${suffix}`, poisonGraph);
    const attemptId = await startAttempt(product, ops, poisonKey, names.poison);
    await eventually(
      async () => (await product.pool.query('SELECT 1 FROM attempt_incidents WHERE attempt_id = $1 AND resolved_at IS NULL', [attemptId])).rowCount,
      30_000,
      'the incident',
    );

    const { page, problems } = await operatePage(`playbook=${poisonKey}&incident=open`);
    const row = rows(page).filter({ hasText: names.poison });
    await row.getByText('Incident').waitFor();
    await row.getByRole('button', { name: `Operate ${names.poison}’s attempt` }).click();
    const panel = page.getByRole('dialog', { name: new RegExp(names.poison) });
    const incident = panel.getByRole('region', { name: 'Open incident' });
    await incident.getByText(/e2e_poison/).waitFor();
    await screenshot(page, 'operate-incident');

    await owner.query('ALTER TABLE tasks DROP CONSTRAINT e2e_poison');
    await incident.getByRole('button', { name: 'Retry…' }).click();
    const dialog = page.getByRole('dialog', { name: 'Retry the failed write' });
    await dialog.getByLabel(/Reason/).fill('The constraint was dropped');
    await dialog.getByRole('button', { name: 'Retry…' }).click();
    await dialog.getByRole('button', { name: 'Yes, retry' }).click();
    await dialog.getByText('Done.').waitFor();
    await screenshot(page, 'operate-incident-retried');
    await eventually(
      async () => (await product.pool.query("SELECT 1 FROM tasks WHERE attempt_id = $1 AND title = 'Poison'", [attemptId])).rowCount,
      30_000,
      'the task',
    );
    await dialog.getByRole('button', { name: 'Close', exact: true }).last().click();
    await panel.getByText(/Incident retried/).waitFor();
    expect(problems).toEqual([]);
  });

  it('moves an attempt to another step and shows a refused move with the server’s reason', async () => {
    const { page, problems } = await operatePage(`playbook=${key}`);
    await openPanel(page, names.alpha).then((panel) => panel.getByRole('button', { name: 'Move…' }).click());
    let dialog = page.getByRole('dialog', { name: `Move ${names.alpha}’s attempt` });
    await dialog.getByLabel('From the current step').selectOption({ label: 'Call the customer' });
    await dialog.getByLabel('To the step').selectOption('wait');
    await dialog.getByLabel(/Reason/).fill('Called already by phone');
    await dialog.getByRole('button', { name: 'Move attempt…' }).click();
    await dialog.getByText(/Move from Call the customer to Wait a month\?/).waitFor();
    await screenshot(page, 'operate-move-confirm');
    await dialog.getByRole('button', { name: 'Yes, move attempt' }).click();
    await dialog.getByText('Done.').waitFor();
    await expectText(dialog, /Tasks cancelled\s*Call about the lapsed plan/);
    await expectText(dialog, /Timers started/);
    await expectText(dialog, /Afterwards\s*At Wait a month/);
    await screenshot(page, 'operate-move-applied');
    await dialog.getByRole('button', { name: 'Close', exact: true }).last().click();
    await page.keyboard.press('Escape');
    await waitingAt(product, ops, key, ids.alpha, 'wait');

    // Beta moves on elsewhere while its operator fills the form: the server refuses the stale move and says why.
    await openPanel(page, names.beta).then((panel) => panel.getByRole('button', { name: 'Move…' }).click());
    dialog = page.getByRole('dialog', { name: `Move ${names.beta}’s attempt` });
    await dialog.getByLabel('To the step').selectOption('wait');
    await dialog.getByLabel(/Reason/).fill('Skip the call');
    await dialog.getByRole('button', { name: 'Move attempt…' }).click();
    const beta = await waitingAt(product, ops, key, ids.beta, 'call');
    const moved = await product.api('POST', `/api/attempts/${ids.beta}/move`, {
      token: ops,
      body: { fromStepId: beta.waits[0].stepId, toNodeId: 'wait', reason: 'a colleague moved it first' },
    });
    expect(moved.status).toBe(200);
    await dialog.getByRole('button', { name: 'Yes, move attempt' }).click();
    const refusal = dialog.getByRole('alert');
    await refusal.waitFor();
    await expectText(refusal, /The server refused/);
    await expectText(refusal, /no longer at that step/);
    await screenshot(page, 'operate-move-refused');
    expect(problems).toEqual([]);
  });

  it('migrates attempts to the new version: step mapping, dry run with proof, then apply', async () => {
    await publish(product, ops, key, `Service plan win-back ${suffix}`, operateV2);
    await waitingAt(product, ops, key, ids.beta, 'wait');
    const { page, problems } = await operatePage(`playbook=${key}&version=1&status=running`);
    await expectRows(page, 3);
    await page.getByRole('button', { name: 'Migrate matching to v2…' }).click();
    await page.getByRole('heading', { name: `Migrate attempts of Service plan win-back ${suffix} from v1 to v2` }).waitFor();
    // Gamma still waits at the call, which v2 removed: the dry run waits for a mapping.
    await page.getByText('Map 1 removed step first.').waitFor();
    expect(await page.getByRole('button', { name: /^Dry run/ }).isDisabled()).toBe(true);
    await page.getByLabel('Where Call the customer goes').selectOption('follow');
    await page.getByRole('button', { name: 'Dry run (3 attempts)' }).click();
    await page.getByText('Finished: 3 of 3 attempts').first().waitFor({ timeout: 60_000 });
    const verdicts = page.getByTestId('dry-run-verdict');
    await poll(
      () => verdicts.count(),
      (n) => n === 3,
      'three verdicts',
    );
    await expectText(verdicts.filter({ hasText: names.gamma }), /Can move.*Replay matches.*states agree.*At Follow-up call/);
    await expectText(verdicts.filter({ hasText: names.alpha }), /Can move.*At Wait a month/);
    await page.getByRole('region', { name: 'Dry run' }).scrollIntoViewIfNeeded();
    await screenshot(page, 'operate-migration-dry-run');

    await page.getByRole('button', { name: 'Migrate 3 attempts…' }).click();
    const dialog = page.getByRole('dialog', { name: 'Migrate 3 attempts to v2' });
    await dialog.getByLabel(/Reason/).fill('v2 drops the call before the wait');
    await dialog.getByRole('button', { name: 'Migrate 3 attempts…' }).click();
    await dialog.getByRole('button', { name: 'Yes, migrate 3 attempts' }).click();
    await dialog.getByText('Done.').waitFor();
    await dialog.getByRole('button', { name: 'Close', exact: true }).last().click();
    const migration = page.getByRole('region', { name: 'Migration' });
    await migration.getByText('Finished: 3 of 3 attempts').waitFor({ timeout: 60_000 });
    await expectText(migration, /3 done/);
    await migration.scrollIntoViewIfNeeded();
    await screenshot(page, 'operate-migration-applied');
    const versions = await product.pool.query<{ playbook_version: number }>('SELECT playbook_version FROM recovery_attempts WHERE id = ANY($1)', [
      Object.values(ids),
    ]);
    expect(versions.rows.map((r) => r.playbook_version)).toEqual([2, 2, 2]);
    expect(problems).toEqual([]);
  });

  async function openPanel(page: Page, customerName: string): Promise<Locator> {
    await rows(page)
      .filter({ hasText: customerName })
      .getByRole('button', { name: `Operate ${customerName}’s attempt` })
      .click();
    const panel = page.getByRole('dialog', { name: new RegExp(customerName) }).first();
    await panel.getByRole('heading', { name: 'What it waits for' }).waitFor();
    return panel;
  }
});

/** Asks again until `ok` holds (the page re-renders as answers arrive); fails with the last value seen. */
async function poll<T>(read: () => Promise<T>, ok: (v: T) => boolean, what: string, timeoutMs = 15_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await read();
    if (ok(v)) return v;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}; last saw ${JSON.stringify(v)}`);
    await new Promise((r) => setTimeout(r, 150));
  }
}

async function expectRows(page: Page, n: number): Promise<void> {
  await poll(
    () => page.getByTestId('operate-row').count(),
    (c) => c === n,
    `${n} rows`,
  );
}

async function expectText(locator: Locator, pattern: RegExp): Promise<void> {
  const text = await poll(
    async () => ((await locator.first().textContent()) ?? '').replace(/\s+/g, ' '),
    (t) => pattern.test(t),
    String(pattern),
  );
  expect(text).toMatch(pattern);
}
