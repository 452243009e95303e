import type { VirtualProxyConfig } from '../virtual-proxy/virtual-proxy-config.schema';
import { isSessionIdShaped } from './session-id';

/**
 * The session cookie of a virtual proxy (proxy-and-repository-api.md, "Session cookie"): HttpOnly so
 * scripts cannot read it, Secure on TLS, SameSite per config, Path=/<prefix> so two virtual proxies never
 * see each other's session, and no Max-Age/Expires so it dies with the browser session (the server-side
 * inactivity timeout is what actually ends it).
 */
type CookieConfig = Pick<VirtualProxyConfig, 'prefix' | 'sessionCookieHeaderName' | 'sameSite'>;
const MAX_COOKIE_HEADER = 8 * 1024;

function attributes(config: CookieConfig, secure: boolean): string[] {
  // Browsers drop SameSite=None cookies without Secure (RFC 6265bis §5.4.7), so None implies Secure.
  const attrs = [`Path=/${config.prefix}`, 'HttpOnly', `SameSite=${config.sameSite}`];
  if (secure || config.sameSite === 'None') attrs.push('Secure');
  return attrs;
}

export function buildSessionCookie(config: CookieConfig, sessionId: string, options: { secure: boolean }): string {
  if (!isSessionIdShaped(sessionId)) throw new RangeError('not a session id');
  return [`${config.sessionCookieHeaderName}=${sessionId}`, ...attributes(config, options.secure)].join('; ');
}

/** Tells the browser to drop the cookie (logout, or a cookie naming an ended session). */
export function buildClearingCookie(config: CookieConfig, options: { secure: boolean }): string {
  return [`${config.sessionCookieHeaderName}=`, ...attributes(config, options.secure), 'Max-Age=0', 'Expires=Thu, 01 Jan 1970 00:00:00 GMT'].join('; ');
}

/**
 * The session id from the request's Cookie header for this virtual proxy. Null when absent, malformed,
 * oversized, or present more than once: two cookies of one name mean someone planted one (cookie
 * tossing from a sibling domain or a broader path), and picking either could fixate a session.
 */
export function readSessionCookie(cookieHeader: string | readonly string[] | undefined, config: Pick<VirtualProxyConfig, 'sessionCookieHeaderName'>): string | null {
  const header = Array.isArray(cookieHeader) ? cookieHeader.join('; ') : cookieHeader;
  if (typeof header !== 'string' || header.length === 0 || header.length > MAX_COOKIE_HEADER) return null;
  const values: string[] = [];
  for (const part of header.split(';')) {
    const eq = part.indexOf('=');
    if (eq < 0) continue;
    if (part.slice(0, eq).trim() === config.sessionCookieHeaderName) values.push(part.slice(eq + 1).trim());
  }
  if (values.length !== 1) return null;
  const value = values[0] as string;
  return isSessionIdShaped(value) ? value : null;
}
