import type { RequestHandler } from 'express';
import { PAGE_CSP } from '../pages/page-style';

/**
 * Response headers that make a browser treat our responses as inert data unless they are one of our
 * pages. API responses get `default-src 'none'` (a JSON body rendered as a document can load nothing
 * and cannot be framed); pages get PAGE_CSP. HSTS is sent only over TLS (RFC 6797 §7.2).
 */
export type ResponseKind = 'api' | 'page';

export const API_CSP = "default-src 'none'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'";
const HSTS = 'max-age=31536000; includeSubDomains';

export function securityHeaderValues(kind: ResponseKind, options: { secure: boolean }): Record<string, string> {
  const headers: Record<string, string> = {
    'content-security-policy': kind === 'page' ? PAGE_CSP : API_CSP,
    'x-content-type-options': 'nosniff',
    'referrer-policy': 'no-referrer',
    'x-frame-options': 'DENY',
    'cross-origin-resource-policy': 'same-origin',
    'cross-origin-opener-policy': 'same-origin',
  };
  if (options.secure) headers['strict-transport-security'] = HSTS;
  return headers;
}

/** Sets the headers for every response of the route (mount early). */
export function securityHeaders(kind: ResponseKind): RequestHandler {
  return (req, res, next) => {
    res.set(securityHeaderValues(kind, { secure: req.secure }));
    next();
  };
}

/**
 * `Cache-Control: no-store` for responses that depend on who asked: an authenticated response held by
 * a shared or browser cache could be served to the next user of the machine.
 */
export function noStore(): RequestHandler {
  return (_req, res, next) => {
    res.set({ 'cache-control': 'no-store', pragma: 'no-cache' });
    next();
  };
}
