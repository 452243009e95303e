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
