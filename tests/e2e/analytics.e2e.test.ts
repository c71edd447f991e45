import { randomUUID } from 'node:crypto';
import path from 'node:path';
import type { Browser } from 'playwright-core';
import type { PlaybookGraph } from '../../playbooks/graph';
import { hashPassword } from '../../server/auth';
import { startProduct, type Product } from '../support/product';
import { ARTIFACTS_DIR, launchBrowser, login, openPage, requireBuiltEditor, screenshot } from './browser';

/**
 * The retention dashboard and the playbook heatmap in Chromium, for a department head whose
 * department holds forty recovery attempts of the last weeks (so the figures on screen are this
 * suite's own): the rates table, the experiment verdict, CSV links, and the heatmap's counts on the
 * canvas with its step table. Screenshots go to test-artifacts/.
 */
const graph: PlaybookGraph = {
  nodes: [
    { id: 'start', kind: 'start', name: 'Flagged pre-churn', position: { x: 0, y: 160 }, config: { trigger: 'manual', variables: [] } },
    {
      id: 'split',
      kind: 'experiment',
      name: 'Call or offer first?',
      position: { x: 280, y: 160 },
      config: {
        arms: [
          { key: 'call_first', label: 'Call first', weight: 50 },
          { key: 'offer_first', label: 'Offer first', weight: 50 },
        ],
      },
    },
    {
      id: 'call',
      kind: 'task',
      name: 'Call the customer',
      position: { x: 580, y: 60 },
      config: {
        title: 'Call the customer',
        assignee: { type: 'role', role: 'rep' },
        outcomes: [
          { key: 'won_back', label: 'Won back' },
          { key: 'lost', label: 'Lost' },
        ],
      },
    },
    {
      id: 'offer_call',
      kind: 'task',
      name: 'Call with an offer',
      position: { x: 580, y: 280 },
      config: {
        title: 'Call with an offer',
        assignee: { type: 'role', role: 'rep' },
        outcomes: [
          { key: 'won_back', label: 'Won back' },
          { key: 'lost', label: 'Lost' },
        ],
      },
    },
    { id: 'won', kind: 'end', name: 'Won back', position: { x: 900, y: 60 }, config: { outcome: 'won_back' } },
    { id: 'lost', kind: 'end', name: 'Lost', position: { x: 900, y: 280 }, config: { outcome: 'lost' } },
  ],
  edges: [
    { id: 'e1', source: 'start', sourceHandle: 'next', target: 'split' },
    { id: 'e2', source: 'split', sourceHandle: 'call_first', target: 'call' },
    { id: 'e3', source: 'split', sourceHandle: 'offer_first', target: 'offer_call' },
    { id: 'e4', source: 'call', sourceHandle: 'won_back', target: 'won' },
    { id: 'e5', source: 'call', sourceHandle: 'lost', target: 'lost' },
    { id: 'e6', source: 'offer_call', sourceHandle: 'won_back', target: 'won' },
    { id: 'e7', source: 'offer_call', sourceHandle: 'lost', target: 'lost' },
  ],
};

const DAY = 86_400_000;

describe('the retention dashboard and the heatmap in the browser', () => {
  let product: Product;
  let browser: Browser;
  const suffix = Date.now().toString(36);
  const key = `e2e-analytics-${suffix}`;
  const dept = `e2e_anx_${suffix}`;
  const head = `anxhead${suffix}`;
  const ATTEMPTS = 40;

  beforeAll(async () => {
    requireBuiltEditor();
    product = await startProduct();
    browser = await launchBrowser();
    const { pool } = product;
    const ops = await product.login('olga');
    expect((await product.api('PUT', `/api/playbooks/${key}/draft`, { token: ops, body: { name: `Tiered call-back ${suffix}`, graph } })).status).toBe(200);
    expect((await product.api('POST', `/api/playbooks/${key}/publish`, { token: ops })).status).toBe(201);
    await pool.query('INSERT INTO departments (id, name) VALUES ($1, $2)', [dept, `Dashboard department ${suffix}`]);
    await pool.query(
      "INSERT INTO users (id, username, display_name, password_hash, role, department_id) VALUES ($1, $1, 'Dana Head', $2, 'department_head', $3)",
      [head, await hashPassword('demo'), dept],
    );

    // Forty attempts over the last forty days: "offer first" wins back 3 in 4, "call first" 1 in 2 (of those that ended).
    const now = Date.now();
    const reasons = ['A', 'B', 'C', 'D'];
    for (let i = 0; i < ATTEMPTS; i++) {
      const customer = `E2E-ANX-${suffix}-${i}`;
      await pool.query("INSERT INTO customers (id, name, department_id, churn_reason, grade, status) VALUES ($1, $2, $3, $4, 'ordinary', 'active')", [
        customer,
        `Dashboard customer ${i}`,
        dept,
        reasons[i % 4],
      ]);
      const arm = i % 2 ? 'offer_first' : 'call_first';
      const j = Math.floor(i / 2);
      const won = arm === 'offer_first' ? j % 4 !== 0 : j % 2 === 0;
      const started = new Date(now - (ATTEMPTS - i) * DAY);
      const ended = new Date(started.getTime() + (1 + (i % 5)) * DAY);
      const open = i >= ATTEMPTS - 3; // the three newest are still at their call
      const id = randomUUID();
      await pool.query(
        `INSERT INTO recovery_attempts (id, workflow_id, customer_id, playbook_key, playbook_version, status, outcome, started_at, ended_at)
         VALUES ($1, $2, $3, $4, 1, $5, $6, $7, $8)`,
        [id, `test/${id}`, customer, key, open ? 'running' : 'completed', open ? null : won ? 'won_back' : 'lost', started, open ? null : ended],
      );
      await pool.query(
        "INSERT INTO attempt_arms (attempt_id, node_id, arm, label, customer_id, playbook_key, playbook_version, assigned_at) VALUES ($1, 'split', $2, $2, $3, $4, 1, $5)",
        [id, arm, customer, key, started],
      );
      const step = (stepId: string, node: string, kind: string, entered: Date, left: Date | null, via: string | null) =>
        pool.query(
          `INSERT INTO attempt_steps (attempt_id, step_id, node_id, kind, customer_id, playbook_key, playbook_version, entered_at, left_at, left_via)
           VALUES ($1, $2, $3, $4, $5, $6, 1, $7, $8, $9)`,
          [id, stepId, node, kind, customer, key, entered, left, via],
        );
      const callNode = arm === 'offer_first' ? 'offer_call' : 'call';
      await step('s1', 'start', 'start', started, started, 'next');
      await step('s2', 'split', 'experiment', started, started, arm);
      await step('s3', callNode, 'task', started, open ? null : ended, open ? null : won ? 'won_back' : 'lost');
      if (!open) await step('s4', won ? 'won' : 'lost', 'end', ended, ended, null);
      // Served in the month it started; past the churn line just before; won back (or lost) when it ended.
      await pool.query("INSERT INTO customer_activity (customer_id, kind, source, external_id, occurred_at) VALUES ($1, 'visit', 'e2e', $2, $3)", [
        customer,
        randomUUID(),
        new Date(started.getTime() - DAY),
      ]);
      await pool.query(
        "INSERT INTO customer_status_history (customer_id, from_status, to_status, rule, at) VALUES ($1, 'pre_churn', 'churned', 'periodic_business', $2)",
        [customer, started],
      );
      if (!open)
        await pool.query(
          "INSERT INTO customer_status_history (customer_id, from_status, to_status, rule, attempt_id, at) VALUES ($1, 'churned', $2, 'playbook', $3, $4)",
          [customer, won ? 'won_back' : 'lost', id, ended],
        );
    }
  });

  afterAll(async () => {
    await browser?.close();
    await product?.stop();
  });

  it('a department head reads the rates, the attempt outcomes and the experiment, with tables beside the charts and CSV downloads', async () => {
    const { page, problems } = await openPage(browser, { height: 1200 });
    await page.goto(`${product.url}/`);
    await login(page, head);
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Dashboard' }).click();
    await page.getByRole('heading', { name: 'Retention dashboard' }).waitFor();
    await page.getByText('Customers of your department,').waitFor();

    // The rates table says what the server counts for this head: the forty of their department crossed the churn line
    // in the range (customers of no department are everyone's, so other suites' may add to it).
    const rates = page.getByRole('region', { name: 'Churn and win-back rates: table' });
    await rates.getByRole('row').nth(1).waitFor();
    const lost = (await rates.locator('tbody tr td:nth-child(3)').allInnerTexts()).map(Number);
    const served = await page.evaluate(async () => (await (await fetch('/api/analytics/rates')).json()) as { rows: { lost: number }[] });
    expect(lost).toEqual(served.rows.map((r) => r.lost));
    expect(lost.reduce((a, b) => a + b, 0)).toBeGreaterThanOrEqual(ATTEMPTS);
    // Every chart has labelled axes and a CSV download of its table.
    await page.getByText('Rate (%)').first().waitFor();
    expect(await page.getByRole('link', { name: 'Download CSV' }).first().getAttribute('href')).toMatch(/^\/api\/analytics\/rates\?.*format=csv/);

    // Breaking the rates down by churn reason shows the seeds' names for A–D.
    await page.getByLabel('Breakdown').selectOption('churn_reason');
    await rates.getByText('A — dissatisfied with service').first().waitFor();

    // Outcomes by playbook, then the experiment: "Offer first" won back 13 of 18 ended, "Call first" 10 of 19.
    await page.getByLabel('Playbook (outcomes and experiments)').selectOption(key);
    const experiment = page.getByRole('region', { name: 'Experiment: Call or offer first? (Tiered call-back' + ` ${suffix}): table` });
    await experiment.waitFor();
    const arms = await experiment.locator('tbody tr').allInnerTexts();
    expect(arms).toHaveLength(2);
    expect(arms[0]).toMatch(/^Call first\s+20\s+19\s+10\s+52\.6 %\s+31\.7 % – 72\.7 %\s+baseline$/);
    expect(arms[1]).toMatch(/^Offer first\s+20\s+18\s+13\s+72\.2 %.*not yet significant/);
    await page
      .getByText(
        /^Offer first wins back 72\.2 % against 52\.6 % for Call first \(p = 0\.\d{3}, 18 and 19 ended attempts\): the difference is not yet significant\.$/,
      )
      .waitFor();
    await page.getByRole('heading', { name: 'Churn and win-back rates' }).scrollIntoViewIfNeeded();
    await screenshot(page, 'analytics-dashboard');
    await page
      .locator('section.figure', { has: page.getByRole('heading', { name: /^Experiment: / }) })
      .screenshot({ path: path.join(ARTIFACTS_DIR, 'analytics-experiment.png') });

    // The CSV behind a download link is the same table.
    const csv = await page.evaluate(
      async (href) => (await fetch(href!)).text(),
      await experiment.locator('xpath=../..').getByRole('link', { name: 'Download CSV' }).getAttribute('href'),
    );
    expect(csv.split('\r\n')[0]).toBe('Playbook,Experiment,Arm,Attempts,Ended,Won back,Win-back rate,95 % low,95 % high,p-value against baseline,Significant');
    expect(problems).toEqual([]);
  });

  it('the heatmap colours the playbook’s nodes and connections by volume or time, with the figures as a table', async () => {
    const { page, problems } = await openPage(browser);
    await page.goto(`${product.url}/#/playbooks/${key}`);
    await login(page, head);
    await page.getByRole('heading', { name: new RegExp(`Tiered call-back ${suffix}`) }).waitFor();
    await page.getByLabel('Show heatmap').check();
    await page
      .getByRole('status')
      // The page opens on the published version, which every attempt of this playbook ran.
      .filter({ hasText: `${ATTEMPTS} attempts of version 1` })
      .waitFor();

    const node = (id: string) => page.locator(`[data-testid="pb-node"][data-node-id="${id}"] .pb-node__heat`);
    expect(await node('start').innerText()).toBe(`${ATTEMPTS} entered`);
    expect(await node('call').innerText()).toBe('20 entered');
    expect(await node('won').innerText()).toBe('23 entered');
    // Connections carry how often they were taken.
    await page.locator('.react-flow__edge-text', { hasText: '20×' }).first().waitFor();
    // The same figures as a table, by step name.
    const table = page.getByRole('region', { name: 'Step analytics' });
    expect(await table.getByRole('row', { name: /Call with an offer/ }).innerText()).toMatch(/Call with an offer\s+20 \(2 there now\)/);
    await screenshot(page, 'analytics-heatmap-volume');

    await page.getByLabel('Colour by').selectOption('time');
    await node('call')
      .filter({ hasText: /^median / })
      .waitFor();
    await screenshot(page, 'analytics-heatmap-time');

    // A date range after every attempt counts nothing.
    await page.getByLabel('Entered from', { exact: true }).fill('2099-01-01');
    await page.getByRole('status').filter({ hasText: '0 attempts of version 1' }).waitFor();
    expect(problems).toEqual([]);
  });
});
