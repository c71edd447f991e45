import AxeBuilder from '@axe-core/playwright';
import type { Browser, Page } from 'playwright-core';
import type { PlaybookGraph } from '../../playbooks/graph';
import { eventually, newCustomer, startProduct, terminateRunningAttempts, type Product } from '../support/product';
import { launchBrowser, login, openPage, requireBuiltEditor, screenshot } from './browser';

/**
 * The rep records the customer's answer from the task panel and completes with confirmation, then
 * opens the next task; the head works the team view (who holds what, workload) and hands a rep over
 * after a preview. Each page passes axe with no serious or critical violations.
 */
const at = (x: number, y: number) => ({ x, y });
const rep = { type: 'role', role: 'rep', department: 'customer' };
const callWhileWaiting = {
  nodes: [
    { id: 'start', kind: 'start', name: 'Flagged', position: at(0, 100), config: {} },
    {
      id: 'both',
      kind: 'parallel',
      name: 'Call and wait',
      position: at(200, 100),
      config: {
        branches: [
          { key: 'a', label: 'Call' },
          { key: 'b', label: 'Wait' },
        ],
      },
    },
    {
      id: 'call',
      kind: 'task',
      name: 'Follow-up call',
      position: at(420, 0),
      config: {
        title: 'Follow-up call about the offer',
        assignee: rep,
        outcomes: [{ key: 'closed_out', label: 'Close the case' }],
        form: [{ key: 'why', label: 'Why close it', type: 'textarea', required: true }],
      },
    },
    { id: 'wait', kind: 'wait_response', name: 'Wait for their answer', position: at(420, 200), config: { kinds: ['accepted', 'declined'], timeout: 'P7D' } },
    { id: 'end_closed', kind: 'end', name: 'Closed', position: at(660, 0), config: { outcome: 'closed' } },
    { id: 'end_won', kind: 'end', name: 'Won back', position: at(660, 160), config: { outcome: 'won_back' } },
    { id: 'end_lost', kind: 'end', name: 'Lost', position: at(660, 260), config: { outcome: 'lost' } },
  ],
  edges: [
    { id: 'e1', source: 'start', sourceHandle: 'next', target: 'both' },
    { id: 'e2', source: 'both', sourceHandle: 'a', target: 'call' },
    { id: 'e3', source: 'both', sourceHandle: 'b', target: 'wait' },
    { id: 'e4', source: 'call', sourceHandle: 'closed_out', target: 'end_closed' },
    { id: 'e5', source: 'wait', sourceHandle: 'accepted', target: 'end_won' },
    { id: 'e6', source: 'wait', sourceHandle: 'declined', target: 'end_lost' },
    { id: 'e7', source: 'wait', sourceHandle: 'no_response', target: 'end_lost' },
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

describe('inbox and team view in the browser', () => {
  let product: Product;
  let browser: Browser;
  let ops: string;
  const suffix = Date.now().toString(36);
  const key = `e2e-team-${suffix}`;

  beforeAll(async () => {
    requireBuiltEditor();
    product = await startProduct();
    browser = await launchBrowser();
    ops = await product.login('olga');
    const saved = await product.api<{ problems: unknown[] }>('PUT', `/api/playbooks/${key}/draft`, {
      token: ops,
      body: { name: `Offer follow-up ${suffix}`, graph: callWhileWaiting },
    });
    expect(saved.body.problems).toEqual([]);
    expect((await product.api('POST', `/api/playbooks/${key}/publish`, { token: ops })).status).toBe(201);
  });
  afterAll(async () => {
    await terminateRunningAttempts(product, key);
    await browser?.close();
    await product?.stop();
  });

  async function attemptFor(name: string): Promise<{ attemptId: string; taskId: string }> {
    const customerId = await newCustomer(product.pool, { department: 'after_sales' });
    await product.pool.query('UPDATE customers SET name = $2 WHERE id = $1', [customerId, name]);
    const res = await product.api<{ id: string }>('POST', '/api/attempts', { token: ops, body: { playbookKey: key, customerId } });
    expect(res.status).toBe(201);
    const task = await eventually(
      async () => (await product.pool.query("SELECT id FROM tasks WHERE attempt_id = $1 AND status = 'open'", [res.body.id])).rows[0],
      20_000,
      'the task',
    );
    return { attemptId: res.body.id, taskId: task.id };
  }
  const attemptRow = (id: string) => product.pool.query('SELECT status, outcome FROM recovery_attempts WHERE id = $1', [id]).then((r) => r.rows[0]);

  it('a rep records the answer from the task panel, completes with confirmation and opens the next task', async () => {
    const answered = await attemptFor(`Aster Garage ${suffix}`);
    const closing = await attemptFor(`Birch Bakery ${suffix}`);
    const next = await attemptFor(`Cedar Cafe ${suffix}`);
    const { page, problems } = await openPage(browser);
    await page.goto(`${product.url}/`);
    await login(page, 'rita');
    await page.goto(`${product.url}/#/inbox/${answered.taskId}`);
    const detail = page.getByTestId('task-detail');
    await detail.waitFor();
    expect(await detail.innerText()).toMatch(/Offer follow-up .* · Follow-up call/);
    await page.getByTestId('task-map').locator('[data-state="active"]').first().waitFor();
    const answer = page.getByTestId('record-answer');
    await answer.waitFor();
    expect(await answer.innerText()).toContain('Wait for their answer');
    await screenshot(page, 'inbox-record-answer');
    expect(await seriousViolations(page)).toEqual([]);

    await page.getByLabel('What they said (optional)').fill('happy with the offer');
    await answer.getByTestId('answer-accepted').click();
    await page.getByTestId('task-notice').filter({ hasText: 'Recorded' }).waitFor();
    expect(await eventually(async () => ((await attemptRow(answered.attemptId)).status === 'completed' ? attemptRow(answered.attemptId) : null))).toMatchObject(
      {
        outcome: 'won_back',
      },
    );

    // Completing an outcome that ends the attempt asks for the rationale, then a confirmation.
    await page.goto(`${product.url}/#/inbox/${closing.taskId}`);
    await page.getByTestId('outcome-closed_out').click();
    expect(await page.evaluate(() => document.activeElement?.id)).toContain('why');
    await page.getByLabel('Why close it').fill('customer moved away');
    await page.getByTestId('outcome-closed_out').click();
    const confirm = page.getByTestId('confirm-end');
    expect(await confirm.innerText()).toContain('ends the recovery attempt as Closed');
    await screenshot(page, 'inbox-confirm-end');
    await page.getByTestId('confirm-end-yes').click();
    await page.getByTestId('open-next').click();
    await page.waitForURL(/#\/inbox\/[0-9a-f-]+$/);
    expect(page.url()).not.toContain(closing.taskId);
    const done = await product.pool.query('SELECT status, completed_by, claimed_by FROM tasks WHERE id = $1', [closing.taskId]);
    expect(done.rows[0]).toEqual({ status: 'completed', completed_by: 'u-rita', claimed_by: 'u-rita' });
    expect(next.taskId).toBeTruthy();
    expect(problems).toEqual([]);
  });

  it('a head sees who holds each task, the workload per rep, and hands a rep over after a preview', async () => {
    const held = await attemptFor(`Dune Motors ${suffix}`);
    const ravi = await product.login('ravi');
    expect((await product.api('POST', `/api/tasks/${held.taskId}/claim`, { token: ravi })).status).toBe(200);
    const { page, problems } = await openPage(browser);
    await page.goto(`${product.url}/`);
    await login(page, 'hana');
    await page.goto(`${product.url}/#/inbox`);
    await page.getByTestId('tab-team').click();
    const workload = page.getByTestId('workload');
    await workload.waitFor();
    await page.getByTestId('workload-u-ravi').getByRole('button', { name: 'Ravi Rep' }).click();
    const row = page.getByTestId('inbox-row').filter({ hasText: `Dune Motors ${suffix}` });
    await row.waitFor();
    expect(await row.getByTestId('row-holder').innerText()).toBe('Claimed by Ravi Rep');
    await screenshot(page, 'team-view');
    expect(await seriousViolations(page)).toEqual([]);

    await page.getByLabel('Leaving or moving').selectOption('u-ravi');
    await page.getByLabel('Their work goes to').selectOption('u-rita');
    const preview = page.getByTestId('handover-preview');
    await preview.waitFor();
    expect(await preview.innerText()).toMatch(/\d+ tasks, \d+ claims, \d+ customers move from Ravi Rep to Rita Rep/);
    await page.locator('#handover-reason').fill('Ravi moves to key accounts');
    await screenshot(page, 'handover-preview');
    await page.getByTestId('handover-confirm').click();
    await page.locator('.toast').filter({ hasText: 'Handed over' }).waitFor();
    expect((await product.pool.query('SELECT claimed_by FROM tasks WHERE id = $1', [held.taskId])).rows[0].claimed_by).toBe('u-rita');
    expect(problems).toEqual([]);
  });
});
