import helmet from 'helmet';
import type { RequestHandler } from 'express';
import type { Mode } from '../platform/config';

/**
 * Security headers on every answer (API, editor, customer answer pages), by helmet. The policy is
 * what the pages need and no more: scripts only from our origin (the Vite bundle has no inline
 * script); inline styles allowed, because React Flow positions nodes with style attributes and the
 * answer pages carry one <style>; no framing (clickjacking an Accept button); no Referer, because
 * answer-link URLs carry their token.
 */
export function securityHeaders(mode: Mode): RequestHandler {
  const production = mode === 'production';
  return helmet({
    contentSecurityPolicy: {
      useDefaults: false,
      directives: {
        'default-src': ["'self'"],
        'base-uri': ["'self'"],
        'connect-src': ["'self'"],
        'font-src': ["'self'", 'data:'],
        'form-action': ["'self'"],
        'frame-ancestors': ["'none'"],
        'img-src': ["'self'", 'data:'],
        'object-src': ["'none'"],
        'script-src': ["'self'"],
        'script-src-attr': ["'none'"],
        'style-src': ["'self'", "'unsafe-inline'"],
        // Over plain http (the embedded demo on a LAN address) an upgrade would break every request.
        ...(production ? { 'upgrade-insecure-requests': [] } : {}),
      },
    },
    strictTransportSecurity: production ? { maxAge: 31_536_000, includeSubDomains: true } : false,
    frameguard: { action: 'deny' },
    referrerPolicy: { policy: 'no-referrer' },
    xContentTypeOptions: true,
  });
}
