import type { IncomingMessage, ServerResponse } from 'node:http';
import { ErrorCode, ServiceError } from '@trustzone/contracts';
import { checkXrfkey } from '../edge/xrfkey';
import { queryOf } from '../auth/request-facts';
import { EdgeError, EdgeErrorCode } from '../edge/edge.error';
import { sendHttpError } from '../edge/http-error.middleware';
import { noContent, pathOf, redirect, sendHtml, sendJson } from '../edge/http-send';
import { clientIpKey } from '../edge/rate-limit.middleware';
import { securityHeaderValues } from '../edge/security-headers';
import { healthRoute } from '../health-route';
import { renderPage } from '../pages/page-renderer';
import { PAGE_CSP } from '../pages/page-style';
import { buildClearingCookie } from '../session/session-cookie';
import type { VirtualProxyConfig } from '../virtual-proxy/virtual-proxy-config.schema';
import { qrsHandler } from '../qrs/qrs-handler';
import { selectVirtualProxy } from '../virtual-proxy/virtual-proxy-selector';
import { assertedUser, identify, userKeyOf } from './identify';
import type { ProxyDeps } from './proxy-deps';

/**
 * The client-facing listener (8443): browsers, curl, enigma.js. One ordered pipeline:
 * metrics + security headers → per-IP limit → /health → virtual proxy by path → xrfkey on /qrs and /qps →
 * identify (credential / session cookie / anonymous) → per-user limit → the route.
 * X-Qlik-User is never honoured here: it is attacker-controlled text on this port, and is audited.
 */
export function clientFacingApp(deps: ProxyDeps): (req: IncomingMessage, res: ServerResponse) => void {
  // A plain node handler: this listener needs no router, and express cost ~60 µs per request here
  // (measured: 6.9k vs 12k req/s for the same answer). The API port (4243) keeps express.
  const headers = Object.entries(securityHeaderValues('api', { secure: true }));
  const health = healthRoute(deps.upstreams, deps.sessionStoreHealth);
  const fail = (res: ServerResponse, error: unknown) => {
    const status = sendHttpError(res, error);
    if (status >= 500) deps.logger.error('request failed', { status, error: error instanceof Error ? error.message : String(error) });
  };
  return (req, res) => {
    const started = performance.now();
    res.on('finish', () => deps.observe.request('client', res.statusCode, performance.now() - started));
    for (const [k, v] of headers) res.setHeader(k, v);
    const limit = deps.ipLimiter.take(clientIpKey(req));
    if (!limit.allowed) return fail(res, new EdgeError(EdgeErrorCode.RateLimited, 'too many requests', { retryAfterSeconds: limit.retryAfterSeconds }));
    const path = pathOf(req);
    if (path === '/health' && req.method === 'GET') return void health(req, res);
    handle(req, res, path, deps).catch((e: unknown) => fail(res, e));
  };
}

async function handle(req: IncomingMessage, res: ServerResponse, path: string, deps: ProxyDeps): Promise<void> {
  const sel = selectVirtualProxy(deps.registry.all(), path);
  if (!sel) throw new ServiceError(ErrorCode.NotFound, 'no virtual proxy serves this path');
  const vp = sel.config;
  const segs = sel.rest.split('/').filter((s) => s !== '');
  const area = segs[0] ?? '';

  if (req.headers['x-qlik-user'] !== undefined) {
    await deps.audit.record({ action: 'auth.header-ignored', outcome: 'denied', reason: 'X-Qlik-User sent to the client-facing port', details: { ip: req.socket.remoteAddress } });
  }
  if (area === 'qrs' || area === 'qps') {
    const x = checkXrfkey(queryOf(req.url ?? '/'), req.headersDistinct);
    if (!x.ok) {
      // A refused request is evidence of a cross-site attempt against whoever's cookie rode along.
      // It is recorded without a user: the sender is unknown (the cookie's owner did not send it),
      // and nothing about the session is looked up or touched before the check passes.
      await deps.audit.record({ action: 'csrf.refused', outcome: 'denied', reason: x.reason, details: { area, method: req.method, ip: req.socket.remoteAddress, sessionCookie: req.headers.cookie !== undefined } });
      throw new EdgeError(EdgeErrorCode.XrfkeyMismatch, `xrfkey check failed: ${x.reason}`, { field: 'xrfkey' });
    }
  }
  switch (area) {
    case 'qrs': {
      const who = await identify(req, res, vp, deps);
      limitUser(deps, userKeyOf(who.session));
      // The management API: rules see context "management" (security-rules.md).
      await qrsHandler(deps, req, res, `/${segs.slice(1).join('/')}`, assertedUser(who.session, 'management', req.socket.remoteAddress ?? ''));
      return;
    }
    case 'qps':
      await qpsClientRoute(req, res, deps, vp, segs.slice(1));
      return;
    case 'hub':
      await hubRoute(req, res, deps, vp);
      return;
    default:
      throw new ServiceError(ErrorCode.NotFound, 'not found');
  }
}


const NO_STORE = { 'Cache-Control': 'no-store' };

function limitUser(deps: ProxyDeps, user: string): void {
  const r = deps.userLimiter.take(`user:${user.toLowerCase()}`);
  if (!r.allowed) throw new EdgeError(EdgeErrorCode.RateLimited, 'too many requests', { retryAfterSeconds: r.retryAfterSeconds });
}

/** `/[prefix/]qps/…` from a browser's own session: who am I (with the CSRF token) and logout. */
async function qpsClientRoute(req: IncomingMessage, res: ServerResponse, deps: ProxyDeps, vp: VirtualProxyConfig, segs: string[]): Promise<void> {
  if (segs.length !== 1 || segs[0] !== 'user') throw new ServiceError(ErrorCode.NotFound, 'not found');
  const who = await identify(req, res, vp, deps);
  if (req.method === 'GET') {
    sendJson(res, 200, { userDirectory: who.session.userDirectory, userId: who.session.userId, csrfToken: who.session.csrfToken }, NO_STORE);
    return;
  }
  if (req.method !== 'DELETE') throw new EdgeError(EdgeErrorCode.InvalidRequest, 'use GET or DELETE');
  await deps.sessions.delete(who.session.id, 'logout');
  await deps.audit.record({ action: 'session.end', outcome: 'success', user: userKeyOf(who.session), reason: 'logout', details: { virtualProxy: vp.prefix } });
  res.appendHeader('Set-Cookie', buildClearingCookie(vp, { secure: true }));
  noContent(res);
}

/** `/[prefix/]hub/`: where a browser lands to redeem a ticket (or show who it is, with its CSRF token). */
async function hubRoute(r: IncomingMessage, s: ServerResponse, d: ProxyDeps, vp: VirtualProxyConfig): Promise<void> {
  const prefix = vp.prefix;
  let who;
  try {
    who = await identify(r, s, vp, d);
  } catch (e) {
    if (e instanceof EdgeError && e.code === EdgeErrorCode.Unauthenticated) {
      const page = renderPage({ kind: 'login-needed', virtualProxy: prefix || 'the default virtual proxy' });
      sendHtml(s, page.status, page.html, { 'Content-Security-Policy': PAGE_CSP });
      return;
    }
    throw e;
  }
  // A redeemed ticket must not linger in the address bar or the history: redirect without it.
  const url = new URL(r.url ?? '/', 'https://proxy.invalid');
  if (url.searchParams.has('qlikTicket')) {
    url.searchParams.delete('qlikTicket');
    redirect(s, 303, `${url.pathname}${url.search}`);
    return;
  }
  sendJson(s, 200, { user: userKeyOf(who.session), anonymous: who.session.anonymous, csrfToken: who.session.csrfToken }, NO_STORE);
}
