import type { RequestHandler } from 'express';
import { ApiError } from './errors';

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/**
 * Cross-site request forgery defence for the API, by what the browser says about where a request
 * comes from (the approach of Go's CrossOriginProtection). The session cookie is SameSite=Lax, and
 * another port on the same host is the same *site*: a page there could post a form with the
 * victim's cookie. So an unsafe request is refused when:
 *   - Sec-Fetch-Site says it is anything but same-origin (or "none": typed by the user), or
 *   - without Sec-Fetch-Site, its Origin is neither this host nor PUBLIC_URL's origin.
 * Requests with a bearer token are not forgeable (a page elsewhere cannot set that header without
 * CORS, which this API does not grant), and requests without either header are not from a browser.
 * The customer answer pages (/r/…) are not under /api: the signed link is their credential.
 */
export function csrfGuard(publicUrl: string): RequestHandler {
  const publicOrigin = new URL(publicUrl).origin;
  return (req, _res, next) => {
    if (SAFE_METHODS.has(req.method) || req.headers.authorization?.startsWith('Bearer ')) return next();
    const site = req.get('sec-fetch-site');
    if (site !== undefined) return next(site === 'same-origin' || site === 'none' ? undefined : refused(`Sec-Fetch-Site: ${site}`));
    const origin = req.get('origin');
    if (origin === undefined || origin === publicOrigin || hostOf(origin) === req.get('host')) return next();
    next(refused(`Origin: ${origin}`));
  };
}

function hostOf(origin: string): string | null {
  try {
    return new URL(origin).host;
  } catch {
    return null;
  }
}

const refused = (why: string) =>
  new ApiError(403, 'cross_site_request', 'this request came from another site; use the app itself, or a bearer token from a script', { why });
