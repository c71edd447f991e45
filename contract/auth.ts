import { z } from 'zod';
import { RoleName, Timestamp } from './common';

/** Signing in and out, and who is signed in (server/auth.ts). */

export const LoginBody = z.object({ username: z.string().min(1).max(100), password: z.string().min(1).max(200) });

export const User = z.object({
  id: z.string(),
  username: z.string(),
  displayName: z.string(),
  role: RoleName,
  department: z.string().nullable(),
});
export type User = z.infer<typeof User>;

export const LoginResponse = z.object({ token: z.string(), expiresAt: Timestamp, user: User });
export type LoginResponse = z.infer<typeof LoginResponse>;

export const LogoutResponse = z.object({ ok: z.literal(true) });
export const LogoutEverywhereResponse = z.object({ ok: z.literal(true), sessionsEnded: z.number().int().nullable() });
export const MeResponse = z.object({ user: User });
