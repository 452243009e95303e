import type { ServerResponse } from 'node:http';
import { ErrorCode, ServiceError } from '@trustzone/contracts';
import { userKeyOf } from '../client/asserted-user';
import type { ProxyDeps } from '../client/proxy-deps';
import { EdgeError, EdgeErrorCode } from '../edge/edge.error';
import { noContent, redirect, sendHtml } from '../edge/http-send';
import { renderPage } from '../pages/page-renderer';
import { PAGE_CSP } from '../pages/page-style';
import type { Exchange } from '../pipeline/exchange';
import { buildClearingCookie, readSessionCookie } from '../session/session-cookie';
import { canonicalHostEntry, canonicalOrigin } from '../virtual-proxy/host-entry';
import type { VirtualProxyConfig } from '../virtual-proxy/virtual-proxy-config.schema';
import { finishOidcLogin, oidcLogoutUrl, startOidcLogin } from './oidc-login';
import { backchannelLogout, frontchannelLogout } from './oidc-provider-logout';
import { basePath, publicHost } from './public-host';
import { safeReturnTo } from './return-to';
import { readBoundedBody } from '../edge/json-body.middleware';
import { samlIdpLogout } from './saml-idp-logout';
import { finishSamlLogin, samlLogoutUrl, samlMetadata, startSamlLogin } from './saml-login';

/** A signed LogoutRequest (or LogoutResponse) is a few kilobytes; base64 of it stays under this. */
const SLO_MAX_BODY_BYTES = 96 * 1024;

/**
 * The identity-provider routes of a virtual proxy, reached before anyone is identified (the
 * provider's answer is what identifies the browser):
 *   GET  /<prefix>/oidcauthn/            the provider's answer (redirect URI, as Qlik's)
 *   GET  /<prefix>/oidcauthn/login       start a login; ?returnTo=<same-origin URL>
 *   POST /<prefix>/oidcauthn/logout      end the session here and at the provider
 *   GET  /<prefix>/oidcauthn/loggedout   where the provider sends the browser after logout
 *   POST /<prefix>/oidcauthn/backchannel-logout   the provider ends sessions (signed logout_token)
 *   GET  /<prefix>/oidcauthn/frontchannel-logout  the provider ends sessions (iss + sid, in an iframe)
 * and for SAML (Qlik's paths):
 *   GET  /<prefix>/saml/metadata         this service provider's metadata
 *   POST /<prefix>/samlauthn/            the assertion consumer service (HTTP-POST binding)
 *   GET  /<prefix>/samlauthn/login       start a login; ?returnTo=<same-origin URL>
 *   POST /<prefix>/samlauthn/logout      end the session here and at the IdP (LogoutRequest)
 *   GET  /<prefix>/samlauthn/loggedout   where the IdP sends the browser after logout
 *   POST /<prefix>/samlauthn/loggedout   the SP's SingleLogoutService: the IdP ends sessions (signed LogoutRequest)
 */
export const IDP_FIRST_SEGMENTS: ReadonlySet<string> = new Set(['oidcauthn', 'samlauthn', 'saml']);

type Res = Exchange<ServerResponse>;
const notFound = () => new ServiceError(ErrorCode.NotFound, 'not found');
export const hubOf = (prefix: string) => `${basePath(prefix)}hub/`;

export async function idpRoute(x: Res, deps: ProxyDeps): Promise<void> {
  const vp = x.vp;
  if (vp?.authenticationMethod === 'saml') return samlRoute(x, vp, deps);
  if (!vp || vp.authenticationMethod !== 'oidc' || x.segs[0] !== 'oidcauthn' || x.segs.length > 2) throw notFound();
  const action = x.segs[1] ?? '';
  const method = x.req.method;
  if (action === '' && method === 'GET') return finishOidcLogin(x, vp, deps);
  if (action === 'login' && method === 'GET') return startOidcLogin(x, vp, deps, explicitReturnTo(x, vp));
  if (action === 'logout' && method === 'POST') return logout(x, vp, deps);
  if (action === 'backchannel-logout' && method === 'POST') return backchannelLogout(x, vp, deps);
  if (action === 'frontchannel-logout' && method === 'GET') return frontchannelLogout(x, vp, deps);
  if (action === 'loggedout' && method === 'GET') {
    const page = renderPage({ kind: 'logged-out', loginUrl: `${basePath(vp.prefix)}oidcauthn/login` });
    sendHtml(x.transport, page.status, page.html, { 'Content-Security-Policy': PAGE_CSP });
    return;
  }
  throw notFound();
}

async function samlRoute(x: Res, vp: VirtualProxyConfig, deps: ProxyDeps): Promise<void> {
  const [first, action = '', ...rest] = x.segs;
  const method = x.req.method;
  if (first === 'saml' && action === 'metadata' && rest.length === 0 && method === 'GET') return samlMetadata(x, vp, deps);
  if (first !== 'samlauthn' || rest.length > 0) throw notFound();
  if (action === '' && method === 'POST') return finishSamlLogin(x, vp, deps);
  if (action === 'login' && method === 'GET') return startSamlLogin(x, vp, deps, explicitReturnTo(x, vp));
  if (action === 'logout' && method === 'POST') return logout(x, vp, deps);
  if (action === 'loggedout' && (method === 'GET' || method === 'POST')) return samlLoggedOut(x, vp, deps);
  throw notFound();
}

/**
 * The SP's SingleLogoutService (the URL the SP metadata announces, HTTP-POST binding). A posted
 * SAMLRequest is the IdP ending sessions (saml-idp-logout.ts); otherwise it is the IdP's
 * LogoutResponse to our own logout, by redirect or post: the session already ended here, so that
 * answer is only read as "show the logged-out page".
 */
async function samlLoggedOut(x: Res, vp: VirtualProxyConfig, deps: ProxyDeps): Promise<void> {
  if (x.req.method === 'GET' && x.query.has('SAMLRequest')) throw new EdgeError(EdgeErrorCode.InvalidRequest, 'the single logout service takes the HTTP-POST binding', { field: 'SAMLRequest' });
  if (x.req.method === 'POST' && /^application\/x-www-form-urlencoded\b/i.test(x.req.headers['content-type'] ?? '')) {
    const form = new URLSearchParams((await readBoundedBody(x.req, SLO_MAX_BODY_BYTES)).toString('utf8'));
    if (form.has('SAMLRequest')) return samlIdpLogout(x, vp, deps, form);
  }
  const page = renderPage({ kind: 'logged-out', loginUrl: `${basePath(vp.prefix)}samlauthn/login` });
  sendHtml(x.transport, page.status, page.html, { 'Content-Security-Policy': PAGE_CSP });
}

/**
 * The host browsers reach this virtual proxy by: for SAML the configured `samlHostUri` (the ACS
 * the IdP knows is built from it), for OIDC the allow-listed Host header (public-host.ts).
 */
const hostOf = (x: Res, vp: VirtualProxyConfig) => (vp.authenticationMethod === 'saml' && vp.samlHostUri ? new URL(vp.samlHostUri).host : publicHost(x.req, vp));

function explicitReturnTo(x: Res, vp: VirtualProxyConfig): string {
  const asked = x.query.get('returnTo');
  if (asked === null) return hubOf(vp.prefix);
  const safe = safeReturnTo(asked, vp.prefix, hostOf(x, vp));
  if (safe === null) throw new EdgeError(EdgeErrorCode.InvalidRequest, 'returnTo must be a URL of this virtual proxy', { field: 'returnTo' });
  return safe;
}

/**
 * A browser that lands on a protected page of an OIDC or SAML virtual proxy without a session goes to the
 * provider and comes back to that page. Only page loads (GET asking for HTML, or the hub): an API
 * call gets its 401 and decides itself.
 */
export function wantsLoginRedirect(x: Res): boolean {
  const m = x.vp?.authenticationMethod;
  if ((m !== 'oidc' && m !== 'saml') || x.req.method !== 'GET') return false;
  return x.area === 'hub' || /\btext\/html\b/.test(x.req.headers.accept ?? '');
}

export async function redirectToLogin(x: Res, deps: ProxyDeps): Promise<void> {
  const vp = x.vp;
  if (!vp) throw new Error('login redirect needs the virtual proxy');
  const returnTo = safeReturnTo(x.req.url ?? '', vp.prefix, hostOf(x, vp)) ?? hubOf(vp.prefix);
  if (vp.authenticationMethod === 'saml') await startSamlLogin(x, vp, deps, returnTo);
  else await startOidcLogin(x, vp, deps, returnTo);
}

/**
 * Logout is a POST whose Origin is this very host (a cross-site page cannot log a user out, nor
 * probe the session); the session ends here first, then the browser goes to the provider.
 */
async function logout(x: Res, vp: VirtualProxyConfig, deps: ProxyDeps): Promise<void> {
  const host = hostOf(x, vp);
  const origin = canonicalOrigin(x.req.headers.origin);
  if (origin === null || origin !== canonicalHostEntry(host)) throw new EdgeError(EdgeErrorCode.OriginNotAllowed, 'logout must come from this site', { field: 'Origin' });
  const id = readSessionCookie(x.req.headers.cookie, vp);
  const session = id === null ? null : await deps.sessions.get(id);
  x.transport.appendHeader('Set-Cookie', buildClearingCookie(vp, { secure: true }));
  if (session === null || session.prefix !== vp.prefix) {
    noContent(x.transport);
    return;
  }
  await deps.sessions.delete(session.id, 'logout');
  const via = vp.authenticationMethod === 'saml' ? 'saml' : 'oidc';
  await deps.audit.record({ action: 'session.end', outcome: 'success', user: userKeyOf(session), reason: 'logout', details: { virtualProxy: vp.prefix, via } });
  const url = via === 'saml' ? await samlLogoutUrl(vp, deps, session.id) : await oidcLogoutUrl(vp, deps, session.id, host);
  if (url === null) noContent(x.transport);
  else redirect(x.transport, 303, url);
}
