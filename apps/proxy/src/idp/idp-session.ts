import type { ServerResponse } from 'node:http';
import { loginDirectoryProblem } from '../auth/identity-rules';
import type { AuthenticatedUser } from '../auth/authenticated-user';
import { reportLogin } from '../auth/report-login';
import { userKeyOf } from '../client/asserted-user';
import type { ProxyDeps } from '../client/proxy-deps';
import { EdgeError, EdgeErrorCode } from '../edge/edge.error';
import { redirect } from '../edge/http-send';
import { addCookie, type Exchange } from '../pipeline/exchange';
import { writeCookies } from '../pipeline/http-door';
import { buildSessionCookie } from '../session/session-cookie';
import { sessionPolicyFor } from '../session/session-store';
import type { VirtualProxyConfig } from '../virtual-proxy/virtual-proxy-config.schema';
import { clearLoginCookie, type LoginFlow } from './login-cookie';

const NO_STORE = { 'Cache-Control': 'no-store' };

export interface VerifiedIdpLogin {
  flow: LoginFlow;
  /** The user the provider's verified answer maps to. */
  user: AuthenticatedUser;
  /** Where the browser asked to go (already checked same-origin when the login started). */
  returnTo: string;
  /** The refusal for this flow (audited, aggregated, login cookie cleared). */
  fail: (reason: string) => EdgeError;
  /** What logout will need from the provider's answer (an ID token, a SAML NameID), by session id. */
  remember: (sessionId: string) => void;
}

/**
 * The part both identity-provider logins share once the provider's answer is verified: no login
 * may be a service account (INTERNAL\sa_*), whatever directory the provider or setting names; the
 * session is made under the virtual proxy's session policy; the login's attributes persist onto
 * the user (groups for user.group rules and GROUP rows); then the audit record, the session cookie
 * and the redirect back to where the browser started.
 */
export async function completeIdpLogin(x: Exchange<ServerResponse>, vp: VirtualProxyConfig, deps: ProxyDeps, login: VerifiedIdpLogin): Promise<void> {
  const reserved = loginDirectoryProblem(login.user.userDirectory);
  if (reserved) throw login.fail(reserved);
  const created = await deps.sessions.create({ prefix: vp.prefix, user: login.user, ip: x.ip }, sessionPolicyFor(vp));
  if (created.kind === 'refused') throw new EdgeError(EdgeErrorCode.SessionLimitReached, 'too many sessions for this user', { internalDetail: created.reason });
  const session = created.session;
  // The attributes and the session.start record go to the repository in one call.
  await reportLogin(deps, session, login.flow, x.ip, { action: 'session.start', outcome: 'success', user: userKeyOf(session), details: { via: login.flow, virtualProxy: vp.prefix, door: x.door.name, ip: x.ip, evicted: created.evicted.length } });
  login.remember(session.id);
  deps.observe.sessionStarted(login.flow);
  addCookie(x, clearLoginCookie(vp.prefix, login.flow));
  addCookie(x, buildSessionCookie(vp, session.id, { secure: true }));
  writeCookies(x);
  for (const [k, v] of Object.entries(NO_STORE)) x.transport.setHeader(k, v);
  redirect(x.transport, 303, login.returnTo);
}
