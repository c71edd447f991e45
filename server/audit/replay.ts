import { readFile } from 'node:fs/promises';
import type { Client } from '@temporalio/client';
import { historyFromJSON, historyToJSON } from '@temporalio/common/lib/proto-utils';
import { temporal } from '@temporalio/proto';
import { bundleWorkflowCode, Worker, type InjectedSinks } from '@temporalio/worker';
import type { AttemptSnapshot, AttemptStateSinks } from '../../workflows/contract';
import { WORKFLOWS_PATH } from '../../workflows/bundlePath';
import type { HistoryJson } from './history';

export type ReplayVerdict =
  | { result: 'matches'; runs: number; events: number }
  | { result: 'diverged'; runId: string | null; message: string }
  | { result: 'unreadable'; message: string };

let bundle: Promise<{ code: string }> | null = null;

/** Runs report snapshots through a sink (workflows/contract AttemptStateSinks); a plain replay ignores them. */
export const IGNORED_SNAPSHOTS: InjectedSinks<AttemptStateSinks> = { attemptState: { reported: { fn: () => undefined, callDuringReplay: false } } };

/** The current workflow code, bundled once per process (or read from a prebuilt bundle). */
function workflowBundle(prebuilt: string | undefined): Promise<{ code: string }> {
  bundle ??= prebuilt
    ? readFile(prebuilt, 'utf8').then((code) => ({ code }))
    : bundleWorkflowCode({
        workflowsPath: WORKFLOWS_PATH,
        logger: { log: () => undefined, info: () => undefined, warn: () => undefined, error: () => undefined, debug: () => undefined, trace: () => undefined },
      });
  return bundle;
}

/**
 * All runs of one attempt, oldest first: the first run's history, then each run it continued as.
 * Returned in the CLI's JSON form, so exports and uploads go through the same code.
 */
export async function fetchAttemptHistories(client: Client, workflowId: string, firstRunId: string | null): Promise<{ runId: string; history: HistoryJson }[]> {
  const runs: { runId: string; history: HistoryJson }[] = [];
  let runId: string | undefined = firstRunId ?? undefined;
  for (let i = 0; i < 1000; i++) {
    const handle = client.workflow.getHandle(workflowId, runId);
    const history = await handle.fetchHistory();
    const json = JSON.parse(historyToJSON(temporal.api.history.v1.History.fromObject(history))) as HistoryJson;
    runs.push({ runId: runId ?? (await handle.describe()).runId, history: json });
    const last = json.events[json.events.length - 1];
    const next =
      last?.eventType === 'EVENT_TYPE_WORKFLOW_EXECUTION_CONTINUED_AS_NEW'
        ? (last.workflowExecutionContinuedAsNewEventAttributes as { newExecutionRunId?: string } | undefined)?.newExecutionRunId
        : undefined;
    if (!next || !firstRunId) break;
    runId = next;
  }
  return runs;
}

type History = ReturnType<typeof historyFromJSON>;

/** What one history's replay gave: the divergence (or null) and the last snapshot the run reported. */
export interface ReplayResult {
  error: Error | null;
  snapshot: AttemptSnapshot | null;
}

/**
 * A replay worker kept warm: starting one costs ~200 ms (runtime, bundle, sandbox), replaying a
 * history costs a fraction of that. Histories queue into one long-lived runReplayHistories stream
 * and each caller gets the result for its own history, in order. The runs report their snapshot
 * through a sink as they replay (workflows/contract AttemptStateSinks); the last one is kept, so a
 * caller learns the state today's code rebuilt from the history.
 */
export class WarmReplayer {
  private readonly waiting: { item: { workflowId: string; history: History }; resolve: (r: ReplayResult) => void; reject: (err: Error) => void }[] = [];
  private readonly inFlight: { workflowId: string; resolve: (r: ReplayResult) => void; reject: (err: Error) => void }[] = [];
  private readonly snapshots = new Map<string, AttemptSnapshot>();
  private wake: (() => void) | null = null;
  private running: Promise<void> | null = null;
  private closed = false;
  private counter = 0;

  constructor(private readonly bundle: () => Promise<{ code: string }>) {}

  replay(history: History): Promise<ReplayResult> {
    return new Promise((resolve, reject) => {
      const workflowId = `replay-${process.pid}-${++this.counter}`;
      this.waiting.push({ item: { workflowId, history }, resolve, reject });
      this.wake?.();
      this.running ??= this.run();
    });
  }

  /** Ends the stream, so the replay worker (and with it the process) can stop. */
  async close(): Promise<void> {
    this.closed = true;
    this.wake?.();
    await this.running;
  }

  private async *feed(): AsyncGenerator<{ workflowId: string; history: History }> {
    while (!this.closed) {
      const next = this.waiting.shift();
      if (next) {
        this.inFlight.push({ workflowId: next.item.workflowId, resolve: next.resolve, reject: next.reject });
        yield next.item;
        continue;
      }
      await new Promise<void>((r) => (this.wake = r));
      this.wake = null;
    }
  }

  private async run(): Promise<void> {
    const sinks: InjectedSinks<AttemptStateSinks> = {
      attemptState: { reported: { fn: (info, snapshot) => void this.snapshots.set(info.workflowId, snapshot), callDuringReplay: true } },
    };
    try {
      const { code } = await this.bundle();
      for await (const result of Worker.runReplayHistories({ workflowBundle: { code }, replayName: 'audit-replay', sinks }, this.feed())) {
        const done = this.inFlight.shift();
        if (!done) continue;
        const snapshot = this.snapshots.get(done.workflowId) ?? null;
        this.snapshots.delete(done.workflowId);
        done.resolve({ error: result.error ?? null, snapshot });
      }
    } catch (err) {
      for (const p of this.inFlight.splice(0)) p.reject(err as Error);
    } finally {
      this.running = null;
      if (this.waiting.length && !this.closed) this.running = this.run();
    }
  }
}

let replayer: WarmReplayer | null = null;

/** Stop the warm replay worker (on shutdown). */
export async function closeReplayer(): Promise<void> {
  const current = replayer;
  replayer = null;
  await current?.close();
}

/** Replays histories through today's workflow code: "matches", or exactly where it diverges. */
export async function verifyReplay(histories: { runId: string | null; history: unknown }[], prebuiltBundle?: string): Promise<ReplayVerdict> {
  return (await replayWithSnapshot(histories, prebuiltBundle)).verdict;
}

/**
 * The same replay, plus the snapshot the last run reported as it replayed: the state today's code
 * rebuilds from the recorded history (a migration's proof starts from it).
 */
export async function replayWithSnapshot(
  histories: { runId: string | null; history: unknown }[],
  prebuiltBundle?: string,
): Promise<{ verdict: ReplayVerdict; snapshot: AttemptSnapshot | null }> {
  replayer ??= new WarmReplayer(() => workflowBundle(prebuiltBundle));
  let events = 0;
  let snapshot: AttemptSnapshot | null = null;
  for (const { runId, history } of histories) {
    let parsed;
    try {
      parsed = historyFromJSON(history);
    } catch (err) {
      return { verdict: { result: 'unreadable', message: `not a Temporal history: ${(err as Error).message}` }, snapshot: null };
    }
    if (!parsed.events?.length || !parsed.events[0].workflowExecutionStartedEventAttributes)
      return { verdict: { result: 'unreadable', message: 'the history does not begin with a workflow start' }, snapshot: null };
    events += parsed.events.length;
    const { error, snapshot: reported } = await replayer.replay(parsed);
    if (error) return { verdict: { result: 'diverged', runId, message: error.message }, snapshot: null };
    snapshot = reported ?? snapshot;
  }
  return { verdict: { result: 'matches', runs: histories.length, events }, snapshot };
}
