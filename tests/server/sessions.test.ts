import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { randomUUID } from 'node:crypto';
import { hashPassword } from '../../server/auth';
import { startProduct, type Product } from '../support/product';
import { startApiReplica, type ApiReplica } from '../support/replica';

/**
 * Sessions: revocation reaches every API replica at once, logout-everywhere, Secure cookies in
 * production, expired sessions purged, login throttled per user and per address, security headers.
 */
describe('sessions', () => {
  let product: Product;
  let replica: ApiReplica;
  let password: string;

  beforeAll(async () => {
    product = await startProduct();
    replica = await startApiReplica(product.temporal);
    password = await hashPassword('s3cret-pass');
  });
  afterAll(async () => {
    await replica.stop();
    await product.stop();
  });

  /** A fresh rep per test: deactivating or throttling a demo user would disturb other suites. */
  async function newUser(): Promise<{ id: string; username: string }> {
    const id = `u-${randomUUID().slice(0, 12)}`;
    await product.pool.query(
      "INSERT INTO users (id, username, display_name, password_hash, role, department_id) VALUES ($1, $2, $2, $3, 'rep', 'after_sales')",
      [id, id, password],
    );
    return { id, username: id };
  }
  const call = (base: string, method: string, path: string, opts: { token?: string; body?: unknown; headers?: Record<string, string> } = {}) =>
    fetch(base + path, {
      method,
      headers: {
        ...(opts.token ? { authorization: `Bearer ${opts.token}` } : {}),
        ...(opts.body !== undefined ? { 'content-type': 'application/json' } : {}),
        ...(opts.headers ?? {}),
      },
      body: opts.body !== undefined ? JSON.stringify(opts.body) : undefined,
    });
  const login = async (base: string, username: string, pass = 's3cret-pass', headers: Record<string, string> = {}) =>
    call(base, 'POST', '/api/auth/login', { body: { username, password: pass }, headers });
  const tokenOf = async (res: Response) => ((await res.json()) as { token: string }).token;
  const me = (base: string, token: string) => call(base, 'GET', '/api/auth/me', { token }).then((r) => r.status);

  it('a deactivated user loses access on every replica at once', async () => {
    const user = await newUser();
    const token = await tokenOf(await login(product.url, user.username));
    // Both replicas have served the session (a cache, if any, now holds it).
    expect([await me(product.url, token), await me(replica.url, token)]).toEqual([200, 200]);
    await product.pool.query('UPDATE users SET active = false WHERE id = $1', [user.id]);
    expect([await me(replica.url, token), await me(product.url, token)]).toEqual([401, 401]);
  });

  it('a logout on one replica ends the session on the others at once', async () => {
    const user = await newUser();
    const token = await tokenOf(await login(product.url, user.username));
    expect(await me(replica.url, token)).toBe(200);
    expect((await call(product.url, 'POST', '/api/auth/logout', { token })).status).toBe(200);
    expect(await me(replica.url, token)).toBe(401);
  });

  it('the inbox, which starts before its session check answers, still refuses a session ended on another replica', async () => {
    const user = await newUser();
    const token = await tokenOf(await login(product.url, user.username));
    const inbox = async (base: string) => (await call(base, 'GET', '/api/inbox', { token })).status;
    // Both replicas now remember the token's user: the next read starts on that guess.
    expect([await inbox(product.url), await inbox(replica.url)]).toEqual([200, 200]);
    expect((await call(product.url, 'POST', '/api/auth/logout', { token })).status).toBe(200);
    expect([await inbox(replica.url), await inbox(product.url)]).toEqual([401, 401]);
  });

  it("logout-everywhere ends every session of the user and no one else's", async () => {
    const [user, other] = [await newUser(), await newUser()];
    const tokens = [await tokenOf(await login(product.url, user.username)), await tokenOf(await login(replica.url, user.username))];
    const otherToken = await tokenOf(await login(product.url, other.username));
    const res = await call(replica.url, 'POST', '/api/auth/logout-everywhere', { token: tokens[0] });
    expect({ status: res.status, body: await res.json() }).toEqual({ status: 200, body: { ok: true, sessionsEnded: 2 } });
    expect([await me(product.url, tokens[0]), await me(product.url, tokens[1]), await me(replica.url, tokens[1])]).toEqual([401, 401, 401]);
    expect(await me(product.url, otherToken)).toBe(200);
    const audit = await product.pool.query("SELECT 1 FROM audit_log WHERE action = 'logged_out_everywhere' AND actor_id = $1", [user.id]);
    expect(audit.rowCount).toBe(1);
  });

  it('expired sessions are purged when anyone logs in', async () => {
    const user = await newUser();
    const stale = `stale-${randomUUID()}`;
    await product.pool.query("INSERT INTO sessions (token_hash, user_id, expires_at) VALUES ($1, $2, now() - interval '1 minute')", [stale, user.id]);
    expect((await login(product.url, user.username)).status).toBe(200);
    expect((await product.pool.query('SELECT 1 FROM sessions WHERE token_hash = $1', [stale])).rowCount).toBe(0);
  });

  it('the session cookie is Secure in production and not in the embedded http demo', async () => {
    const user = await newUser();
    const embedded = (await login(product.url, user.username)).headers.get('set-cookie') ?? '';
    expect(embedded).toMatch(/^session=/);
    expect(embedded).toMatch(/HttpOnly/);
    expect(embedded).not.toMatch(/Secure/);
    // Its own secret, so its own anchor file: checkpoints signed with another key would read as forged in the suite's.
    const anchorFile = path.join(mkdtempSync(path.join(os.tmpdir(), 'retention-anchor-')), 'audit-anchor.jsonl');
    const production = await startApiReplica(
      product.temporal,
      { LINK_SECRET: randomUUID() + randomUUID(), PUBLIC_URL: 'https://retention.example.org', AUDIT_ANCHOR_FILE: anchorFile },
      'production',
    );
    try {
      const cookie = (await login(production.url, user.username)).headers.get('set-cookie') ?? '';
      expect(cookie).toMatch(/; Secure/);
      expect(cookie).toMatch(/SameSite=Lax/);
    } finally {
      await production.stop();
    }
  });

  describe('login throttling', () => {
    // Behind a proxy (TRUST_PROXY) the address is the client's, so this suite's callers get their own.
    let proxied: ApiReplica;
    let proxiedToo: ApiReplica;
    const limits = { TRUST_PROXY: 'true', LOGIN_MAX_FAILURES_PER_USER: '3', LOGIN_MAX_FAILURES_PER_ADDRESS: '6' };
    beforeAll(async () => {
      [proxied, proxiedToo] = [await startApiReplica(product.temporal, limits), await startApiReplica(product.temporal, limits)];
    });
    afterAll(async () => {
      await proxied.stop();
      await proxiedToo.stop();
    });
    const from = (address: string) => ({ 'x-forwarded-for': address });
    let n = 0;
    const address = () => `203.0.113.${++n}`;

    it('refuses a user after repeated failures with 429, Retry-After and too_many_attempts, even with the right password', async () => {
      const user = await newUser();
      for (let i = 0; i < 3; i++) expect((await login(proxied.url, user.username, 'wrong', from(address()))).status).toBe(401);
      const refused = await login(proxied.url, user.username, 's3cret-pass', from(address()));
      const body = (await refused.json()) as { error: { code: string; message: string } };
      expect({ status: refused.status, code: body.error.code }).toEqual({ status: 429, code: 'too_many_attempts' });
      expect(Number(refused.headers.get('retry-after'))).toBeGreaterThan(0);
      expect(body.error.message).toMatch(/try again in \d+ s/);
      // Counted in PostgreSQL: another replica refuses too.
      expect((await login(proxiedToo.url, user.username, 's3cret-pass', from(address()))).status).toBe(429);
      // Someone else is not affected.
      expect((await login(proxied.url, (await newUser()).username, 's3cret-pass', from(address()))).status).toBe(200);
    });

    it("a success forgets the user's earlier failures", async () => {
      const user = await newUser();
      const at = address();
      for (let i = 0; i < 2; i++) expect((await login(proxied.url, user.username, 'wrong', from(at))).status).toBe(401);
      expect((await login(proxied.url, user.username, 's3cret-pass', from(at))).status).toBe(200);
      for (let i = 0; i < 2; i++) expect((await login(proxied.url, user.username, 'wrong', from(address()))).status).toBe(401);
      expect((await login(proxied.url, user.username, 's3cret-pass', from(address()))).status).toBe(200);
    });

    it('refuses an address that sprays many usernames', async () => {
      const sprayer = address();
      for (let i = 0; i < 6; i++) expect((await login(proxied.url, `nobody-${randomUUID()}`, 'guess', from(sprayer))).status).toBe(401);
      const refused = await login(proxied.url, (await newUser()).username, 's3cret-pass', from(sprayer));
      expect(refused.status).toBe(429);
      expect(((await refused.json()) as { error: { code: string } }).error.code).toBe('too_many_attempts');
      expect((await login(proxied.url, (await newUser()).username, 's3cret-pass', from(address()))).status).toBe(200);
    });
  });

  it('every answer carries the security headers (CSP with frame-ancestors, nosniff, referrer policy)', async () => {
    for (const path of ['/api/auth/me', '/api/no-such-route', '/healthz', '/r/not-a-token']) {
      const res = await fetch(product.url + path);
      const csp = res.headers.get('content-security-policy') ?? '';
      expect({ path, csp }).toEqual({ path, csp: expect.stringContaining("frame-ancestors 'none'") });
      expect(csp).toContain("script-src 'self'");
      expect(csp).toContain("default-src 'self'");
      expect(res.headers.get('x-content-type-options')).toBe('nosniff');
      expect(res.headers.get('referrer-policy')).toBe('no-referrer');
      expect(res.headers.get('x-frame-options')).toBe('DENY');
    }
  });
});
