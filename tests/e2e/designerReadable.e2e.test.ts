import AxeBuilder from '@axe-core/playwright';
import type { Browser, Page } from 'playwright-core';
import { TEMPLATES } from '../../playbooks/templates';
import type { PlaybookGraph } from '../../playbooks/graph';
import { findNodeKind } from '../../playbooks/nodes';
import { starterConfig } from '../../editor/src/designer/starters';
import { startProduct, type Product } from '../support/product';
import { launchBrowser, login, openPage, requireBuiltEditor, screenshot } from './browser';
import { nodeLocator, selectNode } from './designerSteps';

/**
 * The designer as an ops manager first meets it: readable at the opening zoom on a laptop and a
 * small screen, panels out of the way on request, problems in words, connecting without a mouse,
 * and the playbook list's lifecycle actions; no serious or critical accessibility violations.
 */
describe('designer: readable, plain-spoken, keyboard-usable', () => {
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

  async function signedIn(path: string, size: { width: number; height: number }): Promise<{ page: Page; problems: string[] }> {
    const opened = await openPage(browser, size);
    await opened.page.goto(`${product.url}/`);
    await login(opened.page, 'olga');
    await opened.page.goto(`${product.url}/${path}`);
    return opened;
  }

  async function saveDraft(key: string, name: string, graph: PlaybookGraph) {
    expect((await product.api('PUT', `/api/playbooks/${key}/draft`, { token: ops, body: { name, graph } })).status).toBe(200);
  }

  /** The on-screen size of step names: their font size times the canvas zoom. */
  async function nameSizes(page: Page): Promise<number[]> {
    await page.locator('.react-flow__node .pb-node__name').first().waitFor();
    await page.waitForTimeout(200);
    return page.evaluate(() => {
      const viewport = document.querySelector<HTMLElement>('.react-flow__viewport')!;
      const zoom = new DOMMatrix(getComputedStyle(viewport).transform).a;
      return [...document.querySelectorAll<HTMLElement>('.react-flow__node .pb-node__name')].map((n) => parseFloat(getComputedStyle(n).fontSize) * zoom);
    });
  }

  async function seriousViolations(page: Page): Promise<string[]> {
    const result = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']).analyze();
    return result.violations
      .filter((v) => v.impact === 'serious' || v.impact === 'critical')
      .map(
        (v) =>
          `${v.impact} ${v.id}: ${v.help} (${v.nodes
            .slice(0, 4)
            .map((n) => `${n.target.join(' ')} ${n.html.slice(0, 120)} ${n.failureSummary?.split('\n').slice(1, 2).join(' ') ?? ''}`)
            .join(' | ')})`,
      );
  }

  it.each([
    [1440, 900],
    [1024, 768],
  ])('at %i px wide every template opens with step names of 11 px or more, and the canvas gets most of the screen', async (width, height) => {
    const { page, problems } = await signedIn('#/playbooks', { width, height });
    for (const t of TEMPLATES) {
      const key = `e2e-read-${width}-${t.key}-${suffix}`;
      await saveDraft(key, t.name, t.graph as PlaybookGraph);
      await page.goto(`${product.url}/#/playbooks/${key}/edit`);
      const sizes = await nameSizes(page);
      expect({ template: t.key, smallest: Math.min(...sizes) }).toEqual({ template: t.key, smallest: expect.any(Number) });
      expect(Math.min(...sizes)).toBeGreaterThanOrEqual(11);
      if (t.key === 'tiered-win-back') await screenshot(page, `designer-readable-${width}`);
    }
    const canvas = (await page.locator('.designer__canvas').boundingBox())!;
    expect(canvas.width / width).toBeGreaterThan(width >= 1280 ? 0.55 : 0.58);

    // Collapsing both panels gives the canvas the room, and the designer remembers it.
    // Below 1,280 px the palette already starts as a strip of icons.
    if (width >= 1280) await page.getByRole('button', { name: 'Collapse the steps palette' }).click();
    else expect(await page.getByRole('button', { name: 'Show step descriptions' }).count()).toBe(1);
    await page.getByRole('button', { name: 'Collapse the side panel' }).click();
    const wide = (await page.locator('.designer__canvas').boundingBox())!;
    expect(wide.width).toBeGreaterThan(canvas.width + (width >= 1280 ? 400 : 250));
    await page.reload();
    await page.locator('.react-flow__node').first().waitFor();
    expect((await page.locator('.designer__canvas').boundingBox())!.width).toBeCloseTo(wide.width, -1);
    await screenshot(page, `designer-collapsed-${width}`);
    await page.getByRole('button', { name: 'Show the side panel' }).click();
    // The side panel resizes from the keyboard too (a window splitter): three steps wider.
    const panel = (await page.locator('.designer__panel').boundingBox())!;
    await page.getByRole('separator', { name: 'Width of the side panel' }).focus();
    for (let i = 0; i < 3; i++) await page.keyboard.press('ArrowLeft');
    expect((await page.locator('.designer__panel').boundingBox())!.width).toBeCloseTo(panel.width + 48, 0);
    expect(problems).toEqual([]);
    await page.context().close();
  });

  it('labels edges with their branch, lays out top to bottom, hides the minimap, and passes axe', async () => {
    const t = TEMPLATES.find((x) => x.key === 'tiered-win-back')!;
    const key = `e2e-edges-${suffix}`;
    await saveDraft(key, t.name, t.graph as PlaybookGraph);
    const { page, problems } = await signedIn(`#/playbooks/${key}/edit`, { width: 1440, height: 900 });
    await page.locator('.react-flow__node').first().waitFor();
    const labels = await page.locator('.react-flow__edge-text').allTextContents();
    expect(labels).toEqual(expect.arrayContaining(['otherwise', 'no answer']));
    expect(labels).not.toContain('next');

    expect(await page.locator('.react-flow__minimap').count()).toBe(1);
    await page.getByRole('button', { name: 'Map', exact: true }).click();
    expect(await page.locator('.react-flow__minimap').count()).toBe(0);

    await page.getByLabel('Layout direction').selectOption('DOWN');
    await page.getByRole('button', { name: 'Auto-layout' }).click();
    await page.waitForTimeout(800);
    const start = (await nodeLocator(page, 'start').boundingBox())!;
    const first = t.graph.edges.find((e) => e.source === 'start')!.target;
    const next = (await nodeLocator(page, first).boundingBox())!;
    expect(next.y).toBeGreaterThan(start.y + start.height);
    expect(Math.min(...(await nameSizes(page)))).toBeGreaterThanOrEqual(11);
    await screenshot(page, 'designer-top-to-bottom');

    expect(await seriousViolations(page)).toEqual([]);
    await page.getByRole('tab', { name: /Problems/ }).click();
    await selectNode(page, 'start');
    expect(await seriousViolations(page)).toEqual([]);
    expect(problems).toEqual([]);
    await page.context().close();
  });

  it('speaks of problems by step name with the fix, and connects steps from the keyboard', async () => {
    const key = `e2e-plain-${suffix}`;
    // Eight new steps, nothing connected: what the compiler reports as 24 problems.
    const kinds = ['start', 'task', 'wait_response', 'offer', 'decision', 'delay', 'notify', 'end'];
    const graph: PlaybookGraph = {
      nodes: kinds.map((kind, i) => ({
        id: kind,
        kind,
        name: findNodeKind(kind)!.label,
        position: { x: (i % 2) * 260, y: Math.floor(i / 2) * 170 },
        config: starterConfig(kind) as Record<string, unknown>,
      })),
      edges: [],
    };
    await saveDraft(key, 'Eight new steps', graph);
    const { page, problems } = await signedIn(`#/playbooks/${key}/edit`, { width: 1440, height: 900 });
    await page.locator('.react-flow__node').first().waitFor();
    await page.getByRole('tab', { name: /Problems/ }).click();
    const list = page.getByTestId('problem-list');
    await list.locator('.problem-group').first().waitFor();
    // One group per step, headed by its name; no compiler wording unless Details is opened.
    const titles = await list.locator('.problem-group__name').allInnerTexts();
    expect(titles.length).toBeLessThanOrEqual(kinds.length + 1);
    expect(titles).toEqual(expect.arrayContaining(['Start', 'Human task']));
    await list.getByText('Nothing happens after Start.').waitFor();
    await list.getByText('Connect what happens after Start.').waitFor();
    expect(await list.getByText('leads nowhere').first().isVisible()).toBe(false);
    const startGroup = list.locator('.problem-group[data-node-id="start"]');
    await startGroup.getByText('Details').click();
    await startGroup.getByText('handle_unconnected').waitFor();
    await screenshot(page, 'designer-plain-problems');
    expect(await seriousViolations(page)).toEqual([]);

    // Picking a step's problem selects the step and opens its settings.
    await list.locator('.problem-group[data-node-id="task"] .problem-group__step').click();
    await page.locator('.node-settings').filter({ hasText: 'task' }).waitFor();

    // Keyboard: focus the start step, select it with Enter, press C, pick the next step.
    await nodeLocator(page, 'start').focus();
    await page.keyboard.press('Enter');
    await page.locator('.node-settings').filter({ hasText: 'start' }).waitFor();
    await page.keyboard.press('c');
    // The designer moves the focus once the panel has rendered (a task later), so wait for it there.
    const focused = page.locator('[data-connect-handle="next"]:focus');
    await focused.waitFor();
    await focused.selectOption('task');
    await page.locator('.react-flow__edge[data-id="start.next"]').waitFor({ state: 'attached' });
    await page.getByRole('tab', { name: /Problems/ }).click();
    // Live compile is debounced: the line goes once it has caught up with the connection.
    await page.getByTestId('problem-list').getByText('Nothing happens after Start.').waitFor({ state: 'detached' });

    // The settings panel opens at the top for the next step, wherever the last one was scrolled.
    await selectNode(page, 'task');
    await page.locator('.designer__panel').evaluate((el) => (el.scrollTop = el.scrollHeight));
    expect(await page.locator('.designer__panel').evaluate((el) => el.scrollTop)).toBeGreaterThan(0);
    await selectNode(page, 'offer');
    // Reset by an effect after the new step renders: wait for it (a panel left scrolled times out).
    await page.waitForFunction(() => document.querySelector('.designer__panel')?.scrollTop === 0, undefined, { timeout: 5000 });

    // Enter on a palette step places it beside the selected one, covering no other step.
    await page.locator('.palette__item[data-kind="escalate"]').focus();
    await page.keyboard.press('Enter');
    await page.locator('.react-flow__node[data-id="escalate"]').waitFor();
    await page.waitForTimeout(500);
    const boxes = await page
      .locator('.react-flow__node')
      .evaluateAll((ns) => ns.map((n) => ({ id: n.getAttribute('data-id')!, ...(JSON.parse(JSON.stringify(n.getBoundingClientRect())) as DOMRect) })));
    const added = boxes.find((b) => b.id === 'escalate')!;
    const offer = boxes.find((b) => b.id === 'offer')!;
    for (const b of boxes.filter((x) => x.id !== 'escalate')) {
      const overlap = added.x < b.x + b.width && b.x < added.x + added.width && added.y < b.y + b.height && b.y < added.y + added.height;
      expect({ with: b.id, overlap }).toEqual({ with: b.id, overlap: false });
    }
    expect(added.x).toBeGreaterThan(offer.x + offer.width - 1);
    await screenshot(page, 'designer-keyboard');
    expect(problems).toEqual([]);
    await page.context().close();
  });

  it('the playbook list: search, duplicate, archive, unarchive and delete a draft, with names not ids', async () => {
    const key = `e2e-life-${suffix}`;
    await saveDraft(key, `Lifecycle ${suffix}`, TEMPLATES[0].graph as PlaybookGraph);
    const { page, problems } = await signedIn('#/playbooks', { width: 1440, height: 900 });
    await page.getByTestId('playbook-table').waitFor();
    expect(await seriousViolations(page)).toEqual([]);
    await page.getByLabel('Search playbooks').fill(`Lifecycle ${suffix}`);
    const row = page.locator(`tr[data-key="${key}"]`);
    // The search runs a moment after typing: only this playbook is left.
    await page.waitForFunction(() => document.querySelectorAll('tbody tr').length === 1);
    await row.waitFor();
    expect(await row.innerText()).toContain('by Olga');
    expect(await row.innerText()).not.toContain('u-olga');
    await screenshot(page, 'playbook-list');

    // Duplicate opens the copy in the designer.
    await row.getByRole('button', { name: `Duplicate Lifecycle ${suffix}` }).click();
    await page.waitForURL(new RegExp(`#/playbooks/${key}-copy/edit$`));
    await page.locator('.react-flow__node').first().waitFor();
    expect(await page.getByLabel('Name', { exact: true }).inputValue()).toBe(`Lifecycle ${suffix} (copy)`);
    await page.goto(`${product.url}/#/playbooks`);
    await page.getByLabel('Search playbooks').fill(`Lifecycle ${suffix}`);
    const copy = page.locator(`tr[data-key="${key}-copy"]`);
    await copy.waitFor();

    // Archive (confirmed), find it among the archived, bring it back.
    await row.getByRole('button', { name: `Archive Lifecycle ${suffix}` }).click();
    await page.getByRole('dialog').getByRole('button', { name: 'Archive' }).click();
    await page.getByTestId('list-notice').getByText('archived').waitFor();
    await row.waitFor({ state: 'detached' });
    await page.getByLabel('Show', { exact: true }).selectOption('only');
    await row.getByText('archived', { exact: true }).waitFor();
    await row.getByRole('button', { name: `Unarchive Lifecycle ${suffix}` }).click();
    await row.waitFor({ state: 'detached' });
    await page.getByLabel('Show', { exact: true }).selectOption('exclude');
    await row.waitFor();

    // The never-published copy can be deleted; the original, once published, only archived.
    await copy.getByRole('button', { name: /^Delete / }).click();
    await page.getByRole('dialog').getByRole('button', { name: 'Delete draft' }).click();
    await copy.waitFor({ state: 'detached' });
    expect((await product.api('GET', `/api/playbooks/${key}-copy`, { token: ops })).status).toBe(404);
    expect((await product.api('POST', `/api/playbooks/${key}/publish`, { token: ops })).status).toBe(201);
    await page.reload();
    await page.getByLabel('Search playbooks').fill(`Lifecycle ${suffix}`);
    await row.getByText('v1 live').waitFor();
    expect(await row.getByRole('button', { name: /^Delete / }).count()).toBe(0);
    expect(problems).toEqual([]);
    await page.context().close();
  });
});
