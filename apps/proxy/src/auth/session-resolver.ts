import { EdgeError, EdgeErrorCode } from '../edge/edge.error';
import { buildClearingCookie, buildSessionCookie, readSessionCookie } from '../session/session-cookie';
import type { AnonymousSessionCap } from '../session/anonymous-session-cap';
import type { SessionStore } from '../session/session-store';
import { sessionPolicyFor } from '../session/session-store';
import type { Session } from '../session/session.types';
import type { VirtualProxyConfig } from '../virtual-proxy/virtual-proxy-config.schema';
import { rejectionError } from './auth-result';
import { anonymousUser } from './anonymous-user';
import type { AuthVia, AuthenticatedUser } from './authenticated-user';
import { authenticateCredential } from './authenticate';
import { loginDirectoryProblem } from './identity-rules';
import type { AuthenticateDeps } from './authenticate';
import type { RequestFacts } from './request-facts';

/**
 * Who is this request, as a session: the one place that orders credentials, the session cookie and
 * anonymous access for a client-facing request.
 *  1. A credential of the virtual proxy's method (ticket, header, bearer JWT) wins; a bad one is
 *     rejected. A good one reuses the cookie's session when it is the same user, else creates one.
 *  2. Otherwise a valid session cookie (`via: 'session-cookie'`: ambient, so websocket upgrades need
 *     the CSRF token). A cookie naming no live session is cleared.
 *  3. Otherwise anonymous access per mode (2 "always" skips step 1), else login is needed. A new
 *     anonymous session needs a place under the proxy's anonymous cap (503 beyond it).
 */
export type ResolvedIdentity =
  | { kind: 'session'; session: Session; via: AuthVia; setCookie?: string; targetId?: string; evicted: string[] }
  | { kind: 'login-needed'; clearCookie?: string }
  | { kind: 'rejected'; error: EdgeError; clearCookie?: string };

export interface SessionResolverDeps extends AuthenticateDeps {
  sessions: SessionStore;
  anonymousCap?: AnonymousSessionCap;
}

/** How long a client refused by the anonymous cap should wait (inactive sessions time out meanwhile). */
const ANONYMOUS_RETRY_AFTER_S = 60;

const sameUser = (s: Session, u: AuthenticatedUser) =>
  s.userDirectory.toLowerCase() === u.userDirectory.toLowerCase() && s.userId.toLowerCase() === u.userId.toLowerCase();

export async function resolveSession(facts: RequestFacts, config: VirtualProxyConfig, deps: SessionResolverDeps): Promise<ResolvedIdentity> {
  const secure = facts.secure ?? false;
  const cookieId = readSessionCookie(facts.headers['cookie'], config);
  const cookieSession = cookieId === null ? null : await deps.sessions.get(cookieId);
  const live = cookieSession !== null && cookieSession.prefix === config.prefix ? cookieSession : null;
  const clearCookie = cookieId !== null && live === null ? buildClearingCookie(config, { secure }) : undefined;
  const withClear = <T extends object>(r: T): T => (clearCookie === undefined ? r : { ...r, clearCookie });

  if (config.anonymousAccessMode !== 2) {
    const credential = await authenticateCredential(facts, config, deps);
    if (credential.kind === 'rejected') return withClear({ kind: 'rejected', error: rejectionError(credential) });
    if (credential.kind === 'authenticated') {
      // A ticket is a login: it always starts a new session. Header/JWT credentials come on every
      // request, so the cookie's session is reused while it belongs to the same user.
      if (live && credential.via !== 'ticket' && sameUser(live, credential.user)) return { kind: 'session', session: live, via: credential.via, evicted: [] };
      const targetId = credential.targetId;
      return start(facts, config, deps, credential.user, credential.via, targetId);
    }
  }
  if (live && (config.anonymousAccessMode !== 2 || live.anonymous)) return { kind: 'session', session: live, via: 'session-cookie', evicted: [] };
  if (config.anonymousAccessMode !== 0) return start(facts, config, deps, anonymousUser(), 'anonymous', undefined);
  return withClear({ kind: 'login-needed' });
}

async function start(facts: RequestFacts, config: VirtualProxyConfig, deps: SessionResolverDeps, user: AuthenticatedUser, via: AuthVia, targetId: string | undefined): Promise<ResolvedIdentity> {
  // Every login method ends here: none may start a session in the service accounts' directory.
  const reserved = user.anonymous ? null : loginDirectoryProblem(user.userDirectory);
  if (reserved) return { kind: 'rejected', error: new EdgeError(EdgeErrorCode.ReservedIdentity, 'this identity cannot log in', { internalDetail: reserved }) };
  const cap = user.anonymous ? deps.anonymousCap : undefined;
  if (cap && !cap.reserve()) {
    return { kind: 'rejected', error: new EdgeError(EdgeErrorCode.AnonymousCapacity, 'too many anonymous sessions on this site; try again later', { retryAfterSeconds: ANONYMOUS_RETRY_AFTER_S }) };
  }
  let created;
  try {
    created = await deps.sessions.create({ prefix: config.prefix, user, ...(facts.ip === undefined ? {} : { ip: facts.ip }) }, sessionPolicyFor(config));
  } catch (e) {
    cap?.release();
    throw e;
  }
  if (cap) {
    if (created.kind === 'created') cap.confirm(created.session.id);
    else cap.release();
  }
  if (created.kind === 'refused') {
    return { kind: 'rejected', error: new EdgeError(EdgeErrorCode.SessionLimitReached, 'too many sessions for this user', { internalDetail: created.reason }) };
  }
  const setCookie = buildSessionCookie(config, created.session.id, { secure: facts.secure ?? false });
  return { kind: 'session', session: created.session, via, setCookie, evicted: created.evicted, ...(targetId === undefined ? {} : { targetId }) };
}
