import type { ServerResponse } from 'node:http';
import * as oidc from 'openid-client';
import { ErrorCode, ServiceError } from '@trustzone/contracts';
import type { ProxyDeps } from '../client/proxy-deps';
import { EdgeError, EdgeErrorCode } from '../edge/edge.error';
import { redirect } from '../edge/http-send';
import { addCookie, type Exchange } from '../pipeline/exchange';
import { writeCookies } from '../pipeline/http-door';
import type { VirtualProxyConfig } from '../virtual-proxy/virtual-proxy-config.schema';
import { completeIdpLogin } from './idp-session';
import { clearLoginCookie, loginCookie, readLoginCookie } from './login-cookie';
import { mappedClaims, oidcUser } from './oidc-user';
import { pkceChallenge } from './pkce';
import { basePath, publicHost } from './public-host';

/**
 * OpenID Connect login for a virtual proxy: authorization code flow with PKCE (RFC 7636, S256),
 * `state` and `nonce` (OpenID Connect Core 1.0 §3.1.2.1, §15.5.2). Token and ID-token validation
 * (signature against the provider's JWKS, iss, aud, azp, exp, iat, nbf, nonce, the `iss`
 * authorization-response parameter of RFC 9207) is openid-client's: no JOSE is written here.
 */
type Res = Exchange<ServerResponse>;
const NO_STORE = { 'Cache-Control': 'no-store' };

// serverMetadata() clones the provider's metadata on every call (a measurable share of a login's
// CPU): read the two endpoints once per Configuration.
const endpoints = new WeakMap<oidc.Configuration, { userinfo: boolean; endSession: boolean }>();
function endpointsOf(config: oidc.Configuration): { userinfo: boolean; endSession: boolean } {
  let e = endpoints.get(config);
  if (!e) {
    const m = config.serverMetadata();
    e = { userinfo: typeof m.userinfo_endpoint === 'string', endSession: typeof m.end_session_endpoint === 'string' };
    endpoints.set(config, e);
  }
  return e;
}

export const providerConfigOf = (vp: VirtualProxyConfig, deps: ProxyDeps) => providerOf(vp, deps);

export const redirectUriOf = (host: string, prefix: string) => `https://${host}${basePath(prefix)}oidcauthn/`;

async function providerOf(vp: VirtualProxyConfig, deps: ProxyDeps): Promise<oidc.Configuration> {
  try {
    return await deps.idp.clients.get(vp);
  } catch (e) {
    deps.logger.warn('oidc provider unavailable', { virtualProxy: vp.prefix, error: e instanceof Error ? e.message : String(e) });
    throw new ServiceError(ErrorCode.Unavailable, 'the identity provider is unavailable');
  }
}

/** Sends the browser to the provider; it comes back to `returnTo` (already checked same-origin). */
export async function startOidcLogin(x: Res, vp: VirtualProxyConfig, deps: ProxyDeps, returnTo: string): Promise<void> {
  const host = publicHost(x.req, vp);
  const config = await providerOf(vp, deps);
  const redirectUri = redirectUriOf(host, vp.prefix);
  const state = oidc.randomState();
  const nonce = oidc.randomNonce();
  const codeVerifier = oidc.randomPKCECodeVerifier();
  const binding = deps.idp.pending.put(state, { prefix: vp.prefix, redirectUri, codeVerifier, nonce, returnTo });
  const url = oidc.buildAuthorizationUrl(config, {
    redirect_uri: redirectUri,
    scope: vp.oidcScope,
    response_type: 'code',
    code_challenge: pkceChallenge(codeVerifier),
    code_challenge_method: 'S256',
    state,
    nonce,
  });
  addCookie(x, loginCookie(vp.prefix, binding));
  writeCookies(x);
  for (const [k, v] of Object.entries(NO_STORE)) x.transport.setHeader(k, v);
  redirect(x.transport, 302, url.href);
}

function failed(x: Res, vp: VirtualProxyConfig, deps: ProxyDeps, reason: string): EdgeError {
  deps.aggregate.note({ action: 'auth.login', outcome: 'failure', reason: `oidc: ${reason.slice(0, 200)}`, door: x.door.name, ip: x.ip, virtualProxy: vp.prefix });
  addCookie(x, clearLoginCookie(vp.prefix));
  return new EdgeError(EdgeErrorCode.IdpLoginFailed, 'the login at the identity provider did not complete', { internalDetail: reason });
}

/** `GET /<prefix>/oidcauthn/?code&state[&iss]`: the provider's answer becomes a session. */
export async function finishOidcLogin(x: Res, vp: VirtualProxyConfig, deps: ProxyDeps): Promise<void> {
  const state = x.query.get('state');
  if (x.query.has('error')) throw failed(x, vp, deps, `provider answered error=${String(x.query.get('error')).slice(0, 64)}`);
  if (state === null || state.length === 0 || state.length > 128) throw failed(x, vp, deps, 'state missing');
  const login = deps.idp.pending.take(state, readLoginCookie(x.req.headers.cookie));
  if (login === null || login.prefix !== vp.prefix) throw failed(x, vp, deps, 'state unknown, expired, used, or started by another browser');
  const config = await providerOf(vp, deps);
  const current = new URL(login.redirectUri);
  current.search = x.query.toString();
  let claims: Record<string, unknown>;
  let idToken: string | undefined;
  try {
    const tokens = await oidc.authorizationCodeGrant(config, current, { pkceCodeVerifier: login.codeVerifier, expectedState: state, expectedNonce: login.nonce, idTokenExpected: true });
    const idClaims = tokens.claims();
    if (!idClaims) throw new Error('no ID token');
    idToken = tokens.id_token;
    // Userinfo (Core §5.3) completes what the ID token leaves out — asked only when a mapped claim
    // is missing from it; its `sub` must be the token's (checked by the library), and the ID
    // token's claims win where both speak.
    const missing = mappedClaims(vp).some((c) => !Object.hasOwn(idClaims, c));
    const userinfo = missing && endpointsOf(config).userinfo && tokens.access_token ? await oidc.fetchUserInfo(config, tokens.access_token, idClaims.sub) : {};
    claims = { ...userinfo, ...idClaims };
  } catch (e) {
    throw failed(x, vp, deps, e instanceof Error ? `${e.name}: ${e.message}` : String(e));
  }
  const user = oidcUser(claims, vp);
  if (typeof user === 'string') throw failed(x, vp, deps, user);
  await completeIdpLogin(x, vp, deps, {
    flow: 'oidc', user, returnTo: login.returnTo, fail: (reason) => failed(x, vp, deps, reason),
    remember: (sessionId) => {
      const sid = typeof claims['sid'] === 'string' ? claims['sid'] : undefined;
      if (idToken !== undefined) deps.idp.logoutHints.set(sessionId, { prefix: vp.prefix, idToken, sub: String(claims['sub']), ...(sid === undefined ? {} : { sid }) });
    },
  });
}

/** The provider's end-session URL for a logged-out session, when it has one (RP-Initiated Logout §2). */
export async function oidcLogoutUrl(vp: VirtualProxyConfig, deps: ProxyDeps, sessionId: string, host: string): Promise<string | null> {
  const idToken = deps.idp.logoutHints.take(sessionId);
  const config = await providerOf(vp, deps);
  if (!endpointsOf(config).endSession) return null;
  const params: Record<string, string> = { post_logout_redirect_uri: `https://${host}${basePath(vp.prefix)}oidcauthn/loggedout` };
  if (idToken !== undefined) params['id_token_hint'] = idToken;
  return oidc.buildEndSessionUrl(config, params).href;
}
