import { isDeepStrictEqual } from 'node:util';
import { ApiClient, type ApiAnswer, type RequestStats } from '../chaos/client';
import type { RoundRobinProxy, Upstream } from './proxy';

/**
 * What the topology run watches besides the chaos campaign's own checks: live inbox streams held open
 * on each API replica, every idempotent request repeated on the other replica, and every completion's
 * time window (so a stream that was open throughout it must have carried the change).
 */

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export interface TaskEvent {
  id: string;
  status: string;
  op: string;
  at: number;
}

/** One SSE connection to /api/inbox/events on one replica; reopened by the caller after a kill. */
export class LiveStream {
  readonly events: TaskEvent[] = [];
  /** When each connection was ready and when it ended (null: still open). */
  readonly windows: { readyAt: number; closedAt: number | null }[] = [];
  private abort: AbortController | null = null;

  constructor(
    readonly replica: Upstream,
    private readonly token: string,
  ) {}

  /** Connects and resolves once the server said `ready` (it listens from then on). */
  async open(timeoutMs = 30_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      try {
        await this.connect();
        return;
      } catch (err) {
        if (Date.now() > deadline) throw new Error(`live stream on ${this.replica.name} did not open: ${String(err)}`, { cause: err });
        await sleep(500);
      }
    }
  }

  private async connect(): Promise<void> {
    this.abort = new AbortController();
    const res = await fetch(`http://127.0.0.1:${this.replica.port}/api/inbox/events`, {
      headers: { authorization: `Bearer ${this.token}`, accept: 'text/event-stream' },
      signal: this.abort.signal,
    });
    if (res.status !== 200 || !res.body) throw new Error(`answered ${res.status}`);
    const reader = res.body.getReader();
    const decoder = new TextDecoder();
    let buffer = '';
    let window: { readyAt: number; closedAt: number | null } | null = null;
    await new Promise<void>((resolve, reject) => {
      const pump = async () => {
        try {
          for (;;) {
            const { value, done } = await reader.read();
            if (done) break;
            buffer += decoder.decode(value, { stream: true });
            let cut: number;
            while ((cut = buffer.indexOf('\n\n')) >= 0) {
              const frame = buffer.slice(0, cut);
              buffer = buffer.slice(cut + 2);
              const event = /^event: (.*)$/m.exec(frame)?.[1];
              const data = /^data: (.*)$/m.exec(frame)?.[1];
              if (event === 'ready' && !window) {
                window = { readyAt: Date.now(), closedAt: null };
                this.windows.push(window);
                resolve();
              } else if (event === 'task' && data) {
                const change = JSON.parse(data) as { id: string; status: string; op: string };
                this.events.push({ id: change.id, status: change.status, op: change.op, at: Date.now() });
              }
            }
          }
        } catch {
          // the replica died or we closed it
        }
        if (window) window.closedAt = Date.now();
        else reject(new Error('the stream ended before it was ready'));
      };
      void pump();
    });
  }

  /** Whether the stream was connected for the whole of [from, to]. */
  coveredThroughout(from: number, to: number): boolean {
    return this.windows.some((w) => w.readyAt <= from && (w.closedAt === null || w.closedAt >= to));
  }

  saw(taskId: string, status: string): boolean {
    return this.events.some((e) => e.id === taskId && e.status === status);
  }

  close(): void {
    this.abort?.abort();
  }
}

export interface Completion {
  taskId: string;
  sentAt: number;
  answeredAt: number;
  status: number;
}

export interface Repeat {
  request: string;
  firstBy: string;
  repeatBy: string;
  ok: boolean;
  detail: string;
}

/**
 * The campaign's client (retries with the same Idempotency-Key, through the load balancer), which
 * also repeats every accepted idempotent request once more on the replica that did not answer it and
 * checks the repeat gets the first answer (same status and body, Idempotent-Replayed: true).
 */
export class TopologyClient extends ApiClient {
  readonly completions: Completion[] = [];
  readonly repeats: Repeat[] = [];

  constructor(
    private readonly proxy: RoundRobinProxy,
    stats: RequestStats,
    private readonly replicas: Upstream[],
    opts: ConstructorParameters<typeof ApiClient>[2],
  ) {
    super(proxy.url, stats, opts);
  }

  override async call<T = Record<string, unknown>>(
    method: string,
    path: string,
    opts: { token?: string; body?: unknown; idempotencyKey?: string; attempt?: string } = {},
  ): Promise<ApiAnswer<T>> {
    const sentAt = Date.now();
    const answer = await super.call<T>(method, path, opts);
    const completed = /^\/api\/tasks\/([^/]+)\/complete$/.exec(path);
    if (completed) this.completions.push({ taskId: completed[1], sentAt, answeredAt: Date.now(), status: answer.status });
    if (method === 'POST' && opts.idempotencyKey && answer.status >= 200 && answer.status < 300) await this.repeat(method, path, opts, answer);
    return answer;
  }

  private async repeat(method: string, path: string, opts: { token?: string; body?: unknown; idempotencyKey?: string }, first: ApiAnswer<unknown>) {
    const firstBy = this.proxy.servedBy.get(opts.idempotencyKey!) ?? '?';
    const others = [...this.replicas.filter((r) => r.name !== firstBy), ...this.replicas.filter((r) => r.name === firstBy)];
    const deadline = Date.now() + 60_000;
    for (let i = 0; ; i++) {
      const replica = others[i % others.length];
      try {
        const res = await fetch(`http://127.0.0.1:${replica.port}${path}`, {
          method,
          headers: {
            'content-type': 'application/json',
            'idempotency-key': opts.idempotencyKey!,
            ...(opts.token ? { authorization: `Bearer ${opts.token}` } : {}),
          },
          body: JSON.stringify(opts.body),
          signal: AbortSignal.timeout(30_000),
        });
        const text = await res.text();
        if (res.status === 503 && Date.now() < deadline) throw new Error('503');
        const body: unknown = text ? JSON.parse(text) : {};
        const replayed = res.headers.get('idempotent-replayed') === 'true';
        const same = res.status === first.status && isDeepStrictEqual(body, first.body);
        this.repeats.push({
          request: `${method} ${path}`,
          firstBy,
          repeatBy: replica.name,
          ok: same && replayed,
          detail:
            same && replayed ? 'replayed' : `repeat answered ${res.status}${replayed ? ' (replayed)' : ' without Idempotent-Replayed'}: ${text.slice(0, 200)}`,
        });
        return;
      } catch (err) {
        if (Date.now() > deadline) {
          this.repeats.push({ request: `${method} ${path}`, firstBy, repeatBy: replica.name, ok: false, detail: `no answer to the repeat: ${String(err)}` });
          return;
        }
        await sleep(500);
      }
    }
  }
}

export interface TabCounts {
  all: number;
  mine: number;
  queue: number;
  overdue: number;
  snoozed: number;
}

export async function countsOn(replica: Upstream, token: string): Promise<TabCounts> {
  const res = await fetch(`http://127.0.0.1:${replica.port}/api/inbox?limit=1`, { headers: { authorization: `Bearer ${token}` } });
  if (res.status !== 200) throw new Error(`GET /api/inbox on ${replica.name} answered ${res.status}: ${(await res.text()).slice(0, 200)}`);
  return ((await res.json()) as { counts: TabCounts }).counts;
}
