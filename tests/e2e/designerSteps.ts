import type { Locator, Page } from 'playwright-core';

/** Page-level moves of the designer e2e test: drag from the palette, connect handles, pick steps. */

export const nodeLocator = (page: Page, id: string): Locator => page.locator(`.react-flow__node[data-id="${id}"]`);

/** Drags a palette entry onto the canvas, dropping it at (x, y) from the pane's top-left corner. */
export async function dragKind(page: Page, kind: string, at: { x: number; y: number }): Promise<void> {
  const before = await page.locator('.react-flow__node').count();
  await page.locator(`.palette__item[data-kind="${kind}"]`).dragTo(page.locator('.react-flow__pane'), { targetPosition: at });
  await page.waitForFunction((n) => document.querySelectorAll('.react-flow__node').length > n, before);
}

/** Drags from a step's labelled outgoing handle to another step's input, the way a person connects them. */
export async function connect(page: Page, source: string, handle: string, target: string): Promise<void> {
  const from = nodeLocator(page, source).locator(`.react-flow__handle.source[data-handleid="${handle}"]`);
  const to = nodeLocator(page, target).locator('.react-flow__handle.target');
  const a = await from.boundingBox();
  const b = await to.boundingBox();
  if (!a || !b) throw new Error(`handle ${source}.${handle} or target ${target} is not on screen`);
  await page.mouse.move(a.x + a.width / 2, a.y + a.height / 2);
  await page.mouse.down();
  await page.mouse.move(b.x + b.width / 2, b.y + b.height / 2, { steps: 12 });
  await page.mouse.up();
  await page.locator(`.react-flow__edge[data-id="${source}.${handle}"]`).waitFor({ state: 'attached' });
}

/** Selects a step by clicking its name, and waits for its settings form. */
export async function selectNode(page: Page, id: string): Promise<void> {
  await page.getByRole('tab', { name: 'Settings' }).click();
  await nodeLocator(page, id).locator('.pb-node__name').click();
  await page.locator('.node-settings').filter({ hasText: id }).waitFor();
}

/** After an edit: autosave waits a second (unsaved), then saves; wait for both, so an old "saved" does not count. */
export async function waitSavedAfterEdit(page: Page): Promise<void> {
  await page.locator('[data-testid="save-state"]:not([data-status="saved"])').waitFor({ timeout: 5_000 });
  await waitSaved(page);
}

export async function waitSaved(page: Page): Promise<void> {
  await page.locator('[data-testid="save-state"][data-status="saved"]').waitFor({ timeout: 10_000 });
}
