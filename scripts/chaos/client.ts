import { randomUUID } from 'node:crypto';

/**
 * The campaign's HTTP client: retries on 5xx and connection errors with backoff, the same
 * Idempotency-Key on every retry of one logical request, and every answer counted by status.
 */

export interface ServerError {
  at: number;
  request: string;
  /** Which attempt sent it (index and scripted path), when one did. */
  attempt: string | null;
  status: number;
  body: string;
  /** The faults in progress or just finished when it happened. */
  faults: string;
}

export class RequestStats {
  readonly byStatus = new Map<string, number>();
  readonly serverErrors: ServerError[] = [];
  count(key: string): void {
    this.byStatus.set(key, (this.byStatus.get(key) ?? 0) + 1);
  }
}

export interface ApiAnswer<T> {
  status: number;
  body: T;
  /** How many times it was sent. */
  tries: number;
  /** A previous try ended without a definitive answer (connection error, timeout, 5xx): the request may have been applied. */
  uncertain: boolean;
}

export class GaveUp extends Error {}

const RETRY_STATUSES = new Set([500, 502, 503, 504, 429]);

export class ApiClient {
  constructor(
    private readonly baseUrl: string,
    readonly stats: RequestStats,
    private readonly opts: { faultsNow: () => string; requestTimeoutMs?: number; giveUpAfterMs?: number; signal?: AbortSignal },
  ) {}

  /**
   * Send until a definitive answer (anything but 5xx, 429 and connection errors) or `giveUpAfterMs`.
   * Mutating calls pass an idempotency key: the same one on every retry.
   */
  async call<T = Record<string, unknown>>(
    method: string,
    path: string,
    opts: { token?: string; body?: unknown; idempotencyKey?: string; attempt?: string } = {},
  ): Promise<ApiAnswer<T>> {
    const started = Date.now();
    const giveUpAfter = this.opts.giveUpAfterMs ?? 240_000;
    let uncertain = false;
    let lastProblem = '';
    for (let tries = 1; ; tries++) {
      if (this.opts.signal?.aborted) throw new GaveUp(`${method} ${path}: campaign aborted`);
      const headers: Record<string, string> = {};
      if (opts.token) headers.authorization = `Bearer ${opts.token}`;
      if (opts.body !== undefined) headers['content-type'] = 'application/json';
      if (opts.idempotencyKey) headers['idempotency-key'] = opts.idempotencyKey;
      let status = 0;
      let text = '';
      try {
        const res = await fetch(this.baseUrl + path, {
          method,
          headers,
          body: opts.body === undefined ? undefined : JSON.stringify(opts.body),
          signal: AbortSignal.timeout(this.opts.requestTimeoutMs ?? 60_000),
        });
        status = res.status;
        text = await res.text();
      } catch (err) {
        const key = errorKey(err);
        this.stats.count(key);
        lastProblem = key;
        // A request that reached the server may have been applied before the connection broke.
        uncertain = uncertain || key !== 'ECONNREFUSED';
      }
      if (status) {
        this.stats.count(String(status));
        if (status === 500 || status === 502 || status === 504) {
          this.stats.serverErrors.push({
            at: Date.now(),
            request: `${method} ${path}`,
            attempt: opts.attempt ?? null,
            status,
            body: text.slice(0, 500),
            faults: this.opts.faultsNow(),
          });
        }
        if (!RETRY_STATUSES.has(status)) {
          let body: unknown;
          try {
            body = text ? JSON.parse(text) : {};
          } catch {
            body = { raw: text };
          }
          return { status, body: body as T, tries, uncertain };
        }
        lastProblem = `${status} ${text.slice(0, 200)}`;
        // A 503 may come after the effect (e.g. a deadline ran out while the workflow applied it).
        uncertain = true;
      }
      if (Date.now() - started > giveUpAfter)
        throw new GaveUp(
          `${method} ${path}: no definitive answer after ${tries} tries in ${Math.round((Date.now() - started) / 1000)} s (last: ${lastProblem})`,
        );
      await new Promise((r) => setTimeout(r, Math.min(4000, 200 * 2 ** Math.min(tries, 5)) * (0.75 + Math.random() * 0.5)));
    }
  }

  newKey(): string {
    return randomUUID();
  }
}

function errorKey(err: unknown): string {
  const e = err as { name?: string; code?: string; cause?: { code?: string; name?: string } };
  if (e?.name === 'TimeoutError' || e?.name === 'AbortError') return 'timeout';
  const code = e?.cause?.code ?? e?.code;
  if (code) return String(code);
  return e?.cause?.name ?? e?.name ?? 'network_error';
}
