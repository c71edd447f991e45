import { createHash, randomBytes } from 'node:crypto';
import bcrypt from 'bcryptjs';
import type { Request } from 'express';
import type { Pool } from 'pg';
import type { z } from 'zod';
import { LoginBody, LoginResponse, LogoutEverywhereResponse, LogoutResponse, MeResponse } from '../contract/auth';
import type { Role } from '../contract/roles';
import type { Config } from '../platform/config';
import { recordAudit } from '../platform/db/audit';
import { ApiError } from './errors';
import { reply, route, type RouteDef, type SessionResolver, type SessionUser } from './http';
import { LoginThrottle } from './loginThrottle';

export const SESSION_COOKIE = 'session';
const hashToken = (token: string) => createHash('sha256').update(token).digest('hex');

export async function hashPassword(password: string): Promise<string> {
  return bcrypt.hash(password, 10);
}

interface UserRow {
  id: string;
  username: string;
  display_name: string;
  role: Role;
  department_id: string | null;
}
const toUser = (r: UserRow): SessionUser => ({ id: r.id, username: r.username, displayName: r.display_name, role: r.role, department: r.department_id });

/** A bearer token wins over the cookie: a script's explicit credential is the one it means. */
export function presentedToken(req: Request): { token: string; via: 'bearer' | 'cookie' } | null {
  const header = req.headers.authorization;
  if (header?.startsWith('Bearer ')) return { token: header.slice(7).trim(), via: 'bearer' };
  const cookie = req.cookies?.[SESSION_COOKIE] as string | undefined;
  return cookie ? { token: cookie, via: 'cookie' } : null;
}

/**
 * Every request looks its session up in PostgreSQL: one primary-key probe joined to the user's
 * primary key. No cache decides anything, so a logout, a logout-everywhere or a deactivated user
 * takes effect at once on every API replica. What the last lookup of a token found is remembered
 * (`remembered`) only as a guess that lets a read-only route start while the lookup runs (see
 * RouteDef.sessionCheck); its answer still waits for the lookup and must match it.
 */
export function sessionResolver(pool: Pool): SessionResolver {
  const seen = new Map<string, SessionUser>();
  const remember = (tokenHash: string, user: SessionUser | null) => {
    seen.delete(tokenHash);
    if (!user) return;
    if (seen.size >= REMEMBERED_SESSIONS) seen.delete(seen.keys().next().value!);
    seen.set(tokenHash, user);
  };
  const resolve = async (req: Request): Promise<SessionUser | null> => {
    const presented = presentedToken(req);
    if (!presented) return null;
    const tokenHash = hashToken(presented.token);
    const { rows } = await pool.query<UserRow>({
      name: 'session_user',
      text: `SELECT u.id, u.username, u.display_name, u.role, u.department_id
               FROM sessions s JOIN users u ON u.id = s.user_id
              WHERE s.token_hash = $1 AND s.expires_at > now() AND u.active`,
      values: [tokenHash],
    });
    const user = rows[0] ? toUser(rows[0]) : null;
    remember(tokenHash, user);
    return user;
  };
  return Object.assign(resolve, {
    remembered(req: Request): SessionUser | null {
      const presented = presentedToken(req);
      return presented ? (seen.get(hashToken(presented.token)) ?? null) : null;
    },
  });
}

/** Guesses kept per API process (the oldest go first): a few hundred bytes each. */
const REMEMBERED_SESSIONS = 10_000;

// bcrypt of nothing anyone knows: compared for unknown users so timing does not tell which exist.
const NO_PASSWORD = '$2b$10$invalidinvalidinvalidinvalidinvalidinvalidinvalidinva';

export function authRoutes(pool: Pool, config: Config): RouteDef[] {
  const throttle = new LoginThrottle(pool, {
    perUser: config.LOGIN_MAX_FAILURES_PER_USER,
    perAddress: config.LOGIN_MAX_FAILURES_PER_ADDRESS,
    windowSeconds: config.LOGIN_THROTTLE_MINUTES * 60,
  });
  // Over TLS in production; the embedded demo is plain http, where a Secure cookie would never come back.
  const cookieOptions = { httpOnly: true, sameSite: 'lax', secure: config.MODE === 'production', path: '/' } as const;

  return [
    route<z.infer<typeof LoginBody>>({
      method: 'post',
      path: '/api/auth/login',
      summary: 'Sign in; sets the session cookie and returns a bearer token',
      tag: 'auth',
      access: 'public',
      body: LoginBody,
      response: LoginResponse,
      errors: { 401: 'wrong username or password', 429: 'too many failed sign-ins for this user or from this address (Retry-After)' },
      async handle({ body, req, res }) {
        const address = req.ip ?? req.socket.remoteAddress ?? 'unknown';
        await throttle.check(body.username, address, res);
        const { rows } = await pool.query<UserRow & { password_hash: string }>('SELECT * FROM users WHERE username = $1 AND active', [body.username]);
        const row = rows[0];
        const ok = await bcrypt.compare(body.password, row?.password_hash ?? NO_PASSWORD);
        if (!row || !ok) {
          await throttle.failed(body.username, address);
          throw new ApiError(401, 'invalid_credentials', 'wrong username or password');
        }
        await throttle.succeeded(body.username);
        const token = randomBytes(32).toString('base64url');
        const expires = new Date(Date.now() + config.SESSION_TTL_HOURS * 3_600_000);
        // Purged here rather than by a timer: logins are when sessions pile up, and every replica logs people in.
        await pool.query('DELETE FROM sessions WHERE expires_at <= now()');
        await pool.query('INSERT INTO sessions (token_hash, user_id, expires_at) VALUES ($1, $2, $3)', [hashToken(token), row.id, expires]);
        res.cookie(SESSION_COOKIE, token, { ...cookieOptions, expires });
        return { token, expiresAt: expires.toISOString(), user: toUser(row) };
      },
    }),
    route({
      method: 'post',
      path: '/api/auth/logout',
      summary: 'Sign out (this session)',
      tag: 'auth',
      access: 'signed_in',
      response: LogoutResponse,
      async handle({ req, res }) {
        const presented = presentedToken(req);
        if (presented) await pool.query('DELETE FROM sessions WHERE token_hash = $1', [hashToken(presented.token)]);
        res.clearCookie(SESSION_COOKIE, cookieOptions);
        return reply(200, { ok: true });
      },
    }),
    route({
      method: 'post',
      path: '/api/auth/logout-everywhere',
      summary: 'Sign out every session of the signed-in user, on every device',
      tag: 'auth',
      access: 'signed_in',
      response: LogoutEverywhereResponse,
      async handle({ user, res }) {
        const ended = await pool.query('DELETE FROM sessions WHERE user_id = $1', [user.id]);
        await recordAudit(pool, { actorId: user.id, action: 'logged_out_everywhere', subject: user.id, details: { sessions: ended.rowCount } });
        res.clearCookie(SESSION_COOKIE, cookieOptions);
        return reply(200, { ok: true, sessionsEnded: ended.rowCount });
      },
    }),
    route({
      method: 'get',
      path: '/api/auth/me',
      summary: 'Who am I',
      tag: 'auth',
      access: 'signed_in',
      response: MeResponse,
      async handle({ user }) {
        return { user };
      },
    }),
  ];
}
