import type { AuthVia } from '../auth/authenticated-user';
import { singleQuery } from '../auth/request-facts';
import { canonicalOrigin } from '../virtual-proxy/host-entry';
import { constantTimeEqual } from './constant-time';
import { EdgeErrorCode } from './edge.error';

/**
 * Checks on a QIX websocket upgrade (qix-protocol.md, "Transport"). Browsers do not apply the
 * same-origin policy to websockets, so a page on any site could open one with the user's cookie
 * (cross-site websocket hijacking). Two independent defences, run as two steps of the pipeline:
 *  1. the Origin must be in the virtual proxy's allow list (exact https host and port);
 *  2. an upgrade riding an ambient credential must also carry the session's CSRF token in
 *     `qlik-csrf-token`, which a foreign page cannot know. Ambient: the session cookie, and a header
 *     login — an SSO gateway adds its header to every request the browser makes, cross-site ones
 *     included. A ticket, a bearer token or an anonymous visit is not ambient (a foreign page cannot
 *     attach it, or it gains nothing).
 * Reasons are fixed texts (they group audit records; the Origin itself is client text).
 */
export type UpgradeCheck = { ok: true } | { ok: false; status: 403; code: EdgeErrorCode; reason: string };

const AMBIENT: ReadonlySet<AuthVia> = new Set(['session-cookie', 'header']);

/** `allowList` holds canonical `host:port` entries (as VirtualProxyConfig.websocketCrossOriginWhiteList). */
export function checkWebSocketOrigin(origin: string | undefined, allowList: readonly string[]): UpgradeCheck {
  const canonical = canonicalOrigin(origin);
  if (canonical === null) return { ok: false, status: 403, code: EdgeErrorCode.OriginNotAllowed, reason: 'Origin missing or not an https origin' };
  if (!allowList.includes(canonical)) return { ok: false, status: 403, code: EdgeErrorCode.OriginNotAllowed, reason: 'Origin not in the allow list' };
  return { ok: true };
}

export function checkCsrfToken(query: URLSearchParams, via: AuthVia, session: { csrfToken: string } | null): UpgradeCheck {
  if (!AMBIENT.has(via)) return { ok: true };
  const fail = (reason: string): UpgradeCheck => ({ ok: false, status: 403, code: EdgeErrorCode.CsrfTokenMismatch, reason });
  if (!session) return fail('no session for an upgrade with an ambient credential');
  const token = singleQuery(query, 'qlik-csrf-token');
  if (token.kind !== 'one') return fail('qlik-csrf-token missing or repeated');
  return constantTimeEqual(token.value, session.csrfToken) ? { ok: true } : fail('qlik-csrf-token does not match the session');
}
