import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, chmodSync, readFileSync, statSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { pgCtl } from '../../scripts/pgctl';
import { freePort, ROOT } from '../../scripts/services';

/**
 * `npm start`, then Ctrl-C in its terminal. A terminal signals the whole foreground process group,
 * so this starts the product in a group of its own and sends SIGINT to all of it, as a terminal does.
 */
const listening = (port: number) =>
  new Promise<boolean>((resolve) => {
    const socket = net.connect(port, '127.0.0.1');
    socket.once('connect', () => (socket.destroy(), resolve(true)));
    socket.once('error', () => resolve(false));
  });

describe('npm start and Ctrl-C', () => {
  let child: ChildProcess | null = null;
  afterAll(() => {
    if (child?.pid && child.exitCode === null) process.kill(-child.pid, 'SIGKILL');
  });

  it('after inbox use, stops API, worker, Temporal and PostgreSQL in order, with no exception', async () => {
    const dataDir = mkdtempSync(path.join(os.tmpdir(), 'retention-start-'));
    if (process.getuid?.() === 0) chmodSync(dataDir, 0o755);
    const [port, temporalPort, uiPort, pgPort] = [await freePort(), await freePort(), await freePort(), await freePort()];
    child = spawn(process.execPath, [path.join(ROOT, 'node_modules', 'tsx', 'dist', 'cli.mjs'), path.join(ROOT, 'scripts', 'start.ts')], {
      cwd: ROOT,
      detached: true,
      stdio: ['ignore', 'pipe', 'pipe'],
      env: {
        ...process.env,
        PORT: String(port),
        TEMPORAL_PORT: String(temporalPort),
        TEMPORAL_UI_PORT: String(uiPort),
        EMBEDDED_PG_PORT: String(pgPort),
        DATA_DIR: dataDir,
        DATABASE_URL: '',
        TEMPORAL_ADDRESS: '',
        LINK_SECRET: '',
        LOG_LEVEL: 'info',
      },
    });
    let output = '';
    child.stdout!.on('data', (d) => (output += String(d)));
    child.stderr!.on('data', (d) => (output += String(d)));
    const exited = new Promise<number | null>((resolve) => child!.once('exit', (code) => resolve(code)));

    const base = `http://127.0.0.1:${port}`;
    const deadline = Date.now() + 90_000;
    while (!output.includes('Ctrl-C stops everything')) {
      if (Date.now() > deadline || child.exitCode !== null) throw new Error(`the product did not start:\n${output}`);
      await new Promise((r) => setTimeout(r, 250));
    }

    // The embedded start made its own link secret under the data folder, readable by nobody else.
    const secretFile = path.join(dataDir, 'link-secret');
    expect(readFileSync(secretFile, 'utf8').length).toBeGreaterThanOrEqual(32);
    expect(statSync(secretFile).mode & 0o077).toBe(0);

    // Use the inbox: a live event stream holds the LISTEN connection that used to crash the stop.
    const login = await fetch(`${base}/api/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ username: 'rita', password: 'demo' }),
    });
    const { token } = (await login.json()) as { token: string };
    expect((await fetch(`${base}/api/inbox`, { headers: { authorization: `Bearer ${token}` } })).status).toBe(200);
    const events = new AbortController();
    const stream = await fetch(`${base}/api/inbox/events`, { headers: { authorization: `Bearer ${token}` }, signal: events.signal });
    expect(stream.status).toBe(200);
    stream.body
      ?.getReader()
      .read()
      .catch(() => undefined);

    expect(await listening(temporalPort)).toBe(true);
    process.kill(-child.pid!, 'SIGINT');
    const code = await Promise.race([exited, new Promise<'hung'>((r) => setTimeout(() => r('hung'), 60_000))]);
    events.abort();
    expect({ code, exceptions: output.match(/TypeError|Cannot read properties|unhandled/gi) ?? [] }).toEqual({ code: 0, exceptions: [] });
    const lines = output.split('\n');
    const at = (text: string) => lines.findIndex((l) => l.includes(text));
    expect(at('"stopping: API, worker, Temporal, PostgreSQL"')).toBeGreaterThan(-1);
    expect(at('"msg":"stopped"')).toBeGreaterThan(at('"stopping'));
    // Nothing left behind: Temporal's port is closed, PostgreSQL's cluster is stopped.
    expect(await listening(temporalPort)).toBe(false);
    expect(
      await pgCtl(path.join(dataDir, 'postgres'), ['status']).then(
        () => 'running',
        () => 'stopped',
      ),
    ).toBe('stopped');
    expect(existsSync(path.join(dataDir, 'postgres', 'postmaster.pid'))).toBe(false);
  });
});
