import { randomUUID } from 'node:crypto';
import { GaveUp, type ApiClient } from './client';
import type { PathName } from './scenario';

/** One recovery attempt as a person would drive it through the API, following its script. */

export interface AttemptScript {
  index: number;
  customerId: string;
  path: PathName;
  /** The rep who works its tasks (user id and username). */
  rep: { id: string; username: string };
}

export interface AttemptRecord {
  script: AttemptScript;
  attemptId: string | null;
  workflowId: string | null;
  /** The outcome the API showed when the run ended. */
  observedOutcome: string | null;
  /** What went wrong while driving it. */
  problems: string[];
  /** Ambiguous answers resolved by reading state (e.g. a 409 on the retry of an applied completion). */
  resolved: string[];
  startedAt: number;
  endedAt: number | null;
}

export interface DriverContext {
  client: ApiClient;
  tokens: Record<string, string>;
  playbookKey: string;
  signal: AbortSignal;
  /** How long to wait for a task, a step or the run's end before calling it lost. */
  waitTimeoutMs: number;
}

interface ErrorBody {
  error?: { code?: string; message?: string; details?: { attemptId?: string | null } };
}
interface InboxTask {
  id: string;
  attemptId: string;
  nodeId: string;
  status: string;
  escalation: unknown;
}
interface RunRow {
  id: string;
  workflowId: string;
  status: string;
  outcome: string | null;
  currentNodeIds: string[];
}

class ScriptFailure extends Error {}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const brief = (body: unknown) => JSON.stringify(body).slice(0, 300);

export async function driveAttempt(ctx: DriverContext, script: AttemptScript): Promise<AttemptRecord> {
  const record: AttemptRecord = {
    script,
    attemptId: null,
    workflowId: null,
    observedOutcome: null,
    problems: [],
    resolved: [],
    startedAt: Date.now(),
    endedAt: null,
  };
  const { tokens } = ctx;
  const tag = `#${script.index} ${script.path}`;
  const client = {
    call: <T>(method: string, url: string, opts: Parameters<ApiClient['call']>[2] = {}) => ctx.client.call<T>(method, url, { ...opts, attempt: tag }),
  };

  async function poll<T>(what: string, check: () => Promise<T | null>): Promise<T> {
    const deadline = Date.now() + ctx.waitTimeoutMs;
    for (;;) {
      const value = await check();
      if (value) return value;
      if (ctx.signal.aborted) throw new ScriptFailure(`aborted while waiting for ${what}`);
      if (Date.now() > deadline) throw new ScriptFailure(`gave up waiting ${Math.round(ctx.waitTimeoutMs / 1000)} s for ${what}`);
      await sleep(700 + Math.random() * 600);
    }
  }

  const runs = async (): Promise<RunRow[]> => {
    const res = await client.call<{ runs: RunRow[] }>('GET', `/api/runs?customerId=${encodeURIComponent(script.customerId)}`, { token: tokens.olga });
    if (res.status !== 200) throw new ScriptFailure(`GET /api/runs answered ${res.status}: ${brief(res.body)}`);
    return res.body.runs;
  };

  async function start(): Promise<void> {
    const res = await client.call<{ id: string; workflowId: string } & ErrorBody>('POST', '/api/runs', {
      token: tokens.olga,
      body: { playbookKey: ctx.playbookKey, customerId: script.customerId, variables: { path: script.path } },
      idempotencyKey: randomUUID(),
    });
    if (res.status === 201 || res.status === 200) {
      record.attemptId = res.body.id;
      record.workflowId = res.body.workflowId;
      return;
    }
    if (res.status === 409 && res.body.error?.code === 'attempt_already_running' && res.uncertain) {
      // The first try started it and its answer was lost: adopt that attempt.
      record.resolved.push(`start: 409 attempt_already_running after ${res.tries} tries; adopted the running attempt`);
      const adopted = res.body.error.details?.attemptId ?? (await poll('the adopted attempt to be listed', async () => (await runs())[0]?.id ?? null));
      record.attemptId = adopted;
      return;
    }
    throw new ScriptFailure(`start answered ${res.status} after ${res.tries} tries: ${brief(res.body)}`);
  }

  const inboxTask = (username: string, pick: (t: InboxTask) => boolean) =>
    poll(`a ${script.path} task in ${username}'s inbox`, async () => {
      const res = await client.call<{ tasks: InboxTask[] }>('GET', `/api/inbox?customerId=${encodeURIComponent(script.customerId)}&limit=50`, {
        token: tokens[username],
      });
      if (res.status !== 200) throw new ScriptFailure(`GET /api/inbox answered ${res.status}: ${brief(res.body)}`);
      return res.body.tasks.find((t) => t.attemptId === record.attemptId && pick(t)) ?? null;
    });

  async function complete(username: string, userId: string, task: InboxTask, outcome: string, form: Record<string, string>): Promise<void> {
    const res = await client.call<ErrorBody>('POST', `/api/tasks/${task.id}/complete`, {
      token: tokens[username],
      body: { outcome, form },
      idempotencyKey: randomUUID(),
    });
    if (res.status === 200) return;
    const code = res.body.error?.code;
    if (res.status === 409 && res.uncertain && (code === 'task_not_open' || code === 'run_not_running')) {
      // Applied by an earlier try, or refused? Only the task's row can tell.
      const closed = await poll(`task ${task.id} to close`, async () => {
        const read = await client.call<{ task: { status: string; outcome: string | null; completedBy: string | null } }>('GET', `/api/tasks/${task.id}`, {
          token: tokens[username],
        });
        return read.status === 200 && read.body.task.status !== 'open' ? read.body.task : null;
      });
      if (closed.status === 'completed' && closed.outcome === outcome && closed.completedBy === userId) {
        record.resolved.push(
          `complete ${task.nodeId}${task.escalation ? ' (escalation)' : ''}: 409 ${code} after ${res.tries} tries; the earlier try had applied it`,
        );
        return;
      }
      throw new ScriptFailure(
        `complete ${task.nodeId}: 409 ${code} after ${res.tries} tries and the task is ${closed.status}/${closed.outcome} by ${closed.completedBy}`,
      );
    }
    throw new ScriptFailure(
      `complete ${task.nodeId}${task.escalation ? ' (escalation)' : ''} answered ${res.status} after ${res.tries} tries: ${brief(res.body)}`,
    );
  }

  async function answer(kind: string): Promise<void> {
    await poll('the run to wait for the answer', async () => {
      const run = (await runs()).find((r) => r.id === record.attemptId);
      return run && (run.currentNodeIds.includes('wait_answer') || run.status !== 'running') ? run : null;
    });
    const res = await client.call<ErrorBody>('POST', `/api/runs/${record.attemptId}/responses`, {
      token: tokens[script.rep.username],
      body: { kind, channel: 'phone', note: `chaos attempt ${script.index}`, responseId: `chaos-${script.customerId}-${kind}` },
      idempotencyKey: randomUUID(),
    });
    if (res.status === 202 || res.status === 200) return;
    if (res.status === 409 && res.uncertain && res.body.error?.code === 'run_not_running') {
      record.resolved.push(`answer: 409 run_not_running after ${res.tries} tries; the earlier try had ended the run`);
      return;
    }
    throw new ScriptFailure(`answer ${kind} answered ${res.status} after ${res.tries} tries: ${brief(res.body)}`);
  }

  try {
    await start();
    const rep = script.rep;
    switch (script.path) {
      case 'callback_reached':
      case 'callback_unreachable': {
        const task = await inboxTask(rep.username, (t) => t.nodeId === 'call');
        await complete(rep.username, rep.id, task, script.path === 'callback_reached' ? 'reached' : 'unreachable', { notes: `attempt ${script.index}` });
        break;
      }
      case 'answer_accepted':
        await answer('accepted');
        break;
      case 'answer_declined':
        await answer('declined');
        break;
      case 'silence':
        break;
      case 'escalation': {
        const original = await inboxTask(rep.username, (t) => t.nodeId === 'sla_task' && !t.escalation);
        // The rep lets the SLA run out: the head gets the escalation, handles it, then the rep finishes.
        const escalation = await inboxTask('hana', (t) => t.nodeId === 'sla_task' && !!t.escalation);
        await complete('hana', 'u-hana', escalation, 'handled', { escalation_note: `attempt ${script.index}` });
        await complete(rep.username, rep.id, original, 'done', {});
        break;
      }
    }
    const ended = await poll('the run to end', async () => {
      const run = (await runs()).find((r) => r.id === record.attemptId);
      return run && run.status !== 'running' ? run : null;
    });
    record.workflowId = ended.workflowId;
    record.observedOutcome = ended.outcome;
  } catch (err) {
    if (err instanceof ScriptFailure || err instanceof GaveUp) record.problems.push(err.message);
    else record.problems.push(`unexpected: ${String(err)}`);
  }
  record.endedAt = Date.now();
  return record;
}
