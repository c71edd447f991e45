import { createHash, randomUUID } from 'node:crypto';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import express from 'express';
import pino from 'pino';
import type { Pool } from 'pg';
import { z } from 'zod';
import { createPool } from '../../platform/db/pool';
import { sessionResolver } from '../../server/auth';
import { errorHandler } from '../../server/errors';
import { mount, route, type SessionUser } from '../../server/http';
import { env } from '../support/product';

/**
 * A GET declared `sessionCheck: 'alongside'` starts as the user its token had last time while
 * PostgreSQL checks the session again (server/http.ts mount): the answer waits for the check and
 * goes out only for the very user it found. So a revoked session or a changed role is honoured on
 * the very next request, as when the check comes first.
 */
describe('session checked alongside a read-only route', () => {
  let pool: Pool;
  let server: Server;
  let base: string;
  /** Who each run of the handler ran as, in order. */
  const ranAs: string[] = [];

  beforeAll(async () => {
    pool = createPool(env().databaseUrl, 4);
    const app = express();
    const router = express.Router();
    const whoami = (path: string, access: 'signed_in' | readonly ['rep']) =>
      route({
        method: 'get',
        path,
        summary: 'Who the route ran as',
        tag: 'test',
        access,
        sessionCheck: 'alongside',
        response: z.object({ id: z.string(), role: z.string() }),
        async handle({ user }: { user: SessionUser }) {
          ranAs.push(`${user.id}:${user.role}`);
          return { id: user.id, role: user.role };
        },
      });
    mount(router, [whoami('/whoami', 'signed_in'), whoami('/reps-only', ['rep'])], sessionResolver(pool), pool);
    app.use(router);
    app.use(errorHandler(pino({ level: 'silent' })));
    server = app.listen(0, '127.0.0.1');
    await new Promise((r) => server.once('listening', r));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    await new Promise((r) => server.close(r));
    await pool.end();
  });

  async function newSession(): Promise<{ userId: string; token: string }> {
    const userId = `u-${randomUUID().slice(0, 12)}`;
    const token = randomUUID();
    await pool.query("INSERT INTO users (id, username, display_name, password_hash, role, department_id) VALUES ($1, $1, $1, 'x', 'rep', 'after_sales')", [
      userId,
    ]);
    const tokenHash = createHash('sha256').update(token).digest('hex');
    await pool.query("INSERT INTO sessions (token_hash, user_id, expires_at) VALUES ($1, $2, now() + interval '1 hour')", [tokenHash, userId]);
    return { userId, token };
  }
  const get = async (path: string, token: string) => {
    const res = await fetch(base + path, { headers: { authorization: `Bearer ${token}` } });
    return { status: res.status, body: (await res.json()) as Record<string, unknown> };
  };

  it('answers for the checked user; a logout is honoured on the next request although the route already ran', async () => {
    const { userId, token } = await newSession();
    ranAs.length = 0;
    // The first request has nothing remembered: checked first, as every other route.
    expect(await get('/whoami', token)).toEqual({ status: 200, body: { id: userId, role: 'rep' } });
    expect(await get('/whoami', token)).toEqual({ status: 200, body: { id: userId, role: 'rep' } });
    expect(ranAs).toEqual([`${userId}:rep`, `${userId}:rep`]);
    await pool.query('DELETE FROM sessions WHERE user_id = $1', [userId]);
    const after = await get('/whoami', token);
    expect({ status: after.status, code: (after.body.error as { code: string }).code }).toEqual({ status: 401, code: 'unauthenticated' });
    // It did start as the remembered user, and that answer was thrown away.
    expect(ranAs).toEqual([`${userId}:rep`, `${userId}:rep`, `${userId}:rep`]);
    // Forgotten with the session: the next request is checked first again and never runs the route.
    expect((await get('/whoami', token)).status).toBe(401);
    expect(ranAs).toHaveLength(3);
  });

  it('a deactivated user gets 401 at once', async () => {
    const { userId, token } = await newSession();
    expect((await get('/whoami', token)).status).toBe(200);
    await pool.query('UPDATE users SET active = false WHERE id = $1', [userId]);
    expect((await get('/whoami', token)).status).toBe(401);
  });

  it('a changed role runs the route again as the user now is, and its role check applies', async () => {
    const { userId, token } = await newSession();
    expect((await get('/reps-only', token)).status).toBe(200);
    ranAs.length = 0;
    await pool.query("UPDATE users SET role = 'department_head' WHERE id = $1", [userId]);
    expect(await get('/whoami', token)).toEqual({ status: 200, body: { id: userId, role: 'department_head' } });
    expect(ranAs).toEqual([`${userId}:rep`, `${userId}:department_head`]);
    await pool.query("UPDATE users SET role = 'rep' WHERE id = $1", [userId]);
    expect((await get('/reps-only', token)).status).toBe(200);
    await pool.query("UPDATE users SET role = 'auditor' WHERE id = $1", [userId]);
    const refused = await get('/reps-only', token);
    expect({ status: refused.status, code: (refused.body.error as { code: string }).code }).toEqual({ status: 403, code: 'forbidden' });
  });

  it('is refused at mount for anything but a signed-in GET answering JSON', () => {
    const handle = async () => ({});
    const base = { summary: 'x', tag: 'test', sessionCheck: 'alongside' as const, handle };
    const refused = (def: Parameters<typeof route>[0]) => () => mount(express.Router(), [route(def)], sessionResolver(pool));
    expect(refused({ ...base, method: 'post', path: '/p', access: 'signed_in', response: z.object({}) })).toThrow(/only a signed-in GET/);
    expect(refused({ ...base, method: 'get', path: '/g', access: 'signed_in' })).toThrow(/only a signed-in GET/);
    expect(refused({ ...base, method: 'get', path: '/g', access: 'public', response: z.object({}) })).toThrow(/only a signed-in GET/);
  });
});
