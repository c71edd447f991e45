import { createHash, randomBytes } from 'node:crypto';
import bcrypt from 'bcryptjs';
import type { Request } from 'express';
import type { Pool } from 'pg';
import { z } from 'zod';
import type { Role } from '../playbooks/directory';
import { ApiError } from './errors';
import { reply, route, type RouteDef, type SessionUser } from './http';

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

/**
 * Sessions looked up in PostgreSQL, remembered for a few seconds: a busy inbox does not pay a
 * query per request. A logout here forgets at once; another API replica forgets within the TTL.
 */
const SESSION_CACHE_MS = 5_000;
const sessionCache = new Map<string, { user: SessionUser; until: number }>();

export function forgetSession(token: string): void {
  sessionCache.delete(hashToken(token));
}

export function sessionResolver(pool: Pool) {
  return async (req: Request): Promise<SessionUser | null> => {
    const header = req.headers.authorization;
    const token = header?.startsWith('Bearer ') ? header.slice(7).trim() : (req.cookies?.[SESSION_COOKIE] as string | undefined);
    if (!token) return null;
    const key = hashToken(token);
    const cached = sessionCache.get(key);
    if (cached && cached.until > Date.now()) return cached.user;
    const { rows } = await pool.query<UserRow>({
      name: 'session_user',
      text: `SELECT u.id, u.username, u.display_name, u.role, u.department_id
               FROM sessions s JOIN users u ON u.id = s.user_id
              WHERE s.token_hash = $1 AND s.expires_at > now() AND u.active`,
      values: [key],
    });
    if (!rows[0]) return null;
    const user = toUser(rows[0]);
    if (sessionCache.size > 10_000) sessionCache.clear();
    sessionCache.set(key, { user, until: Date.now() + SESSION_CACHE_MS });
    return user;
  };
}

const LoginBody = z.object({ username: z.string().min(1).max(100), password: z.string().min(1).max(200) });

export function authRoutes(pool: Pool, ttlHours: number): RouteDef[] {
  return [
    route<z.infer<typeof LoginBody>>({
      method: 'post',
      path: '/api/auth/login',
      summary: 'Sign in; sets the session cookie and returns a bearer token',
      tag: 'auth',
      access: 'public',
      body: LoginBody,
      errors: { 401: 'wrong username or password' },
      async handle({ body, res }) {
        const { rows } = await pool.query<UserRow & { password_hash: string }>('SELECT * FROM users WHERE username = $1 AND active', [body.username]);
        const row = rows[0];
        // Compare even for an unknown user, so timing does not tell which usernames exist.
        const ok = await bcrypt.compare(body.password, row?.password_hash ?? '$2b$10$invalidinvalidinvalidinvalidinvalidinvalidinvalidinva');
        if (!row || !ok) throw new ApiError(401, 'invalid_credentials', 'wrong username or password');
        const token = randomBytes(32).toString('base64url');
        const expires = new Date(Date.now() + ttlHours * 3_600_000);
        await pool.query('INSERT INTO sessions (token_hash, user_id, expires_at) VALUES ($1, $2, $3)', [hashToken(token), row.id, expires]);
        res.cookie(SESSION_COOKIE, token, { httpOnly: true, sameSite: 'lax', expires, path: '/' });
        return { token, expiresAt: expires.toISOString(), user: toUser(row) };
      },
    }),
    route({
      method: 'post',
      path: '/api/auth/logout',
      summary: 'Sign out',
      tag: 'auth',
      access: 'signed_in',
      async handle({ req, res }) {
        const header = req.headers.authorization;
        const token = header?.startsWith('Bearer ') ? header.slice(7).trim() : (req.cookies?.[SESSION_COOKIE] as string | undefined);
        if (token) {
          await pool.query('DELETE FROM sessions WHERE token_hash = $1', [hashToken(token)]);
          forgetSession(token);
        }
        res.clearCookie(SESSION_COOKIE, { path: '/' });
        return reply(200, { ok: true });
      },
    }),
    route({
      method: 'get',
      path: '/api/auth/me',
      summary: 'Who am I',
      tag: 'auth',
      access: 'signed_in',
      async handle({ user }) {
        return { user };
      },
    }),
  ];
}
