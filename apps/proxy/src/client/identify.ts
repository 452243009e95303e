import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AssertedUser } from '@trustzone/contracts';
import { queryOf, type RequestFacts } from '../auth/request-facts';
import { resolveSession, type ResolvedIdentity } from '../auth/session-resolver';
import { EdgeError, EdgeErrorCode } from '../edge/edge.error';
import type { Session } from '../session/session.types';
import type { VirtualProxyConfig } from '../virtual-proxy/virtual-proxy-config.schema';
import type { ProxyDeps } from './proxy-deps';

export function requestFacts(req: IncomingMessage): RequestFacts {
  return { headers: req.headersDistinct, query: queryOf(req.url ?? '/'), ip: req.socket.remoteAddress ?? '', secure: true };
}

export function userKeyOf(s: Pick<Session, 'userDirectory' | 'userId'>): string {
  return `${s.userDirectory}\\${s.userId}`;
}

// One AssertedUser object per session, context and address: the gRPC layer encodes each object once
// (libs/contracts user-assertion.ts), and a session's attributes never change. Bounded.
const asserted = new Map<string, AssertedUser>();
const MAX_ASSERTED = 10_000;

/** The end user as the services see it: who, plus the session attributes that rules read as user.environment.*. */
export function assertedUser(s: Session, context: AssertedUser['context'], ip: string): AssertedUser {
  const key = `${s.id}\u0000${context}\u0000${ip}`;
  let u = asserted.get(key);
  if (!u) {
    if (asserted.size >= MAX_ASSERTED) asserted.clear();
    u = Object.freeze({ userDirectory: s.userDirectory, userId: s.userId, context, attributes: s.attributes, anonymous: s.anonymous, ip, secure: true });
    asserted.set(key, u);
  }
  return u;
}

export type Identified = Extract<ResolvedIdentity, { kind: 'session' }>;

/**
 * Resolves who a client-facing request is (credential, session cookie or anonymous), audits logins
 * and failed logins before answering, sets/clears the session cookie on the response, and throws the
 * client-safe error when the request cannot be identified.
 */
export async function identify(req: IncomingMessage, res: ServerResponse, vp: VirtualProxyConfig, deps: ProxyDeps): Promise<Identified> {
  const facts = requestFacts(req);
  const r = await resolveSession(facts, vp, { sessions: deps.sessions, tickets: deps.tickets });
  if (r.kind !== 'session') {
    if (r.clearCookie) res.appendHeader('Set-Cookie', r.clearCookie);
    if (r.kind === 'login-needed') throw new EdgeError(EdgeErrorCode.Unauthenticated, 'authentication required');
    await deps.audit.record({ action: 'auth.login', outcome: 'failure', reason: r.error.code, details: { virtualProxy: vp.prefix, ip: facts.ip } });
    throw r.error;
  }
  if (r.setCookie) {
    const user = userKeyOf(r.session);
    if (r.via === 'ticket') await deps.audit.record({ action: 'ticket.redeem', outcome: 'success', user, details: { virtualProxy: vp.prefix } });
    await deps.audit.record({ action: 'session.start', outcome: 'success', user, details: { via: r.via, virtualProxy: vp.prefix, ip: facts.ip, evicted: r.evicted.length } });
    res.appendHeader('Set-Cookie', r.setCookie);
    deps.observe.sessionStarted(r.via);
  }
  return r;
}
