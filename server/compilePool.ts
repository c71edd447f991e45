import { availableParallelism } from 'node:os';
import path from 'node:path';
import { Piscina } from 'piscina';
import type { CompileResult } from '../playbooks/compile';
import type { Directory } from '../playbooks/directory';
import type { Problem } from '../playbooks/problems';
import { unavailable } from './errors';

/**
 * Compiling runs on worker threads (piscina), not on the API's event loop: a 5,000-node graph takes
 * long enough to stall every other request (/healthz waited up to 0.75 s). The API keeps one core
 * for itself; the queue is bounded, so a burst of large compiles gets a retryable 503 instead of
 * memory growing without end.
 */
const MAX_QUEUE = 64;

let pool: Piscina<{ graph: unknown; directory: Directory }, unknown> | null = null;

function compilePool() {
  pool ??= new Piscina({
    filename: path.join(__dirname, 'compileWorker.cjs'),
    minThreads: 1,
    maxThreads: Math.max(1, Math.min(4, availableParallelism() - 1)),
    // Threads beyond the first go after a quiet minute.
    idleTimeout: 60_000,
    maxQueue: MAX_QUEUE,
  });
  return pool;
}

async function run<R>(task: 'compile' | 'compileJson' | 'checkDraft', graph: unknown, directory: Directory): Promise<R> {
  try {
    return (await compilePool().run({ graph, directory }, { name: task })) as R;
  } catch (err) {
    if (err instanceof Error && /queue is at limit/i.test(err.message)) throw unavailable('the playbook compiler');
    throw err;
  }
}

/** A compile result as it comes back from a thread: the plan as JSON text, ready to store or send. */
export type PooledCompile = Omit<CompileResult, 'plan'> & { hash: string | null; planJson: string | null };

/** compilePlaybook(graph, directory), on a worker thread. */
export function compileOffLoop(graph: unknown, directory: Directory): Promise<PooledCompile> {
  return run('compile', graph, directory);
}

/** compilePlaybook(JSON.parse(json), directory), on a worker thread: a stored draft read as text. */
export function compileJsonOffLoop(json: string, directory: Directory): Promise<PooledCompile> {
  return run('compileJson', json, directory);
}

/**
 * A draft's graph checked against the graph schema (its problems under `graph`, as a body schema
 * would name them) and compiled, both on a worker thread: for 5,000 nodes the schema alone would
 * hold the event loop for tens of milliseconds.
 */
export function checkDraftOffLoop(
  graph: unknown,
  directory: Directory,
): Promise<{ ok: false; problems: Problem[] } | { ok: true; graphJson: string; compiled: PooledCompile }> {
  return run('checkDraft', graph, directory);
}

/** How many compiles the pool has finished, and on how many threads (for tests and benchmarks). */
export function compilePoolStats(): { completed: number; threads: number } {
  return { completed: pool?.completed ?? 0, threads: pool?.threads.length ?? 0 };
}

/** Start the threads now (at startup, in benchmarks), so the first compile does not wait for them. */
export async function warmCompilePool(): Promise<void> {
  await compileOffLoop({ nodes: [], edges: [] }, { roles: [], departments: [] });
}

/** Ends the threads (shutdown). */
export async function closeCompilePool(): Promise<void> {
  const closing = pool;
  pool = null;
  await closing?.destroy();
}
