import { createHash, createHmac, timingSafeEqual } from 'node:crypto';
import { z } from 'zod';

/**
 * Signed one-time answer links. The token carries what it is for and when it expires, signed with
 * HMAC-SHA256; the database remembers only its hash and whether it was used, so a forged, expired or
 * reused link is refused and changes nothing.
 */
const LinkPayload = z.object({ a: z.uuid(), w: z.string(), p: z.enum(['offer', 'commitment']), r: z.string(), e: z.number().int(), m: z.string() });
export type LinkPayload = z.infer<typeof LinkPayload>;

const sign = (secret: string, body: string) => createHmac('sha256', secret).update(body).digest('base64url');

export function createLinkToken(secret: string, payload: LinkPayload): string {
  const body = Buffer.from(JSON.stringify(payload)).toString('base64url');
  return `${body}.${sign(secret, body)}`;
}

export function verifyLinkToken(secret: string, token: string): LinkPayload | null {
  const [body, mac, extra] = token.split('.');
  if (!body || !mac || extra !== undefined) return null;
  const expected = Buffer.from(sign(secret, body));
  const given = Buffer.from(mac);
  if (expected.length !== given.length || !timingSafeEqual(expected, given)) return null;
  try {
    const parsed = LinkPayload.safeParse(JSON.parse(Buffer.from(body, 'base64url').toString('utf8')));
    return parsed.success ? parsed.data : null;
  } catch {
    return null;
  }
}

export const hashLinkToken = (token: string) => createHash('sha256').update(token).digest('hex');
