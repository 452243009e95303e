import type { ServerResponse } from 'node:http';
import { createRemoteJWKSet, jwtVerify, type JWTPayload } from 'jose';
import type * as oidc from 'openid-client';
import { userKeyOf } from '../client/asserted-user';
import type { ProxyDeps } from '../client/proxy-deps';
import { readBoundedBody } from '../edge/json-body.middleware';
import { EdgeError, EdgeErrorCode } from '../edge/edge.error';
import { sendHtml, sendJson } from '../edge/http-send';
import type { Exchange } from '../pipeline/exchange';
import type { VirtualProxyConfig } from '../virtual-proxy/virtual-proxy-config.schema';
import { CLOCK_TOLERANCE_S, MAX_TOKEN_AGE_S } from './logout-token-cache';
import { providerConfigOf } from './oidc-login';

/**
 * Provider-initiated OIDC logout: the provider tells this relying party that a provider session
 * (`sid`) or a user (`sub`) has logged out, and every proxy session that login made ends (its QIX
 * sockets get OnSessionLoggedOut and close: ws/qix-relay.ts listens for session ends).
 *   POST /<prefix>/oidcauthn/backchannel-logout   OpenID Connect Back-Channel Logout 1.0 (§2.5)
 *   GET  /<prefix>/oidcauthn/frontchannel-logout  OpenID Connect Front-Channel Logout 1.0 (§2)
 * The logout token's signature, `iss`, `aud`, `iat`, `exp` are checked by jose (the library
 * openid-client itself uses) against the provider's JWKS; no JOSE is written here.
 */
type Res = Exchange<ServerResponse>;
const BACKCHANNEL_EVENT = 'http://schemas.openid.net/event/backchannel-logout';
const MAX_BODY_BYTES = 16_384;

// One remote key set per provider Configuration: jose caches the JWKS, re-reads it at most once
// a minute when a token names an unknown kid (key rotation), and bounds the fetch in time.
const keySets = new WeakMap<oidc.Configuration, ReturnType<typeof createRemoteJWKSet>>();
function keySetOf(config: oidc.Configuration): ReturnType<typeof createRemoteJWKSet> {
  let ks = keySets.get(config);
  if (!ks) {
    const uri = config.serverMetadata().jwks_uri;
    if (typeof uri !== 'string') throw new Error('provider publishes no jwks_uri');
    ks = createRemoteJWKSet(new URL(uri), { timeoutDuration: 5_000, cooldownDuration: 60_000, cacheMaxAge: 300_000 });
    keySets.set(config, ks);
  }
  return ks;
}

/** Back-Channel Logout 1.0 §2.6: the checks on a logout token; the reason it is refused, or its claims. */
export async function verifyLogoutToken(config: oidc.Configuration, token: string): Promise<JWTPayload | string> {
  const meta = config.serverMetadata();
  const client = config.clientMetadata();
  const alg = typeof client.id_token_signed_response_alg === 'string' ? client.id_token_signed_response_alg : 'RS256';
  let payload: JWTPayload;
  try {
    ({ payload } = await jwtVerify(token, keySetOf(config), {
      issuer: meta.issuer,
      audience: client.client_id,
      // Only the asymmetric algorithm ID tokens use: never `none`, never an HMAC keyed by the secret.
      algorithms: [alg.startsWith('HS') ? 'RS256' : alg],
      clockTolerance: CLOCK_TOLERANCE_S,
      maxTokenAge: MAX_TOKEN_AGE_S,
      requiredClaims: ['iat', 'jti', 'events'],
    }));
  } catch (e) {
    return e instanceof Error ? `${e.name}: ${e.message}` : 'logout token invalid';
  }
  const events = payload['events'];
  if (typeof events !== 'object' || events === null || Array.isArray(events)) return 'events claim missing';
  const event = (events as Record<string, unknown>)[BACKCHANNEL_EVENT];
  if (typeof event !== 'object' || event === null || Array.isArray(event)) return 'events claim has no back-channel logout event';
  // A nonce would make it replayable as an ID token (§2.4): it must not be there.
  if (Object.hasOwn(payload, 'nonce')) return 'logout token carries a nonce';
  const sid = payload['sid'];
  if (sid !== undefined && (typeof sid !== 'string' || sid.length === 0)) return 'sid is not a string';
  if (payload.sub !== undefined && (typeof payload.sub !== 'string' || payload.sub.length === 0)) return 'sub is not a string';
  if (sid === undefined && payload.sub === undefined) return 'neither sid nor sub';
  if (typeof payload.jti !== 'string' || payload.jti.length === 0 || payload.jti.length > 256) return 'jti invalid';
  return payload;
}

function refused(x: Res, vp: VirtualProxyConfig, deps: ProxyDeps, how: string, reason: string): EdgeError {
  deps.aggregate.note({ action: 'session.end', outcome: 'failure', reason: `oidc ${how} logout: ${reason.slice(0, 200)}`, door: x.door.name, ip: x.ip, virtualProxy: vp.prefix });
  return new EdgeError(EdgeErrorCode.InvalidRequest, 'logout request refused', { internalDetail: reason });
}

async function endSessions(vp: VirtualProxyConfig, deps: ProxyDeps, by: { sid?: string | undefined; sub?: string | undefined }, how: string): Promise<number> {
  let n = 0;
  for (const id of deps.idp.logoutHints.find(vp.prefix, by)) {
    deps.idp.logoutHints.take(id);
    const s = await deps.sessions.get(id);
    if (!s || s.prefix !== vp.prefix) continue;
    if (await deps.sessions.delete(id, 'logout')) n += 1;
    await deps.audit.record({ action: 'session.end', outcome: 'success', user: userKeyOf(s), reason: 'logout', details: { virtualProxy: vp.prefix, via: `oidc-${how}` } });
  }
  return n;
}

/** `POST /<prefix>/oidcauthn/backchannel-logout` with `logout_token` (form). 200 once handled (§2.8). */
export async function backchannelLogout(x: Res, vp: VirtualProxyConfig, deps: ProxyDeps): Promise<void> {
  if (!/^application\/x-www-form-urlencoded\b/i.test(x.req.headers['content-type'] ?? '')) throw refused(x, vp, deps, 'back-channel', 'not a form post');
  const form = new URLSearchParams((await readBoundedBody(x.req, MAX_BODY_BYTES)).toString('utf8'));
  const token = form.get('logout_token');
  if (token === null || token.length === 0) throw new EdgeError(EdgeErrorCode.InvalidRequest, 'logout_token is required', { field: 'logout_token' });
  const config = await providerConfigOf(vp, deps);
  const claims = await verifyLogoutToken(config, token);
  if (typeof claims === 'string') throw refused(x, vp, deps, 'back-channel', claims);
  if (!deps.idp.seenLogoutTokens.firstUse(String(claims.iss), String(claims.jti))) throw refused(x, vp, deps, 'back-channel', 'logout token already used');
  const sid = typeof claims['sid'] === 'string' ? claims['sid'] : undefined;
  await endSessions(vp, deps, { sid, sub: claims.sub }, 'backchannel');
  sendJson(x.transport, 200, {}, { 'Cache-Control': 'no-store' });
}

/**
 * `GET /<prefix>/oidcauthn/frontchannel-logout?iss=…&sid=…`, loaded by the provider in an iframe.
 * Both parameters are required (§2, frontchannel_logout_session_required) and `iss` must be the
 * provider's: a wrong one ends nothing. It carries no signature, so it can end only the sessions of
 * a `sid` the provider issued (unguessable); the answer is an empty page the provider may frame
 * (only the provider: `frame-ancestors` its origin), never a redirect.
 */
export async function frontchannelLogout(x: Res, vp: VirtualProxyConfig, deps: ProxyDeps): Promise<void> {
  const iss = x.query.get('iss');
  const sid = x.query.get('sid');
  if (iss === null || iss.length === 0 || iss.length > 2048) throw new EdgeError(EdgeErrorCode.InvalidRequest, 'iss is required', { field: 'iss' });
  if (sid === null || sid.length === 0 || sid.length > 256) throw new EdgeError(EdgeErrorCode.InvalidRequest, 'sid is required', { field: 'sid' });
  const config = await providerConfigOf(vp, deps);
  const issuer = config.serverMetadata().issuer;
  if (iss !== issuer) throw refused(x, vp, deps, 'front-channel', 'iss is not the provider');
  await endSessions(vp, deps, { sid }, 'frontchannel');
  x.transport.removeHeader('x-frame-options');
  sendHtml(x.transport, 200, '<!doctype html><title>Logged out</title>', {
    'Cache-Control': 'no-store',
    'Content-Security-Policy': `default-src 'none'; frame-ancestors ${new URL(issuer).origin}; base-uri 'none'; form-action 'none'`,
  });
}
