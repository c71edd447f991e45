import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import type { PlaybookGraph } from '../../playbooks/graph';
import { eventually, newCustomer, startProduct, type Product } from '../support/product';
import { ARTIFACTS_DIR, launchBrowser, login, openPage, requireBuiltEditor, screenshot } from './browser';

const rep = { type: 'role', role: 'rep', department: 'customer' };

/** Call back, then wait for the customer's answer to the offer made on the call. */
function callThenWaitGraph(): PlaybookGraph {
  return {
    nodes: [
      { id: 'start', kind: 'start', name: 'Flagged at risk', position: { x: 0, y: 120 }, config: { trigger: 'manual', variables: [] } },
      {
        id: 'call',
        kind: 'task',
        name: 'Call the customer',
        position: { x: 260, y: 120 },
        config: {
          title: 'Call about the lapsed service plan',
          assignee: rep,
          outcomes: [{ key: 'reached', label: 'Reached' }],
          form: [{ key: 'churn_reason', label: 'Why they left', type: 'choice', required: true, options: [{ value: 'C', label: 'Price' }] }],
          priority: 'normal',
          escalation: [],
        },
      },
      {
        id: 'wait',
        kind: 'wait_response',
        name: 'Wait for the answer',
        position: { x: 520, y: 120 },
        config: { kinds: ['accepted', 'declined'], timeout: 'P7D' },
      },
      { id: 'won', kind: 'end', name: 'Won back', position: { x: 800, y: 20 }, config: { outcome: 'won_back', reason: 'accepted the offer' } },
      { id: 'lost', kind: 'end', name: 'Lost', position: { x: 800, y: 220 }, config: { outcome: 'lost' } },
    ],
    edges: [
      { id: 'e1', source: 'start', sourceHandle: 'next', target: 'call' },
      { id: 'e2', source: 'call', sourceHandle: 'reached', target: 'wait' },
      { id: 'e3', source: 'wait', sourceHandle: 'accepted', target: 'won' },
      { id: 'e4', source: 'wait', sourceHandle: 'declined', target: 'lost' },
      { id: 'e5', source: 'wait', sourceHandle: 'no_response', target: 'lost' },
    ],
  } as PlaybookGraph;
}

describe('audit views in the browser', () => {
  let product: Product;
  let browser: Browser;
  let attemptId: string;
  let customerId: string;
  const suffix = Date.now().toString(36);
  const key = `e2e-audit-${suffix}`;
  const customerName = `Audit Bakery ${suffix}`;

  beforeAll(async () => {
    requireBuiltEditor();
    product = await startProduct();
    browser = await launchBrowser();
    const [ops, rita] = await Promise.all([product.login('olga'), product.login('rita')]);

    const saved = await product.api<{ problems: unknown[] }>('PUT', `/api/playbooks/${key}/draft`, {
      token: ops,
      body: { name: `E2E audit ${suffix}`, graph: callThenWaitGraph() },
    });
    expect(saved.status).toBe(200);
    expect(saved.body.problems).toEqual([]);
    expect((await product.api('POST', `/api/playbooks/${key}/publish`, { token: ops })).status).toBe(201);

    customerId = await newCustomer(product.pool, { department: 'after_sales' });
    await product.pool.query('UPDATE customers SET name = $2 WHERE id = $1', [customerId, customerName]);
    const started = await product.api<{ id: string }>('POST', '/api/runs', { token: ops, body: { playbookKey: key, customerId } });
    expect(started.status).toBe(201);
    attemptId = started.body.id;

    const task = await eventually(
      async () =>
        (await product.api<{ tasks: { id: string; attemptId: string }[] }>('GET', '/api/inbox?limit=200', { token: rita })).body.tasks.find(
          (t) => t.attemptId === attemptId,
        ),
      20_000,
      'the call task in rita’s inbox',
    );
    // The claim is a human action outside the workflow: it reaches the timeline from the audit log.
    expect((await product.api('POST', `/api/tasks/${task.id}/claim`, { token: rita })).status).toBe(200);
    const done = await product.api('POST', `/api/tasks/${task.id}/complete`, { token: rita, body: { outcome: 'reached', form: { churn_reason: 'C' } } });
    expect(done.status).toBe(200);
    await eventually(
      async () => (await product.pool.query("SELECT 1 FROM recovery_attempts WHERE id = $1 AND 'wait' = ANY(current_node_ids)", [attemptId])).rowCount,
      20_000,
      'the run to wait for the answer',
    );
    expect((await product.api('POST', `/api/runs/${attemptId}/responses`, { token: rita, body: { kind: 'accepted', channel: 'phone' } })).status).toBe(202);
    await eventually(
      async () => (await product.pool.query("SELECT 1 FROM recovery_attempts WHERE id = $1 AND status = 'completed'", [attemptId])).rowCount,
      20_000,
      'the run to complete',
    );
  });

  afterAll(async () => {
    await browser?.close();
    await product?.stop();
  });

  const activeSteps = (page: Page) => page.getByTestId('active-steps').innerText();
  const nodeState = (page: Page, nodeId: string) => page.locator(`[data-testid="audit-node"][data-node-id="${nodeId}"]`).getAttribute('data-state');

  it('an auditor finds the attempt, reads who did what, scrubs through it, replays it and exports it', async () => {
    const { page, problems } = await openPage(browser);
    await page.goto(`${product.url}/`);
    await login(page, 'aude');
    // Auditors land on the audit search.
    await page.waitForURL(/#\/audit$/);
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Audit' }).waitFor();

    // The chain check says what the server's verification says.
    const chain = (
      await product.api<{ ok: boolean; rows: number; firstBroken: { id: string } | null }>('GET', '/api/audit/verify', { token: await product.login('aude') })
    ).body;
    await page.getByRole('button', { name: 'Verify chain' }).click();
    const chainText = await page.getByTestId('chain-verdict').innerText();
    if (chain.ok) expect(chainText).toMatch(/Chain intact, \d+ rows/);
    else expect(chainText).toContain(`Broken at row ${chain.firstBroken!.id}: content changed`);

    // Replaying a recorded CLI history through the current code matches.
    await page.getByTestId('history-file').setInputFiles(path.resolve(__dirname, '..', 'histories', 'call-back-reached.json'));
    const uploaded = page.getByRole('region', { name: 'Replay a history file' }).getByTestId('replay-verdict');
    await uploaded.waitFor({ timeout: 20_000 });
    expect(await uploaded.getAttribute('data-result')).toBe('matches');
    expect(await uploaded.innerText()).toMatch(/events replayed through the current code/);

    // Find the attempt by customer and playbook.
    await page.getByLabel('Customer', { exact: true }).fill(customerId);
    await page.getByLabel('Playbook', { exact: true }).selectOption(key);
    await page.getByRole('button', { name: 'Search' }).click();
    const row = page.getByTestId('attempt-row').filter({ hasText: customerName });
    await row.waitFor();
    expect(await page.getByTestId('attempt-row').count()).toBe(1);
    expect(await row.innerText()).toMatch(/Completed[\s\S]*Won back[\s\S]*Olga Ops/);
    await screenshot(page, 'audit-search');

    await row.getByRole('link').first().click();
    await page.waitForURL(new RegExp(`#/audit/${attemptId}$`));
    // The customer's and the playbook's names arrive with their own requests.
    await page
      .getByTestId('attempt-title')
      .filter({ hasText: customerName })
      .filter({ hasText: `E2E audit ${suffix}` })
      .waitFor();

    // The timeline names who completed the task and what the customer answered.
    const timeline = page.getByTestId('timeline');
    const completed = timeline.locator('[data-kind="task_completed"]');
    await completed.waitFor();
    expect(await completed.innerText()).toMatch(/Task completed: Reached[\s\S]*Rita Rep/);
    const answered = timeline.locator('[data-kind="customer_answered"]');
    expect(await answered.innerText()).toMatch(/Customer answered "accepted" by phone[\s\S]*Rita Rep[\s\S]*Temporal/i);
    expect(await timeline.locator('[data-kind="run_started"]').innerText()).toContain('Olga Ops');
    expect(await timeline.locator('[data-kind="task_claimed"]').innerText()).toMatch(/Task claimed[\s\S]*Rita Rep[\s\S]*Audit log/i);

    // Filtering by kind leaves only that kind.
    await page.getByLabel('Show events of kind').selectOption('task_completed');
    await eventually(async () => (await page.getByTestId('timeline-event').count()) === 1, 5000, 'the timeline filtered to task completions');
    await page.getByLabel('Show events of kind').selectOption('');
    await eventually(async () => (await page.getByTestId('timeline-event').count()) > 10, 5000, 'the whole timeline back');

    // The path: every step on it visited, the untaken branch not.
    expect(await nodeState(page, 'won')).toBe('visited');
    expect(await nodeState(page, 'lost')).toBe('unvisited');
    const atEnd = await activeSteps(page);
    await screenshot(page, 'audit-attempt-end');

    // Scrub to the first moment with the keyboard: the call is the active step, the rest still to come.
    const range = page.getByTestId('scrubber-range');
    await range.focus();
    await page.keyboard.press('Home');
    await page.getByTestId('active-steps').filter({ hasText: 'Call the customer' }).waitFor();
    expect(await activeSteps(page)).not.toBe(atEnd);
    expect(await nodeState(page, 'call')).toBe('active');
    expect(await nodeState(page, 'won')).toBe('unvisited');
    expect(await page.getByTestId('open-tasks').innerText()).toContain('Call about the lapsed service plan');
    expect(await completed.getAttribute('data-phase')).toBe('future');
    await screenshot(page, 'audit-attempt-start');

    // One step on (arrow key): waiting for the answer, with the 7-day timer running.
    await page.keyboard.press('ArrowRight');
    await page.getByTestId('active-steps').filter({ hasText: 'Wait for the answer' }).waitFor();
    expect(await nodeState(page, 'wait')).toBe('active');
    expect(await page.getByTestId('next-timer').innerText()).toMatch(/7 days later/);
    expect(await page.getByTestId('variables').innerText()).toContain('C');
    await page.getByTestId('moment').scrollIntoViewIfNeeded();
    await screenshot(page, 'audit-moment');

    // Back to the end with the button.
    await page.getByRole('button', { name: 'Last moment' }).click();
    await eventually(async () => (await activeSteps(page)) === atEnd, 5000, 'the scrubber back at the end');
    expect(await nodeState(page, 'call')).toBe('visited');

    // Verified replay through the current code.
    await page.getByRole('button', { name: 'Verify by replay' }).click();
    const verdict = page.locator('.attempt-actions').getByTestId('replay-verdict');
    await verdict.waitFor({ timeout: 20_000 });
    expect(await verdict.getAttribute('data-result')).toBe('matches');
    expect(await verdict.innerText()).toMatch(/Matches[\s\S]*\d+ events replayed through the current code/);
    await screenshot(page, 'audit-replay');

    // Export: a JSON bundle download, and the printable report in a new tab.
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Download evidence (JSON)' }).click()]);
    expect(download.suggestedFilename()).toBe(`recovery-attempt-${attemptId}.json`);
    const saved = path.join(ARTIFACTS_DIR, 'audit-export.json');
    await download.saveAs(saved);
    const bundle = JSON.parse(readFileSync(saved, 'utf8')) as { attempt: { id: string }; timeline: unknown[]; histories: unknown[] };
    expect(bundle.attempt.id).toBe(attemptId);
    expect(bundle.histories.length).toBeGreaterThan(0);

    const [report] = await Promise.all([page.context().waitForEvent('page'), page.getByRole('link', { name: /Printable report/ }).click()]);
    await report.waitForLoadState();
    // Titled by the customer's name; the attempt id is among its facts.
    expect(await report.locator('h1').innerText()).toBe(`Recovery attempt for ${customerName} (${customerId})`);
    expect(await report.locator('body').innerText()).toContain(attemptId);
    expect(await report.locator('body').innerText()).toContain('Customer answered');
    await report.close();

    expect(problems).toEqual([]);
    await page.context().close();
  });
});
