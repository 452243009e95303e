import type { AuthVia } from '../auth/authenticated-user';
import { singleQuery } from '../auth/request-facts';
import { canonicalOrigin } from '../virtual-proxy/host-entry';
import { constantTimeEqual } from './constant-time';
import { EdgeErrorCode } from './edge.error';

/**
 * Checks on a QIX websocket upgrade (qix-protocol.md, "Transport"). Browsers do not apply the
 * same-origin policy to websockets, so a page on any site could open one with the user's cookie
 * (cross-site websocket hijacking). Two independent defences:
 *  1. the Origin must be in the virtual proxy's allow list (exact https host and port);
 *  2. a cookie-authenticated upgrade must also carry the session's CSRF token in `qlik-csrf-token`,
 *     which a foreign page cannot know. Header- or bearer-authenticated upgrades carry their own
 *     credential, which a foreign page cannot attach, so they need no token.
 */
export type UpgradeCheck = { ok: true } | { ok: false; status: 403; code: EdgeErrorCode; reason: string };

/** `allowList` holds canonical `host:port` entries (as VirtualProxyConfig.websocketCrossOriginWhiteList). */
export function checkWebSocketOrigin(origin: string | undefined, allowList: readonly string[]): UpgradeCheck {
  const canonical = canonicalOrigin(origin);
  if (canonical === null) return { ok: false, status: 403, code: EdgeErrorCode.OriginNotAllowed, reason: 'Origin missing or not an https origin' };
  if (!allowList.includes(canonical)) return { ok: false, status: 403, code: EdgeErrorCode.OriginNotAllowed, reason: `Origin ${canonical} not in the allow list` };
  return { ok: true };
}

export function checkCsrfToken(query: URLSearchParams, via: AuthVia, session: { csrfToken: string } | null): UpgradeCheck {
  if (via !== 'session-cookie') return { ok: true };
  const fail = (reason: string): UpgradeCheck => ({ ok: false, status: 403, code: EdgeErrorCode.CsrfTokenMismatch, reason });
  if (!session) return fail('no session for a cookie-authenticated upgrade');
  const token = singleQuery(query, 'qlik-csrf-token');
  if (token.kind !== 'one') return fail('qlik-csrf-token missing or repeated');
  return constantTimeEqual(token.value, session.csrfToken) ? { ok: true } : fail('qlik-csrf-token does not match the session');
}

export interface UpgradeFacts {
  origin: string | undefined;
  query: URLSearchParams;
  via: AuthVia;
  session: { csrfToken: string } | null;
  allowList: readonly string[];
}

/** Origin first, then the CSRF token: both must pass. */
export function checkWebSocketUpgrade(facts: UpgradeFacts): UpgradeCheck {
  const origin = checkWebSocketOrigin(facts.origin, facts.allowList);
  return origin.ok ? checkCsrfToken(facts.query, facts.via, facts.session) : origin;
}
