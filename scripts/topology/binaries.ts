import { execFile, spawn } from 'node:child_process';
import { existsSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { ROOT } from '../services';

/**
 * Temporal's own server, its SQL schema tool and the UI server, built from their Go modules (the only
 * source reachable here is the module proxy) into the git-ignored .tools/, once per version. The build
 * is long (several minutes on 2 cores), so it runs niced and is skipped when the binaries are there.
 */
const run = promisify(execFile);

/** The server version; docker-compose.yml pins the same temporalio/server and admin-tools images. */
export const TEMPORAL_SERVER_VERSION = 'v1.32.2';
/**
 * The UI server; docker-compose.yml runs the temporalio/ui image of the same version. The one the
 * pinned Temporal CLI embeds: v2.58.1's dependencies (echo v4.16.1, go.temporal.io/api v1.64.0) were
 * not served by the module proxy here (403).
 */
export const TEMPORAL_UI_VERSION = 'v2.54.1';
/** Both modules' go.mod ask for this Go; `go` fetches that toolchain from the module proxy when it is newer than the local one. */
const GO_TOOLCHAIN = 'go1.26.10';

export interface TemporalBinaries {
  server: string;
  sqlTool: string;
  /** null when the UI server did not build (the run goes on without it and says so). */
  ui: string | null;
  /** The server module's schema files (schema/postgresql/v12/...), from the module cache. */
  schemaDir: string;
  /** Seconds each build took in this run; 0 when it was cached. */
  buildSeconds: { server: number; ui: number };
}

const goEnv = (gobin: string): NodeJS.ProcessEnv => ({ ...process.env, GOTOOLCHAIN: GO_TOOLCHAIN, GOBIN: gobin, GOFLAGS: '-buildvcs=false' });

async function goInstall(gobin: string, packages: string[], log: (line: string) => void): Promise<number> {
  mkdirSync(gobin, { recursive: true });
  const started = Date.now();
  log(`building ${packages.join(' ')} into ${path.relative(ROOT, gobin)} (niced, once per version: the server took 24 minutes on 2 busy cores, the UI 5)`);
  await new Promise<void>((resolve, reject) => {
    const child = spawn('nice', ['-n', '10', 'go', 'install', ...packages], { env: goEnv(gobin), stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    const keep = (d: Buffer) => {
      output = (output + String(d)).slice(-8000);
    };
    child.stdout.on('data', keep);
    child.stderr.on('data', keep);
    child.once('error', reject);
    child.once('exit', (code) => (code === 0 ? resolve() : reject(new Error(`go install ${packages.join(' ')} failed (${code}):\n${output}`))));
  });
  return Math.round((Date.now() - started) / 1000);
}

async function moduleDir(module: string, version: string, gobin: string): Promise<string> {
  const { stdout } = await run('go', ['mod', 'download', '-json', `${module}@${version}`], { env: goEnv(gobin), cwd: '/', maxBuffer: 1 << 20 });
  const dir = (JSON.parse(stdout) as { Dir?: string }).Dir;
  if (!dir) throw new Error(`go mod download ${module}@${version} gave no folder: ${stdout}`);
  return dir;
}

export async function ensureTemporalBinaries(log: (line: string) => void): Promise<TemporalBinaries> {
  const serverBin = path.join(ROOT, '.tools', 'temporal-server', TEMPORAL_SERVER_VERSION);
  const uiBin = path.join(ROOT, '.tools', 'temporal-ui', TEMPORAL_UI_VERSION);
  const server = path.join(serverBin, 'server');
  const sqlTool = path.join(serverBin, 'sql');
  const buildSeconds = { server: 0, ui: 0 };
  if (!existsSync(server) || !existsSync(sqlTool)) {
    buildSeconds.server = await goInstall(
      serverBin,
      [`go.temporal.io/server/cmd/server@${TEMPORAL_SERVER_VERSION}`, `go.temporal.io/server/cmd/tools/sql@${TEMPORAL_SERVER_VERSION}`],
      log,
    );
  }
  const schemaDir = path.join(await moduleDir('go.temporal.io/server', TEMPORAL_SERVER_VERSION, serverBin), 'schema');
  let ui: string | null = path.join(uiBin, 'server');
  try {
    if (!existsSync(ui)) buildSeconds.ui = await goInstall(uiBin, [`github.com/temporalio/ui-server/v2/cmd/server@${TEMPORAL_UI_VERSION}`], log);
  } catch (err) {
    log(`the Temporal UI server did not build, so the run goes without it: ${String(err).slice(0, 400)}`);
    ui = null;
  }
  return { server, sqlTool, ui, schemaDir, buildSeconds };
}
