import { verifyTlsSocketPeer } from '@trustzone/trust';
import type { ProxyDeps } from '../../client/proxy-deps';
import { resolveSession, type ResolvedIdentity } from '../../auth/session-resolver';
import { reportLogin } from '../../auth/report-login';
import { authenticateApiUser } from '../../edge/api-user-header';
import { EdgeError, EdgeErrorCode } from '../../edge/edge.error';
import { addCookie, type Exchange } from '../exchange';
import { CONTINUE, refusal, type StepResult } from '../step';
import type { Step } from '../step';

/**
 * Who the request is, and the audit records that go with it. Client port and upgrades: a credential
 * of the virtual proxy's method, the session cookie, or anonymous access (auth/session-resolver.ts);
 * a login writes ticket.redeem / session.start before the answer, the same records whichever door
 * it came through. API port: the integration certificate, and for `/qrs` the user it names in
 * X-Qlik-User, or INTERNAL\sa_api when it names none (the only way to act as a service account). A failed identification is an aggregated `auth.login` failure (anyone can cause one).
 * X-Qlik-User sent to the client port is ignored — attacker text there — and noted.
 */
export const identify: Step = {
  name: 'identify',
  run(x, deps) {
    if (x.door.name === 'api') return identifyIntegration(x, deps);
    // The identity provider's answer is what identifies the browser there (idp/idp-route.ts).
    if (x.area === 'health' || x.area === 'idp') {
      x.who = { kind: 'nobody' };
      return CONTINUE;
    }
    return identifySession(x, deps);
  },
};

const API_SERVICE_ACCOUNT = Object.freeze({ userDirectory: 'INTERNAL', userId: 'sa_api' });

const loginFailed = (error: EdgeError) => refusal(error, { action: 'auth.login', outcome: 'failure', reason: error.code });

async function identifySession(x: Exchange, deps: ProxyDeps): Promise<StepResult> {
  const vp = x.vp;
  if (!vp) throw new Error('identify needs the virtual proxy');
  if (x.req.headers['x-qlik-user'] !== undefined) {
    deps.aggregate.note({ action: 'auth.header-ignored', outcome: 'denied', reason: 'X-Qlik-User sent to the client-facing port', door: x.door.name, ip: x.ip, virtualProxy: vp.prefix });
  }
  const facts = { headers: x.req.headersDistinct, query: x.query, ip: x.ip, secure: true };
  const r = await resolveSession(facts, vp, { sessions: deps.sessions, tickets: deps.tickets, anonymousCap: deps.anonymousCap });
  if (r.kind !== 'session') {
    if (r.clearCookie) addCookie(x, r.clearCookie);
    return loginFailed(r.kind === 'rejected' ? r.error : new EdgeError(EdgeErrorCode.Unauthenticated, 'authentication required'));
  }
  if (r.setCookie) {
    if (r.via === 'ticket' || r.via === 'header' || r.via === 'jwt') await reportLogin(deps, r.session, r.via, x.ip);
    await recordLogin(x, r, deps);
    addCookie(x, r.setCookie);
    deps.observe.sessionStarted(r.via);
  }
  x.who = { kind: 'session', session: r.session, via: r.via };
  return CONTINUE;
}

/** A new session: named users get their own flushed records; anonymous starts are counted per source. */
async function recordLogin(x: Exchange, r: Extract<ResolvedIdentity, { kind: 'session' }>, deps: ProxyDeps): Promise<void> {
  const virtualProxy = x.vp?.prefix ?? '';
  if (r.session.anonymous) {
    deps.aggregate.note({ action: 'session.start', outcome: 'success', reason: 'anonymous', door: x.door.name, ip: x.ip, virtualProxy });
    return;
  }
  const user = `${r.session.userDirectory}\\${r.session.userId}`;
  if (r.via === 'ticket') await deps.audit.record({ action: 'ticket.redeem', outcome: 'success', user, details: { virtualProxy, door: x.door.name, ip: x.ip } });
  await deps.audit.record({ action: 'session.start', outcome: 'success', user, details: { via: r.via, virtualProxy, door: x.door.name, ip: x.ip, evicted: r.evicted.length } });
}

function identifyIntegration(x: Exchange, deps: ProxyDeps): StepResult {
  const peer = verifyTlsSocketPeer(x.req.socket as Parameters<typeof verifyTlsSocketPeer>[0], deps.integrationTrust, (id) => id.kind === 'integration');
  if (!peer.ok || peer.identity.kind !== 'integration') {
    return loginFailed(new EdgeError(EdgeErrorCode.ClientCertificateRequired, 'an integration client certificate of this site is required', { internalDetail: peer.ok ? 'not an integration' : peer.reason }));
  }
  const name = peer.identity.name;
  if (x.area !== 'qrs') {
    x.who = { kind: 'integration', name };
    return CONTINUE;
  }
  const auth = authenticateApiUser(x.req.headersDistinct, peer.identity);
  if (auth.kind === 'rejected') return loginFailed(new EdgeError(EdgeErrorCode.HeaderCredentialInvalid, 'X-Qlik-User is invalid', { field: 'X-Qlik-User', internalDetail: auth.reason }));
  // Without X-Qlik-User the certificate acts as Qlik's API service account, as in Qlik.
  const user = auth.kind === 'authenticated' ? { userDirectory: auth.user.userDirectory, userId: auth.user.userId } : API_SERVICE_ACCOUNT;
  x.who = { kind: 'integration', name, user };
  return CONTINUE;
}
