import type { IncomingMessage, ServerResponse } from 'node:http';
import { ErrorCode, ServiceError } from '@trustzone/contracts';
import { authModuleRedirect } from '../auth/auth-module-redirect';
import { EdgeError, EdgeErrorCode, isEdgeError } from '../edge/edge.error';
import { noContent, redirect, sendHtml, sendJson } from '../edge/http-send';
import { securityHeaderValues } from '../edge/security-headers';
import { healthRoute } from '../health-route';
import { idpRoute, redirectToLogin, wantsLoginRedirect } from '../idp/idp-route';
import { renderPage } from '../pages/page-renderer';
import { PAGE_CSP } from '../pages/page-style';
import { newExchange, sessionOf, type Door, type Exchange } from '../pipeline/exchange';
import { refuseHttp, writeCookies } from '../pipeline/http-door';
import { runPipeline } from '../pipeline/request-pipeline';
import { qrsHandler } from '../qrs/qrs-handler';
import { buildClearingCookie } from '../session/session-cookie';
import { isPageNavigation, serveWebPage } from '../web/web-route';
import { assertedUser, userKeyOf } from './asserted-user';
import type { ProxyDeps } from './proxy-deps';

/**
 * The client-facing listener (8443): browsers, curl, enigma.js. Every request runs the proxy's one
 * pipeline (pipeline/request-pipeline.ts); this door adds the routes: `/health`, `/[prefix/]qrs/…`
 * (the repository API as the session's user), `/[prefix/]qps/user` (who am I, logout) and
 * `/[prefix/]hub/` (ticket landing; the hub page for a browser) and `/[prefix/]qmc/` (the console
 * page: web/web-route.ts). X-Qlik-User is never honoured here: it is attacker-controlled
 * text on this port (the identify step notes it).
 */
export function clientFacingApp(deps: ProxyDeps): (req: IncomingMessage, res: ServerResponse) => void {
  // A plain node handler: this listener needs no router, and express cost ~60 µs per request here.
  const headers = Object.entries(securityHeaderValues('api', { secure: true }));
  const health = healthRoute(deps.upstreams, deps.sessionStoreHealth);
  const door: Door<ServerResponse> = {
    name: 'client',
    route: (x) => route(x, deps, health),
    refuse: (x, error) => {
      // An OIDC virtual proxy sends a browser without a session to its identity provider.
      if (isEdgeError(error) && error.code === EdgeErrorCode.Unauthenticated && wantsLoginRedirect(x)) {
        redirectToLogin(x, deps).catch((e: unknown) => refuseHttp(x, e, deps));
        return;
      }
      // Landing on the hub without a session is a page for a person, not a JSON error.
      if ((x.area === 'hub' || x.area === 'qmc') && isEdgeError(error) && error.code === EdgeErrorCode.Unauthenticated) {
        writeCookies(x);
        // A virtual proxy with an external login portal sends the browser there (Qlik's
        // authentication-module redirect), remembering where it was going.
        const to = x.vp ? authModuleRedirect({ req: x.req, path: x.path, query: x.query }, x.vp, deps.loginTargets, deps.apiPort.current) : null;
        if (to !== null) {
          redirect(x.transport, 302, to);
          return;
        }
        const page = renderPage({ kind: 'login-needed', virtualProxy: x.vp?.prefix || 'the default virtual proxy' });
        sendHtml(x.transport, page.status, page.html, { 'Content-Security-Policy': PAGE_CSP });
        return;
      }
      refuseHttp(x, error, deps);
    },
  };
  return (req, res) => {
    const started = performance.now();
    res.on('finish', () => deps.observe.request('client', res.statusCode, performance.now() - started));
    for (const [k, v] of headers) res.setHeader(k, v);
    void runPipeline(newExchange(door, req, res), deps);
  };
}

type Health = ReturnType<typeof healthRoute>;
const NO_STORE = { 'Cache-Control': 'no-store' };

async function route(x: Exchange<ServerResponse>, deps: ProxyDeps, health: Health): Promise<void> {
  writeCookies(x);
  switch (x.area) {
    case 'health':
      return health(x.req, x.transport);
    case 'qrs':
      // The management API: rules see context "management" (security-rules.md).
      return qrsHandler(deps, x.req, x.transport, `/${x.segs.slice(1).join('/')}`, assertedUser(sessionOf(x).session, 'management', x.ip));
    case 'qps':
      return qpsClientRoute(x, deps);
    case 'hub':
      return hubRoute(x);
    case 'qmc':
      return serveWebPage(x.req, x.transport, 'qmc', x.segs, x.path, vpBase(x));
    case 'idp':
      return idpRoute(x, deps);
    default:
      throw new ServiceError(ErrorCode.NotFound, 'not found');
  }
}

/**
 * `/[prefix/]qps/user` from a browser's own session: who am I (with the CSRF token) and logout;
 * `/[prefix/]qps/csrftoken`: the session's CSRF token in the `qlik-csrf-token` header, as Qlik
 * answers it (what a mashup adds to its websocket URL).
 */
async function qpsClientRoute(x: Exchange<ServerResponse>, deps: ProxyDeps): Promise<void> {
  const { session } = sessionOf(x);
  const res = x.transport;
  if (x.segs.length === 2 && x.segs[1] === 'csrftoken' && x.req.method === 'GET') {
    res.statusCode = 204;
    res.setHeader('qlik-csrf-token', session.csrfToken);
    res.setHeader('Cache-Control', 'no-store');
    res.end();
    return;
  }
  if (x.segs.length !== 2 || x.segs[1] !== 'user') throw new ServiceError(ErrorCode.NotFound, 'not found');
  if (x.req.method === 'GET') {
    sendJson(res, 200, { userDirectory: session.userDirectory, userId: session.userId, csrfToken: session.csrfToken }, NO_STORE);
    return;
  }
  if (x.req.method !== 'DELETE') throw new EdgeError(EdgeErrorCode.InvalidRequest, 'use GET or DELETE');
  const vp = x.vp;
  if (!vp) throw new Error('qps/user needs the virtual proxy');
  await deps.sessions.delete(session.id, 'logout');
  if (!session.anonymous) await deps.audit.record({ action: 'session.end', outcome: 'success', user: userKeyOf(session), reason: 'logout', details: { virtualProxy: vp.prefix } });
  res.appendHeader('Set-Cookie', buildClearingCookie(vp, { secure: true }));
  noContent(res);
}

const vpBase = (x: Exchange<ServerResponse>): string => (x.vp?.prefix ? `/${x.vp.prefix}` : '');

/** `/[prefix/]hub/`: where a browser lands to redeem a ticket (or show who it is, with its CSRF token). */
async function hubRoute(x: Exchange<ServerResponse>): Promise<void> {
  const { session } = sessionOf(x);
  // A redeemed ticket must not linger in the address bar or the history: redirect without it.
  const url = new URL(x.req.url ?? '/', 'https://proxy.invalid');
  const ticketKeys = [...url.searchParams.keys()].filter((k) => k.toLowerCase() === 'qlikticket');
  if (ticketKeys.length > 0) {
    for (const k of ticketKeys) url.searchParams.delete(k);
    redirect(x.transport, 303, `${url.pathname}${url.search}`);
    return;
  }
  if (x.segs[1] === 'assets' || (x.segs.length === 1 && isPageNavigation(x.req))) {
    serveWebPage(x.req, x.transport, 'hub', x.segs, x.path, vpBase(x));
    return;
  }
  sendJson(x.transport, 200, { user: userKeyOf(session), anonymous: session.anonymous, csrfToken: session.csrfToken }, NO_STORE);
}
