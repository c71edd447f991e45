import type { Browser, Page } from 'playwright-core';
import { callBackGraph } from '../../playbooks/templates/callBack';
import { eventually, newCustomer, startProduct, type Product } from '../support/product';
import { launchBrowser, login, openPage, requireBuiltEditor, screenshot } from './browser';
import { connect, dragKind, nodeLocator, selectNode, waitSaved, waitSavedAfterEdit } from './designerSteps';

describe('designer in the browser', () => {
  let product: Product;
  let browser: Browser;
  let ops: string;
  const suffix = Date.now().toString(36);

  beforeAll(async () => {
    requireBuiltEditor();
    product = await startProduct();
    browser = await launchBrowser();
    ops = await product.login('olga');
  });

  afterAll(async () => {
    await browser?.close();
    await product?.stop();
  });

  async function signedIn(path: string): Promise<{ page: Page; problems: string[] }> {
    const opened = await openPage(browser, { width: 1600, height: 1000 });
    await opened.page.goto(`${product.url}/`);
    await login(opened.page, 'olga');
    await opened.page.goto(`${product.url}/${path}`);
    return opened;
  }

  it('builds a win-back playbook from a blank canvas, fixes a problem, simulates, publishes and starts a run', async () => {
    const key = `e2e-designer-${suffix}`;
    const customerId = await newCustomer(product.pool, { department: 'after_sales' });
    const { page, problems } = await signedIn('#/playbooks');

    await page.getByRole('button', { name: 'New playbook' }).click();
    await page.getByLabel('Name', { exact: true }).fill(`E2E win-back ${suffix}`);
    await page.getByLabel('Key', { exact: true }).fill(key);
    await page.getByRole('button', { name: 'Create and open' }).click();
    await page.waitForURL(new RegExp(`#/playbooks/${key}/edit$`));
    await page.locator('.canvas-empty').waitFor();

    // Drag five steps from the palette: start → call back → offer → won back / lost.
    await dragKind(page, 'start', { x: 110, y: 220 });
    await dragKind(page, 'task', { x: 340, y: 220 });
    await dragKind(page, 'offer', { x: 570, y: 140 });
    await dragKind(page, 'end', { x: 800, y: 80 });
    await dragKind(page, 'end', { x: 800, y: 360 });
    expect(await page.locator('.react-flow__node').evaluateAll((ns) => ns.map((n) => n.getAttribute('data-id')))).toEqual([
      'start',
      'task',
      'offer',
      'end',
      'end_2',
    ]);

    // The task's outcomes are drawn as handles from its form, not typed on edges.
    await selectNode(page, 'task');
    await page.getByLabel('Step name').fill('Call back');
    await page.getByLabel('Title').fill('Call the customer back and learn why they left');
    const first = page.getByRole('group', { name: 'Outcome 1' });
    await first.getByLabel('Key').fill('reached');
    await first.getByLabel('Label').fill('Reached');
    await page.getByRole('button', { name: '+ Add outcome' }).click();
    const second = page.getByRole('group', { name: 'Outcome 2' });
    await second.getByLabel('Key').fill('unreachable');
    await second.getByLabel('Label').fill('Unreachable');
    await nodeLocator(page, 'task').locator('.react-flow__handle.source[data-handleid="unreachable"]').waitFor();
    // Durations are a number and a unit, stored as ISO 8601.
    await page.locator('#cfg-sla').fill('2');
    await page.getByLabel('SLA unit').selectOption('days');
    await selectNode(page, 'offer');
    await page.getByLabel('Step name').fill('Win-back offer');
    await selectNode(page, 'end');
    await page.getByLabel('Outcome').selectOption('won_back');
    await selectNode(page, 'end_2');
    await page.getByLabel('Outcome').selectOption('lost');

    await connect(page, 'start', 'next', 'task');
    await connect(page, 'task', 'reached', 'offer');
    await connect(page, 'offer', 'accepted', 'end');
    await connect(page, 'offer', 'exhausted', 'end_2');

    // One handle is still open: the problems list says so, and picking it selects the step.
    await page.getByRole('tab', { name: /Problems/ }).click();
    const list = page.getByTestId('problem-list');
    // In the step's name and the outcome's label, with the fix; the compiler's wording only under Details.
    await list.getByText('Call back: nothing is connected to Unreachable.').waitFor();
    await list.getByText('Connect Unreachable of Call back to the step that follows.').waitFor();
    expect(await list.getByText('leads nowhere').first().isVisible()).toBe(false);
    // Live compile is debounced: wait until it has caught up with the last connection.
    await page
      .getByRole('tab', { name: /Problems/ })
      .locator('.count')
      .filter({ hasText: /^1$/ })
      .waitFor();
    expect(await page.getByRole('button', { name: 'Publish' }).isDisabled()).toBe(true);
    expect(await nodeLocator(page, 'task').locator('.pb-node.has-problem').count()).toBe(1);
    await screenshot(page, 'designer-problems');
    await list.getByRole('button', { name: 'Call back: nothing is connected to Unreachable.' }).click();
    await page.locator('.node-settings').filter({ hasText: 'task' }).waitFor();
    await page.getByRole('button', { name: 'Fit', exact: true }).click();
    await page.waitForTimeout(600);
    await connect(page, 'task', 'unreachable', 'end_2');
    await page.getByRole('tab', { name: /Problems/ }).click();
    await page.getByText('No problems: the draft can be published.').waitFor();
    await waitSaved(page);
    // The offer's one tier is valid 14 days; a task has no upper bound of its own.
    expect(await page.getByTestId('worst-case').innerText()).toBe('Worst case: 14d');
    // Every branch label can be read whole: none is painted under a step (a short edge's middle lies
    // under the steps it joins). Hit-testing follows paint order, so the top element at a label's centre is the label.
    const hidden = await page.evaluate(() =>
      [...document.querySelectorAll<HTMLElement>('.ds-edge-label')].flatMap((label) => {
        label.style.pointerEvents = 'auto';
        const box = label.getBoundingClientRect();
        const points = [
          [box.left + 2, box.top + box.height / 2],
          [box.left + box.width / 2, box.top + box.height / 2],
          [box.right - 2, box.top + box.height / 2],
        ];
        const covered = points.some(([x, y]) => !label.contains(document.elementFromPoint(x, y)));
        label.style.pointerEvents = '';
        return covered ? [label.textContent ?? ''] : [];
      }),
    );
    expect(hidden).toEqual([]);
    await screenshot(page, 'designer-built');

    // Simulate to an end in the browser: reached, then the customer accepts the first tier.
    await page.getByRole('tab', { name: 'Simulate' }).click();
    await page.getByRole('button', { name: 'Start simulation' }).click();
    await page
      .getByRole('group', { name: /Task: Call the customer back/ })
      .getByRole('button', { name: 'Reached' })
      .click();
    await page.getByRole('button', { name: 'Let time pass → day 14 (offer validity)' }).waitFor();
    await page.getByRole('button', { name: 'accepted', exact: true }).click();
    expect(await page.getByTestId('sim-outcome').innerText()).toBe('Ended: won back');
    expect(await page.getByTestId('sim-timeline').innerText()).toContain('Win-back offer: accepted → End');
    expect(await nodeLocator(page, 'offer').locator('.pb-node__visits').innerText()).toBe('1×');
    await screenshot(page, 'designer-simulate');

    // Publish, then check what the server holds.
    await page.getByRole('button', { name: 'Publish' }).click();
    await page.getByTestId('designer-notice').getByText('Published version 1.').waitFor();
    const saved = await product.api<{
      versions: { version: number }[];
      draft: { graph: { nodes: { id: string; config: Record<string, unknown> }[]; edges: unknown[] } };
    }>('GET', `/api/playbooks/${key}`, { token: ops });
    expect(saved.body.versions.map((v) => v.version)).toEqual([1]);
    const task = saved.body.draft.graph.nodes.find((n) => n.id === 'task');
    expect(task?.config).toMatchObject({
      sla: 'P2D',
      outcomes: [
        { key: 'reached', label: 'Reached' },
        { key: 'unreachable', label: 'Unreachable' },
      ],
    });
    expect(saved.body.draft.graph.edges).toHaveLength(5);

    // Start a recovery attempt from version 1 and find it running in Temporal.
    await page.getByRole('button', { name: 'Start run…' }).click();
    const dialog = page.getByRole('dialog');
    await dialog.getByPlaceholder('Name or id').fill(customerId);
    await dialog.getByLabel('Customer', { exact: true }).selectOption(customerId);
    await dialog.getByRole('button', { name: 'Start', exact: true }).click();
    const started = page.getByTestId('run-started');
    await started.waitFor();
    const attemptId = await started.locator('code').first().innerText();
    expect(await started.innerText()).toContain(`recovery/${customerId}/${key}`);
    expect(await started.getByRole('link', { name: 'Open the attempt' }).getAttribute('href')).toBe(`#/audit/${attemptId}`);
    await screenshot(page, 'designer-run');
    const run = await eventually(
      async () => {
        const res = await product.api<{ temporalStatus: string | null; playbookVersion: number }>('GET', `/api/runs/${attemptId}`, { token: ops });
        return res.status === 200 && res.body.temporalStatus === 'RUNNING' ? res.body : null;
      },
      20_000,
      'the run in Temporal',
    );
    expect(run.playbookVersion).toBe(1);

    // A second start for the same customer is refused with a clear message.
    await dialog.getByRole('button', { name: 'Start', exact: true }).click();
    await dialog.getByText('is already running for').waitFor();
    await page.keyboard.press('Escape');

    // Undo and redo a rename; the version diff lists it.
    await selectNode(page, 'task');
    await page.getByLabel('Step name').fill('Call back today');
    await page.locator('.react-flow__pane').click({ position: { x: 20, y: 20 } });
    await page.keyboard.press('Control+z');
    expect(await nodeLocator(page, 'task').locator('.pb-node__name').innerText()).toBe('Call back');
    await page.keyboard.press('Control+Shift+z');
    expect(await nodeLocator(page, 'task').locator('.pb-node__name').innerText()).toBe('Call back today');
    await page.getByRole('tab', { name: 'Versions' }).click();
    await page.getByRole('button', { name: 'vs draft' }).click();
    await page.locator('.diff-changes').getByText('Call back today').waitFor();
    expect(await nodeLocator(page, 'task').locator('.pb-node.diff-changed').count()).toBe(1);
    await screenshot(page, 'designer-diff');

    expect(problems).toEqual([]);
    await page.context().close();
  });

  it('a stale autosave (412) asks: reload theirs or overwrite, and never overwrites silently', async () => {
    const key = `e2e-conflict-${suffix}`;
    expect((await product.api('PUT', `/api/playbooks/${key}/draft`, { token: ops, body: { name: 'Conflict', graph: callBackGraph } })).status).toBe(200);
    const { page, problems } = await signedIn(`#/playbooks/${key}/edit`);
    await page.locator('.react-flow__node').first().waitFor();
    const nameField = page.getByLabel('Name', { exact: true });

    const saveElsewhere = async (name: string) => {
      const current = await product.api('GET', `/api/playbooks/${key}`, { token: ops });
      const res = await product.api('PUT', `/api/playbooks/${key}/draft`, {
        token: ops,
        body: { name, graph: callBackGraph },
        headers: { 'if-match': current.headers.get('etag') ?? '' },
      });
      expect(res.status).toBe(200);
    };

    await saveElsewhere('Renamed by a colleague');
    await nameField.fill('Mine');
    const conflict = page.getByRole('dialog', { name: 'Someone else changed this draft' });
    await conflict.waitFor();
    await screenshot(page, 'designer-conflict');
    await conflict.getByRole('button', { name: 'Reload theirs (discard mine)' }).click();
    await conflict.waitFor({ state: 'detached' });
    await waitSaved(page);
    expect(await nameField.inputValue()).toBe('Renamed by a colleague');

    // After adopting theirs, saving continues from their revision.
    await nameField.fill('Mine, on top of theirs');
    await waitSavedAfterEdit(page);
    expect((await product.api<{ name: string }>('GET', `/api/playbooks/${key}`, { token: ops })).body.name).toBe('Mine, on top of theirs');

    await saveElsewhere('Second colleague edit');
    await nameField.fill('Mine again');
    await conflict.waitFor();
    expect((await product.api<{ name: string }>('GET', `/api/playbooks/${key}`, { token: ops })).body.name).toBe('Second colleague edit');
    await conflict.getByRole('button', { name: 'Overwrite with mine' }).click();
    await conflict.waitFor({ state: 'detached' });
    await waitSaved(page);
    expect((await product.api<{ name: string }>('GET', `/api/playbooks/${key}`, { token: ops })).body.name).toBe('Mine again');
    expect(problems.filter((p) => !p.includes('412'))).toEqual([]);
    await page.context().close();
  });
});
