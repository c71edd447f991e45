import AxeBuilder from '@axe-core/playwright';
import type { Browser, Page } from 'playwright-core';
import type { PlaybookGraph } from '../../playbooks/graph';
import { momentFormat } from '../../server/audit/timeline';
import { eventually, newCustomer, startProduct, terminateRunningAttempts, type Product } from '../support/product';
import { ARTIFACTS_DIR, launchBrowser, login, openPage, requireBuiltEditor } from './browser';

/**
 * An auditor reads a running attempt that looped once (no answer, called again by another rep) on
 * its page and in the printable report: people by name, local and relative times, the path with the
 * loop and the step it waits at. Both pages pass axe with no serious or critical violations.
 */
const graph: PlaybookGraph = {
  nodes: [
    { id: 'start', kind: 'start', name: 'Flagged at risk', position: { x: 0, y: 100 }, config: {} },
    {
      id: 'call',
      kind: 'task',
      name: 'Call back',
      position: { x: 260, y: 100 },
      config: {
        title: 'Call back about the lapsed plan',
        assignee: { type: 'role', role: 'rep', department: 'customer' },
        outcomes: [
          { key: 'reached', label: 'Reached them' },
          { key: 'no_answer', label: 'No answer' },
        ],
      },
    },
    {
      id: 'again',
      kind: 'decision',
      name: 'Try again?',
      position: { x: 260, y: 260 },
      config: { rules: [{ handle: 'give_up', when: { var: 'visits.call', op: 'gte', value: 3 } }] },
    },
    { id: 'wait', kind: 'wait_response', name: 'Wait for answer', position: { x: 520, y: 100 }, config: { kinds: ['accepted', 'declined'], timeout: 'P7D' } },
    { id: 'won', kind: 'end', name: 'Won back', position: { x: 780, y: 0 }, config: { outcome: 'won_back' } },
    { id: 'lost', kind: 'end', name: 'Lost', position: { x: 780, y: 200 }, config: { outcome: 'lost' } },
  ],
  edges: [
    { id: 'e1', source: 'start', sourceHandle: 'next', target: 'call' },
    { id: 'e2', source: 'call', sourceHandle: 'reached', target: 'wait' },
    { id: 'e3', source: 'call', sourceHandle: 'no_answer', target: 'again' },
    { id: 'e4', source: 'again', sourceHandle: 'default', target: 'call' },
    { id: 'e8', source: 'again', sourceHandle: 'give_up', target: 'lost' },
    { id: 'e5', source: 'wait', sourceHandle: 'accepted', target: 'won' },
    { id: 'e6', source: 'wait', sourceHandle: 'declined', target: 'lost' },
    { id: 'e7', source: 'wait', sourceHandle: 'no_response', target: 'lost' },
  ],
};

async function seriousViolations(page: Page): Promise<string[]> {
  // Judge the page as it settles, not a spinner's frame.
  await eventually(async () => (await page.locator('.status--loading').count()) === 0, 5000, 'no spinner');
  const result = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']).analyze();
  // Each violation with where and why (axe's own words for the first node), so a failure says what to fix.
  return result.violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map(
      (v) =>
        `${v.impact} ${v.id}: ${v.nodes
          .map((n) => n.target.join(' '))
          .slice(0, 3)
          .join(' | ')} — ${v.nodes[0]?.failureSummary ?? ''}`,
    );
}

describe('the attempt page and its printable report', () => {
  let product: Product;
  let browser: Browser;
  let attemptId: string;
  const suffix = Date.now().toString(36);
  const key = `e2e-report-${suffix}`;
  const customerName = `Report Bakery ${suffix}`;

  beforeAll(async () => {
    requireBuiltEditor();
    product = await startProduct();
    browser = await launchBrowser();
    const [ops, rita, ravi] = await Promise.all([product.login('olga'), product.login('rita'), product.login('ravi')]);
    expect((await product.api('PUT', `/api/playbooks/${key}/draft`, { token: ops, body: { name: `E2E report ${suffix}`, graph } })).status).toBe(200);
    expect((await product.api('POST', `/api/playbooks/${key}/publish`, { token: ops })).status).toBe(201);
    const customerId = await newCustomer(product.pool, { department: 'after_sales' });
    await product.pool.query('UPDATE customers SET name = $2 WHERE id = $1', [customerId, customerName]);
    const started = await product.api<{ id: string }>('POST', '/api/runs', { token: ops, body: { playbookKey: key, customerId } });
    attemptId = started.body.id;
    const taskOf = (token: string, not?: string) =>
      eventually(
        async () =>
          (await product.api<{ tasks: { id: string; attemptId: string }[] }>('GET', '/api/inbox?limit=200', { token })).body.tasks.find(
            (t) => t.attemptId === attemptId && t.id !== not,
          ),
        20_000,
        'the call task',
      );
    const first = await taskOf(rita);
    expect((await product.api('POST', `/api/tasks/${first.id}/complete`, { token: rita, body: { outcome: 'no_answer' } })).status).toBe(200);
    const second = await taskOf(rita, first.id);
    expect((await product.api('POST', `/api/tasks/${second.id}/reassign`, { token: ops, body: { userId: 'u-ravi', reason: 'Ravi knows them' } })).status).toBe(
      200,
    );
    expect((await product.api('POST', `/api/tasks/${second.id}/complete`, { token: ravi, body: { outcome: 'reached' } })).status).toBe(200);
    await eventually(
      async () => (await product.pool.query("SELECT 1 FROM recovery_attempts WHERE id = $1 AND 'wait' = ANY(current_node_ids)", [attemptId])).rowCount,
      20_000,
      'the attempt to wait for the answer',
    );
  });

  afterAll(async () => {
    if (product) await terminateRunningAttempts(product, key);
    await browser?.close();
    await product?.stop();
  });

  it('an auditor reads both with names and local times, and axe finds nothing serious', async () => {
    const { page, problems } = await openPage(browser);
    await page.goto(`${product.url}/`);
    await login(page, 'aude');
    await page.goto(`${product.url}/#/audit/${attemptId}`);
    await page.getByTestId('attempt-title').filter({ hasText: customerName }).waitFor();

    const timeline = page.getByTestId('timeline');
    const reassigned = timeline.locator('[data-kind="task_reassigned"]');
    await reassigned.waitFor();
    // Told once (history and audit log both know it), by name.
    expect(await reassigned.count()).toBe(1);
    expect(await reassigned.innerText()).toMatch(/Task reassigned to Ravi Rep: Ravi knows them[\s\S]*Olga Ops/);
    expect(await timeline.locator('[data-kind="task_completed"]').first().innerText()).toMatch(/Task completed: No answer[\s\S]*Rita Rep/);
    // Each line says how long ago it was, beside its local time.
    expect(await reassigned.getByTestId('event-ago').innerText()).toMatch(/now|minute/);

    expect(await seriousViolations(page)).toEqual([]);
    await page.screenshot({ path: `${ARTIFACTS_DIR}/attempt-page.png`, fullPage: false });

    const [report] = await Promise.all([page.context().waitForEvent('page'), page.getByRole('link', { name: /Printable report/ }).click()]);
    await report.waitForLoadState();
    // The editor asks for the report in the reader's zone.
    expect(new URL(report.url()).searchParams.get('tz')).toBe('Europe/Berlin');
    const body = await report.locator('body').innerText();
    expect(await report.locator('h1').innerText()).toBe(
      `Recovery attempt for ${customerName} (${(await product.pool.query('SELECT customer_id FROM recovery_attempts WHERE id = $1', [attemptId])).rows[0].customer_id})`,
    );
    expect(body).toContain('Times in Europe/Berlin');
    const { rows } = await product.pool.query<{ started_at: Date }>('SELECT started_at FROM recovery_attempts WHERE id = $1', [attemptId]);
    expect(body).toContain(momentFormat('Europe/Berlin')(rows[0].started_at.toISOString()));
    for (const name of ['Olga Ops', 'Rita Rep', 'Ravi Rep']) expect(body).toContain(name);
    expect(body).toContain('Running');
    // The path: the call ran twice, the attempt waits at "Wait for answer".
    expect(await report.locator('[data-node-id="call"]').getAttribute('data-runs')).toBe('2');
    expect(await report.locator('[data-node-id="wait"]').getAttribute('data-state')).toBe('active');
    expect(await report.locator('[data-node-id="won"]').getAttribute('data-state')).toBe('unvisited');
    expect(body).toContain('Wait for answer — waiting here now');
    expect(await report.locator('[data-replay]').getAttribute('data-replay')).toBe('matches');
    expect(await report.getByTestId('chain-head').innerText()).toMatch(/^[0-9a-f]{64}$/);

    expect(await seriousViolations(report)).toEqual([]);
    await report.setViewportSize({ width: 1200, height: 1400 });
    await report.screenshot({ path: `${ARTIFACTS_DIR}/report.png`, fullPage: true });
    await report.close();

    expect(problems).toEqual([]);
    await page.context().close();
  });
});
