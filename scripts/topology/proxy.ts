import http from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * A tiny round-robin load balancer in front of the API replicas, as a production one would be: each
 * request goes to the next replica; a replica that refuses the connection (it is down) is skipped and
 * the request goes to the other, which is safe because a refused request never arrived. A replica that
 * dies mid-request gets the client a 503 with Retry-After (the client retries with its Idempotency-Key).
 * It remembers which replica answered each Idempotency-Key, so a repeat can be sent to the other one.
 */
export interface Upstream {
  name: string;
  port: number;
}

export class RoundRobinProxy {
  private server: http.Server | null = null;
  private next = 0;
  /** Idempotency-Key → the replica that answered it first. */
  readonly servedBy = new Map<string, string>();
  readonly byUpstream = new Map<string, number>();
  readonly failovers: string[] = [];
  port = 0;

  constructor(private readonly upstreams: Upstream[]) {}

  async listen(): Promise<number> {
    this.server = http.createServer((req, res) => void this.handle(req, res));
    // SSE streams stay open for minutes.
    this.server.requestTimeout = 0;
    this.server.headersTimeout = 60_000;
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    this.port = (this.server.address() as AddressInfo).port;
    return this.port;
  }

  get url(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  private async handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const body = Buffer.concat(chunks);
    const start = this.next++ % this.upstreams.length;
    for (let i = 0; i < this.upstreams.length; i++) {
      const upstream = this.upstreams[(start + i) % this.upstreams.length];
      const outcome = await this.forward(upstream, req, body, res);
      if (outcome === 'answered') {
        this.byUpstream.set(upstream.name, (this.byUpstream.get(upstream.name) ?? 0) + 1);
        const key = req.headers['idempotency-key'];
        if (typeof key === 'string' && !this.servedBy.has(key)) this.servedBy.set(key, upstream.name);
        return;
      }
      if (outcome === 'broken') return;
      this.failovers.push(`${req.method} ${req.url}: ${upstream.name} refused the connection`);
    }
    res.writeHead(503, { 'content-type': 'application/json', 'retry-after': '1' });
    res.end(JSON.stringify({ error: { code: 'upstream_unavailable', message: 'no API replica answered', details: {} } }));
  }

  /** 'refused': the replica is down (try another); 'broken': it died mid-request (503 sent); 'answered'. */
  private forward(upstream: Upstream, req: http.IncomingMessage, body: Buffer, res: http.ServerResponse): Promise<'answered' | 'refused' | 'broken'> {
    return new Promise((resolve) => {
      const headers = { ...req.headers, host: `127.0.0.1:${upstream.port}`, 'x-forwarded-for': req.socket.remoteAddress ?? '127.0.0.1' };
      const out = http.request({ host: '127.0.0.1', port: upstream.port, method: req.method, path: req.url, headers }, (answer) => {
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(res);
        answer.once('error', () => res.destroy());
        res.once('close', () => answer.destroy());
        resolve('answered');
      });
      out.once('error', (err: NodeJS.ErrnoException) => {
        if (err.code === 'ECONNREFUSED') return resolve('refused');
        if (!res.headersSent) {
          res.writeHead(503, { 'content-type': 'application/json', 'retry-after': '1' });
          res.end(JSON.stringify({ error: { code: 'upstream_unavailable', message: `${upstream.name}: ${err.code ?? err.message}`, details: {} } }));
        } else res.destroy();
        resolve('broken');
      });
      out.end(body);
    });
  }

  async close(): Promise<void> {
    if (!this.server) return;
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server!.close(() => resolve()));
  }
}
