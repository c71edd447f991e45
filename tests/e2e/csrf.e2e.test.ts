import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Browser, Page } from 'playwright-core';
import { eventually, newCustomer, startProduct, type Product } from '../support/product';
import { launchBrowser, login, openPage, requireBuiltEditor } from './browser';
import { twoStepGraph } from './graphs';

/**
 * Cross-site request forgery in a real Chromium: a hostile page served from another port on the
 * same host (same site, so the SameSite=Lax session cookie goes along) posts forms and fetches to the
 * API with the victim's cookie. Every such mutation is refused and changes nothing; the editor itself
 * (same origin) still claims tasks and signs out.
 */
describe('CSRF in the browser', () => {
  let product: Product;
  let browser: Browser;
  let hostile: http.Server;
  let hostileUrl: string;
  let ops: string;
  const key = `e2e-csrf-${Date.now().toString(36)}`;

  /** The attacker's pages: each auto-submits a form, or fires a no-cors fetch, at the API. */
  function hostilePage(url: URL): string {
    const target = `${product.url}${url.searchParams.get('path')}`;
    if (url.pathname === '/form') {
      return `<!doctype html><form id="f" method="post" action="${target}"><input type="hidden" name="x" value="1"></form><script>document.getElementById('f').submit()</script>`;
    }
    return `<!doctype html><script>fetch(${JSON.stringify(target)}, { method: 'POST', credentials: 'include', mode: 'no-cors' }).finally(() => { document.title = 'sent'; });</script>`;
  }

  beforeAll(async () => {
    requireBuiltEditor();
    product = await startProduct();
    browser = await launchBrowser();
    ops = await product.login('olga');
    expect((await product.api('PUT', `/api/playbooks/${key}/draft`, { token: ops, body: { name: key, graph: twoStepGraph() } })).status).toBe(200);
    expect((await product.api('POST', `/api/playbooks/${key}/publish`, { token: ops })).status).toBe(201);
    hostile = http.createServer((req, res) => res.writeHead(200, { 'content-type': 'text/html' }).end(hostilePage(new URL(req.url!, 'http://x'))));
    await new Promise<void>((r) => hostile.listen(0, '127.0.0.1', () => r()));
    hostileUrl = `http://127.0.0.1:${(hostile.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    await browser?.close();
    hostile?.close();
    await product?.stop();
  });

  async function openTask(): Promise<string> {
    const customerId = await newCustomer(product.pool, { department: 'after_sales' });
    const started = await product.api<{ id: string }>('POST', '/api/runs', { token: ops, body: { playbookKey: key, customerId } });
    expect(started.status).toBe(201);
    return eventually(
      async () => (await product.pool.query<{ id: string }>("SELECT id FROM tasks WHERE attempt_id = $1 AND status = 'open'", [started.body.id])).rows[0]?.id,
      20_000,
      'the task',
    );
  }
  const claimedBy = async (taskId: string) =>
    (await product.pool.query('SELECT claimed_by FROM tasks WHERE id = $1', [taskId])).rows[0].claimed_by as string | null;
  const signedIn = (page: Page) => page.evaluate(() => fetch('/api/auth/me', { credentials: 'same-origin' }).then((r) => r.status));

  /** The victim's tab goes to the attacker's form page; the form lands on the API. */
  async function viaForm(page: Page, apiPath: string): Promise<{ status: number; body: string }> {
    const answered = page.waitForResponse((r) => r.url() === `${product.url}${apiPath}` && r.request().method() === 'POST');
    await page.goto(`${hostileUrl}/form?path=${encodeURIComponent(apiPath)}`);
    const res = await answered;
    return { status: res.status(), body: await res.text() };
  }
  async function viaFetch(page: Page, apiPath: string): Promise<void> {
    await page.goto(`${hostileUrl}/fetch?path=${encodeURIComponent(apiPath)}`);
    await page.waitForFunction(() => document.title === 'sent');
  }

  it("a hostile page on another port cannot claim, publish or sign out with the victim's cookie", async () => {
    const taskId = await openTask();
    const { page } = await openPage(browser);
    await page.goto(`${product.url}/`);
    await login(page, 'rita');

    const claim = await viaForm(page, `/api/tasks/${taskId}/claim`);
    expect(claim.status).toBe(403);
    expect(JSON.parse(claim.body).error.code).toBe('cross_site_request');
    await viaFetch(page, `/api/tasks/${taskId}/claim`);
    expect(await claimedBy(taskId)).toBeNull();

    expect((await viaForm(page, '/api/auth/logout')).status).toBe(403);
    await viaFetch(page, '/api/auth/logout-everywhere');
    await page.goto(`${product.url}/`);
    expect(await signedIn(page)).toBe(200);

    // An ops manager's tab: a forged publish makes no new version.
    const opsTab = await openPage(browser);
    await opsTab.page.goto(`${product.url}/`);
    await login(opsTab.page, 'olga');
    const versions = async () =>
      (await product.pool.query('SELECT count(*)::int AS n FROM playbook_versions WHERE playbook_key = $1', [key])).rows[0].n as number;
    const before = await versions();
    await product.api('PUT', `/api/playbooks/${key}/draft`, { token: ops, body: { name: `${key} changed`, graph: twoStepGraph() } });
    expect((await viaForm(opsTab.page, `/api/playbooks/${key}/publish`)).status).toBe(403);
    await viaFetch(opsTab.page, `/api/playbooks/${key}/publish`);
    expect(await versions()).toBe(before);
  });

  it('the editor itself (same origin, cookie) still claims a task and signs out, under the CSP', async () => {
    const taskId = await openTask();
    const { page, problems } = await openPage(browser);
    const violations: string[] = [];
    page.on('console', (m) => /Content Security Policy/i.test(m.text()) && violations.push(m.text()));
    await page.goto(`${product.url}/`);
    await login(page, 'rita');
    await page.goto(`${product.url}/#/inbox/${taskId}`);
    const detail = page.getByTestId('task-detail');
    await detail.getByRole('button', { name: 'Claim', exact: true }).click();
    await detail.getByTestId('detail-claimed-by').filter({ hasText: 'Claimed by Rita Rep' }).waitFor();
    expect(await claimedBy(taskId)).toBe('u-rita');
    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.getByLabel('Username').waitFor();
    expect(await signedIn(page)).toBe(401);
    expect({ problems, violations }).toEqual({ problems: [], violations: [] });
  });
});
