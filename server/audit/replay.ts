import { readFile } from 'node:fs/promises';
import type { Client } from '@temporalio/client';
import { historyFromJSON, historyToJSON } from '@temporalio/common/lib/proto-utils';
import { temporal } from '@temporalio/proto';
import { bundleWorkflowCode, Worker } from '@temporalio/worker';
import { WORKFLOWS_PATH } from '../../workers/worker';
import type { HistoryJson } from './history';

export type ReplayVerdict = { result: 'matches'; runs: number; events: number } | { result: 'diverged'; runId: string | null; message: string } | { result: 'unreadable'; message: string };

let bundle: Promise<{ code: string }> | null = null;

/** The current workflow code, bundled once per process (or read from a prebuilt bundle). */
function workflowBundle(prebuilt: string | undefined): Promise<{ code: string }> {
  bundle ??= prebuilt
    ? readFile(prebuilt, 'utf8').then((code) => ({ code }))
    : bundleWorkflowCode({ workflowsPath: WORKFLOWS_PATH, logger: { log: () => undefined, info: () => undefined, warn: () => undefined, error: () => undefined, debug: () => undefined, trace: () => undefined } });
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
    const next = last?.eventType === 'EVENT_TYPE_WORKFLOW_EXECUTION_CONTINUED_AS_NEW' ? (last.workflowExecutionContinuedAsNewEventAttributes as { newExecutionRunId?: string } | undefined)?.newExecutionRunId : undefined;
    if (!next || !firstRunId) break;
    runId = next;
  }
  return runs;
}

/** Replays histories through today's workflow code: "matches", or exactly where it diverges. */
export async function verifyReplay(histories: { runId: string | null; history: unknown }[], prebuiltBundle?: string): Promise<ReplayVerdict> {
  const code = await workflowBundle(prebuiltBundle);
  let events = 0;
  for (const { runId, history } of histories) {
    let parsed;
    try {
      parsed = historyFromJSON(history);
    } catch (err) {
      return { result: 'unreadable', message: `not a Temporal history: ${(err as Error).message}` };
    }
    if (!parsed.events?.length || !parsed.events[0].workflowExecutionStartedEventAttributes) return { result: 'unreadable', message: 'the history does not begin with a workflow start' };
    events += parsed.events.length;
    try {
      await Worker.runReplayHistory({ workflowBundle: code, replayName: 'audit-replay' }, parsed, runId ?? undefined);
    } catch (err) {
      return { result: 'diverged', runId, message: (err as Error).message };
    }
  }
  return { result: 'matches', runs: histories.length, events };
}
