/**
 * How fast the designer opens and pans big playbooks: `npm run bench:editor` (run `npm run build:editor` first).
 *
 * Serves the built editor and a stand-in for the API from a small local HTTP server (no database
 * or Temporal involved), and opens a valid generated playbook in the
 * designer in headless Chromium. Measures the time from navigation until every node is rendered
 * and a click on one selects it (its settings open), then the frame times (requestAnimationFrame
 * deltas) during a scripted drag-pan. A 50-node graph is the baseline; the target is ≤ 1.5 s to
 * interactive for 500 nodes. It also opens each seeded template at 1,440 × 900 and prints the
 * on-screen size of the step names at the opening zoom (readable means 11 px or more).
 */
import { createReadStream, existsSync, statSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { chromium, type Page } from 'playwright-core';
import { compilePlaybook } from '../../playbooks/compile';
import { DEFAULT_DIRECTORY } from '../../playbooks/directory';
import type { GraphEdge, GraphNode, PlaybookGraph } from '../../playbooks/graph';
import { TEMPLATES } from '../../playbooks/templates';

const DIST = path.resolve(__dirname, '..', '..', 'dist', 'editor');
const RUNS = Number(process.env.BENCH_RUNS ?? 7);
const TARGET_MS = 1500;

/** A valid playbook of exactly `size` nodes: repeated call → decision → message → wait → answer segments, on a grid. */
export function editorBenchGraph(size: number): PlaybookGraph {
  const nodes: GraphNode[] = [];
  const edges: GraphEdge[] = [];
  const add = (kind: string, config: Record<string, unknown>): string => {
    const k = nodes.length;
    const id = `${kind}_${k}`;
    nodes.push({ id, kind, name: `${kind.replace(/_/g, ' ')} ${k}`, position: { x: (k % 20) * 260, y: Math.floor(k / 20) * 200 }, config });
    return id;
  };
  const link = (source: string, handles: string[], target: string) =>
    handles.forEach((h) => edges.push({ id: `${source}.${h}`, source, sourceHandle: h, target }));
  let tail = add('start', { trigger: 'manual', variables: [] });
  let open = ['next'];
  const step = (kind: string, config: Record<string, unknown>, handles: string[]) => {
    const id = add(kind, config);
    link(tail, open, id);
    tail = id;
    open = handles;
  };
  const segment = [
    () =>
      step(
        'task',
        {
          title: 'Call the customer back',
          assignee: { type: 'role', role: 'rep', department: 'customer' },
          outcomes: [
            { key: 'reached', label: 'Reached' },
            { key: 'unreachable', label: 'Unreachable' },
          ],
          form: [],
          sla: 'P2D',
          escalation: [],
        },
        ['reached', 'unreachable'],
      ),
    () =>
      step('decision', { rules: [{ handle: 'high_value', label: 'High value', when: { var: 'customer.value', op: 'gte', value: 50000 } }] }, [
        'high_value',
        'default',
      ]),
    () => step('notify', { channel: 'email', to: { kind: 'customer' }, template: 'reminder', vars: {} }, ['next']),
    () => step('wait_response', { kinds: ['accepted', 'declined'], timeout: 'P7D', reminders: [] }, ['accepted', 'declined', 'no_response']),
    () => step('update_customer', { status: 'at_risk', addTags: ['bench'] }, ['next']),
    () => step('delay', { duration: 'P1D' }, ['next']),
  ];
  for (let i = 0; nodes.length < size - 1; i++) segment[i % segment.length]();
  link(tail, open, add('end', { outcome: 'closed', reason: 'bench' }));
  return { nodes, edges };
}

/**
 * The built editor and a stand-in for the API on one local HTTP server: a signed-in ops manager
 * and one playbook per size. Real HTTP rather than Playwright routing, whose per-request hop
 * through the driver would be counted as the designer's time.
 */
export function serve(graphs: Map<string, PlaybookGraph>, dist = DIST): Promise<Server> {
  const types: Record<string, string> = { '.html': 'text/html', '.js': 'text/javascript', '.css': 'text/css', '.svg': 'image/svg+xml' };
  const bodies = new Map(
    [...graphs].map(([key, graph]) => {
      // What the API answers: the draft with the compiler's problems and worst case for it.
      const compiled = compilePlaybook(graph);
      return [
        key,
        JSON.stringify({
          key,
          name: `Bench ${graph.nodes.length}`,
          description: '',
          draft: { graph, revision: 1, updatedAt: new Date().toISOString(), updatedBy: 'olga' },
          problems: compiled.problems,
          warnings: compiled.warnings,
          worstCaseDurationMs: compiled.worstCaseDurationMs,
          versions: [],
        }),
      ];
    }),
  );
  const server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://localhost');
    const json = (status: number, body: string, headers: Record<string, string> = {}) =>
      res.writeHead(status, { 'content-type': 'application/json', ...headers }).end(body);
    if (url.pathname.startsWith('/api/')) {
      if (url.pathname === '/api/auth/me')
        return json(200, JSON.stringify({ user: { id: 'u-olga', username: 'olga', displayName: 'Olga Ops', role: 'ops_manager', department: null } }));
      if (url.pathname === '/api/departments')
        return json(200, JSON.stringify({ departments: DEFAULT_DIRECTORY.departments.map((id) => ({ id, name: id.replace(/_/g, ' ') })) }));
      const m = /^\/api\/playbooks\/([^/]+)(\/draft)?$/.exec(url.pathname);
      const body = m ? bodies.get(m[1]) : undefined;
      if (m && body && !m[2]) return json(200, body, { etag: '"1"' });
      if (m && body && m[2]) return json(200, JSON.stringify({ key: m[1], revision: 2, problems: [] }), { etag: '"2"' });
      return json(404, JSON.stringify({ error: { code: 'not_found', message: 'not in the benchmark' } }));
    }
    const file = path.join(dist, url.pathname === '/' ? 'index.html' : path.normalize(url.pathname));
    if (!file.startsWith(dist) || !existsSync(file) || !statSync(file).isFile()) {
      res.writeHead(404).end();
      return;
    }
    // Validators as the API's express.static sends them (max-age=0, ETag, Last-Modified), so a
    // returning browser revalidates and keeps its cached scripts (and V8's code cache for them).
    const stat = statSync(file);
    const etag = `W/"${stat.size.toString(16)}-${stat.mtime.getTime().toString(16)}"`;
    const headers = { 'cache-control': 'public, max-age=0', etag, 'last-modified': stat.mtime.toUTCString() };
    if (req.headers['if-none-match'] === etag) {
      res.writeHead(304, headers).end();
      return;
    }
    res.writeHead(200, { ...headers, 'content-type': types[path.extname(file)] ?? 'application/octet-stream' });
    createReadStream(file).pipe(res);
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(server)));
}

interface Opened {
  /** Until the nodes in view are rendered and measured (React Flow hides a node until it has its size). */
  rendered: number;
  /** Until, in addition, a click on a node has selected it and its settings are open. */
  interactive: number;
  nodesInView: number;
  page: Page;
}

async function open(page: Page, base: string, key: string): Promise<Opened> {
  const start = Date.now();
  await page.goto(`${base}/#/playbooks/${key}/edit`);
  // Rendered: nodes in the DOM, none hidden, and the count stable over two frames.
  await page.waitForFunction(
    () => {
      const w = window as unknown as { __lastCount?: number };
      const nodes = document.querySelectorAll('.react-flow__node');
      const ready = nodes.length > 0 && [...nodes].every((el) => (el as HTMLElement).style.visibility !== 'hidden');
      const stable = ready && w.__lastCount === nodes.length;
      w.__lastCount = ready ? nodes.length : -1;
      return stable;
    },
    null,
    { timeout: 60_000, polling: 'raf' },
  );
  const rendered = Date.now() - start;
  const nodesInView = await page.locator('.react-flow__node').count();
  // The designer opens readable (zoom 1 on the start when the whole graph would be too small), so
  // not every rendered node is on screen: click the middle one of those that are.
  const onScreen = await page.evaluate(() => {
    const pane = document.querySelector('.react-flow__pane')!.getBoundingClientRect();
    const nodes = [...document.querySelectorAll('.react-flow__node')];
    const inside = nodes.flatMap((n, i) => {
      const r = n.getBoundingClientRect();
      return r.left >= pane.left && r.right <= pane.right && r.top >= pane.top && r.bottom <= pane.bottom ? [i] : [];
    });
    return inside[Math.floor(inside.length / 2)] ?? 0;
  });
  await page.locator('.react-flow__node').nth(onScreen).locator('.pb-node__name').click({ force: true });
  await page.locator('.node-settings').waitFor({ timeout: 30_000 });
  return { rendered, interactive: Date.now() - start, nodesInView, page };
}

/** "Fit": every node of the playbook on screen at once, the heaviest view there is. */
async function fitAll(page: Page, size: number): Promise<number> {
  const start = Date.now();
  await page.getByRole('button', { name: 'Fit', exact: true }).click();
  await page.waitForFunction(
    (n) => {
      const nodes = document.querySelectorAll('.react-flow__node');
      return nodes.length === n && [...nodes].every((el) => (el as HTMLElement).style.visibility !== 'hidden');
    },
    size,
    { timeout: 60_000, polling: 'raf' },
  );
  return Date.now() - start;
}

/** Drag the pane from an empty spot for ~1 s and collect the frame-to-frame times. */
async function panFrames(page: Page): Promise<number[]> {
  const spot = await page.evaluate(() => {
    const pane = document.querySelector('.react-flow__pane')!.getBoundingClientRect();
    for (let y = pane.top + 40; y < pane.bottom - 200; y += 7) {
      for (let x = pane.left + 60; x < pane.right - 260; x += 7) {
        if (document.elementFromPoint(x, y)?.classList.contains('react-flow__pane')) return { x, y };
      }
    }
    return null;
  });
  if (!spot) throw new Error('no empty spot on the pane to drag from');
  // A string, not a function: tsx would wrap a named inner function in a helper the page does not have.
  await page.evaluate(`(() => {
    window.__frames = [];
    window.__on = true;
    let last = performance.now();
    const tick = (t) => { window.__frames.push(t - last); last = t; if (window.__on) requestAnimationFrame(tick); };
    requestAnimationFrame(tick);
  })()`);
  await page.mouse.move(spot.x, spot.y);
  await page.mouse.down();
  for (let i = 1; i <= 60; i++) {
    await page.mouse.move(spot.x + i * 4, spot.y + i * 2);
    await page.waitForTimeout(16);
  }
  await page.mouse.up();
  return page.evaluate(() => {
    const w = window as unknown as { __frames: number[]; __on: boolean };
    w.__on = false;
    return w.__frames.slice(2);
  });
}

/** The smallest on-screen size of the step names at the opening zoom: their font size times the canvas zoom. */
async function openingNameSize(page: Page, base: string, key: string): Promise<{ px: number; zoom: number; nodes: number }> {
  await page.goto(`${base}/#/playbooks/${key}/edit`);
  await page.locator('.react-flow__node .pb-node__name').first().waitFor({ timeout: 30_000 });
  // The opening viewport is set once the pane has its size: wait for the zoom to settle.
  let last = -1;
  for (let i = 0; i < 20; i++) {
    await page.waitForTimeout(50);
    const zoom = await page.evaluate(() => new DOMMatrix(getComputedStyle(document.querySelector('.react-flow__viewport')!).transform).a);
    if (zoom === last) break;
    last = zoom;
  }
  return page.evaluate(() => {
    const zoom = new DOMMatrix(getComputedStyle(document.querySelector('.react-flow__viewport')!).transform).a;
    const names = [...document.querySelectorAll<HTMLElement>('.react-flow__node .pb-node__name')];
    return { px: Math.min(...names.map((n) => parseFloat(getComputedStyle(n).fontSize) * zoom)), zoom, nodes: names.length };
  });
}

const quantile = (values: number[], q: number) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))];
};
const ms = (v: number) => `${v.toFixed(v < 100 ? 1 : 0)} ms`;

async function main(): Promise<void> {
  if (!existsSync(path.join(DIST, 'index.html'))) throw new Error(`${DIST} is missing: run \`npm run build:editor\` first`);
  const sizes = [50, 500];
  const graphs = new Map<string, PlaybookGraph>(sizes.map((n) => [`bench-${n}`, editorBenchGraph(n)]));
  const benchKeys = [...graphs.keys()];
  for (const t of TEMPLATES) graphs.set(`template-${t.key}`, t.graph);
  for (const key of benchKeys) {
    const graph = graphs.get(key)!;
    const compiled = compilePlaybook(graph);
    if (!compiled.ok)
      throw new Error(
        `${key} is not valid: ${compiled.problems
          .slice(0, 3)
          .map((p) => p.message)
          .join('; ')}`,
      );
  }
  const server = await serve(graphs);
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'],
  });
  const results: Record<number, number> = {};
  // One browser context for all runs: a returning ops manager has the editor's scripts cached.
  const context = await browser.newContext({ viewport: { width: 1600, height: 1000 } });
  try {
    for (const size of sizes) {
      const key = `bench-${size}`;
      const rendered: number[] = [];
      const interactive: number[] = [];
      const fits: number[] = [];
      let inView = 0;
      let frames: number[] = [];
      let fitFrames: number[] = [];
      // Run 0 warms the cache and is not counted.
      for (let run = 0; run <= RUNS; run++) {
        const page = await context.newPage();
        const r = await open(page, base, key);
        if (run > 0) {
          rendered.push(r.rendered);
          interactive.push(r.interactive);
          inView = r.nodesInView;
          if (run === 1) frames = await panFrames(page);
          fits.push(await fitAll(page, size));
          if (run === 1) fitFrames = await panFrames(page);
        }
        await page.close();
      }
      results[size] = quantile(interactive, 0.5);
      const edges = graphs.get(key)!.edges.length;
      console.log(`${size} nodes, ${edges} edges${size === 50 ? ' (baseline)' : ''}: ${inView} nodes in view on opening`);
      console.log(`${size} nodes: rendered median ${ms(quantile(rendered, 0.5))}, p95 ${ms(quantile(rendered, 0.95))}`);
      console.log(
        `${size} nodes: interactive (rendered + a click selects a node) median ${ms(quantile(interactive, 0.5))}, p95 ${ms(quantile(interactive, 0.95))} over ${RUNS} runs`,
      );
      console.log(
        `${size} nodes: pan frame time median ${ms(quantile(frames, 0.5))}, p95 ${ms(quantile(frames, 0.95))}, max ${ms(Math.max(...frames))} over ${frames.length} frames`,
      );
      console.log(
        `${size} nodes: "Fit" until all ${size} rendered median ${ms(quantile(fits, 0.5))}, p95 ${ms(quantile(fits, 0.95))}; pan at fit: frame median ${ms(quantile(fitFrames, 0.5))}, p95 ${ms(quantile(fitFrames, 0.95))}`,
      );
    }
    // Readable by default: each template as it opens on a 1,440 px laptop screen.
    const laptop = await browser.newContext({ viewport: { width: 1440, height: 900 } });
    const page = await laptop.newPage();
    for (const t of TEMPLATES) {
      const r = await openingNameSize(page, base, `template-${t.key}`);
      console.log(
        `template ${t.key} (${r.nodes} steps) at 1440×900: step names ${r.px.toFixed(1)} px on screen at the opening zoom (${r.zoom.toFixed(2)}): ${r.px >= 11 ? 'readable' : 'NOT readable'} (≥ 11 px)`,
      );
    }
    await laptop.close();
  } finally {
    await context.close();
    await browser.close();
    server.close();
  }
  const verdict = results[500] <= TARGET_MS ? 'met' : 'NOT met';
  console.log(
    `target: 500 nodes interactive ≤ ${TARGET_MS} ms (median): ${verdict} (${ms(results[500])}; ${(results[500] / results[50]).toFixed(1)}× the 50-node baseline)`,
  );
}

// Only when run as a script: other tools import editorBenchGraph and serve (e.g. to compare two builds side by side).
if (require.main === module) {
  main().catch((e: unknown) => {
    console.error(e);
    process.exit(1);
  });
}
