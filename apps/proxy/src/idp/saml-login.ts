import type { ServerResponse } from 'node:http';
import { randomBytes } from 'node:crypto';
import { inflateRawSync } from 'node:zlib';
import { ErrorCode, ServiceError } from '@trustzone/contracts';
import type { ProxyDeps } from '../client/proxy-deps';
import { EdgeError, EdgeErrorCode } from '../edge/edge.error';
import { redirect } from '../edge/http-send';
import { readBoundedBody } from '../edge/json-body.middleware';
import { addCookie, type Exchange } from '../pipeline/exchange';
import { writeCookies } from '../pipeline/http-door';
import type { VirtualProxyConfig } from '../virtual-proxy/virtual-proxy-config.schema';
import { completeIdpLogin } from './idp-session';
import { clearLoginCookie, loginCookie, readLoginCookie } from './login-cookie';
import { hasDoctype, parseXmlStrict } from './saml-metadata';
import { MetadataUnavailableError } from './saml-metadata-source';
import type { SamlProvider } from './saml-providers';
import { SAML_SIGNING_ALGORITHMS } from './saml-settings';
import { samlUser } from './saml-user';

/**
 * SAML 2.0 Web Browser SSO (SAML Profiles §4.1) for a virtual proxy: SP-initiated, AuthnRequest by
 * HTTP-Redirect, the IdP's Response by HTTP-POST to `/<prefix>/samlauthn/`. The signature, issuer,
 * audience, time window and InResponseTo checks are node-saml's; this file adds, before the
 * library sees the XML: no DOCTYPE (XXE), only the configured signature algorithm, the Response's
 * InResponseTo is the request this browser started (cookie-bound, as OIDC's state) and its
 * Destination is our ACS; after: the signed assertion's Recipient is our ACS and its id was never
 * used before (replay).
 */
type Res = Exchange<ServerResponse>;
const NO_STORE = { 'Cache-Control': 'no-store' };
const DSIG = 'http://www.w3.org/2000/09/xmldsig#';
const ASSERTION = 'urn:oasis:names:tc:SAML:2.0:assertion';
/** A Response with a few hundred attribute values fits; base64 of it stays under this. */
const MAX_BODY_BYTES = 512 * 1024;

export interface SamlLogin {
  prefix: string;
  returnTo: string;
  requestId: string;
}

export async function providerOf(vp: VirtualProxyConfig, deps: ProxyDeps): Promise<SamlProvider> {
  let p: SamlProvider | string;
  try {
    p = await deps.idp.saml.resolve(vp);
  } catch (e) {
    if (!(e instanceof MetadataUnavailableError)) throw e;
    deps.logger.warn('saml idp metadata unavailable', { virtualProxy: vp.prefix, error: e.message });
    // Fail closed; why exactly (the URL's status, TLS, size) is for the operator's log, not the browser.
    throw new EdgeError(EdgeErrorCode.IdpUnavailable, "the identity provider's metadata (samlMetadataIDP) cannot be read: logins through this virtual proxy are refused until it can", { field: 'samlMetadataIDP', internalDetail: e.message, retryAfterSeconds: 30 });
  }
  if (typeof p !== 'string') return p;
  deps.logger.warn('saml provider unavailable', { virtualProxy: vp.prefix, error: p });
  throw new ServiceError(ErrorCode.Unavailable, 'the identity provider is unavailable');
}

/** The AuthnRequest id inside a redirect-binding URL node-saml built (deflated, base64). */
function requestIdOf(url: string): string {
  const encoded = new URL(url).searchParams.get('SAMLRequest') ?? '';
  const xml = inflateRawSync(Buffer.from(encoded, 'base64')).toString('utf8');
  const id = /\bID="([^"]+)"/.exec(xml)?.[1];
  if (!id) throw new Error('AuthnRequest without ID');
  return id;
}

/** Sends the browser to the IdP; it comes back to `returnTo` (already checked same-origin). */
export async function startSamlLogin(x: Res, vp: VirtualProxyConfig, deps: ProxyDeps, returnTo: string): Promise<void> {
  const p = await providerOf(vp, deps);
  const relayState = randomBytes(24).toString('base64url');
  const url = await p.saml.getAuthorizeUrlAsync(relayState, undefined, {});
  const binding = deps.idp.samlPending.put(relayState, { prefix: vp.prefix, returnTo, requestId: requestIdOf(url) });
  addCookie(x, loginCookie(vp.prefix, binding, 'saml'));
  writeCookies(x);
  for (const [k, v] of Object.entries(NO_STORE)) x.transport.setHeader(k, v);
  redirect(x.transport, 302, url);
}

function failed(x: Res, vp: VirtualProxyConfig, deps: ProxyDeps, reason: string): EdgeError {
  deps.aggregate.note({ action: 'auth.login', outcome: 'failure', reason: `saml: ${reason.slice(0, 200)}`, door: x.door.name, ip: x.ip, virtualProxy: vp.prefix });
  addCookie(x, clearLoginCookie(vp.prefix, 'saml'));
  return new EdgeError(EdgeErrorCode.IdpLoginFailed, 'the login at the identity provider did not complete', { internalDetail: reason });
}

const elements = (root: Document | Element, ns: string, name: string): Element[] => Array.from((root as Element).getElementsByTagNameNS(ns, name) as unknown as ArrayLike<Element>);

/** Checks on the raw Response before node-saml reads it; a reason to refuse, or null. */
function precheck(xml: string, vp: VirtualProxyConfig, p: SamlProvider, requestId: string): string | null {
  if (hasDoctype(xml)) return 'DOCTYPE in the response (refused: XXE)';
  const doc = parseXmlStrict(xml);
  if (doc === null) return 'response is not well-formed XML';
  const root = doc.documentElement as unknown as Element;
  if (root.localName !== 'Response') return 'not a SAML Response';
  if (root.getAttribute('InResponseTo') !== requestId) return 'InResponseTo is not the request this browser started';
  const destination = root.getAttribute('Destination');
  if (destination !== null && destination !== '' && destination !== p.acsUrl) return 'Destination is not this virtual proxy';
  const methods = elements(doc, DSIG, 'SignatureMethod').map((m) => m.getAttribute('Algorithm'));
  if (methods.length === 0) return 'response is not signed';
  const wanted = SAML_SIGNING_ALGORITHMS[vp.samlAttributeSigningAlgorithm];
  if (methods.some((m) => m !== wanted)) return `signature algorithm is not ${vp.samlAttributeSigningAlgorithm}`;
  return null;
}

/** Recipient and the assertion's id and end of life, read from the assertion node-saml verified. */
function signedAssertionFacts(assertionXml: string, p: SamlProvider): { id: string; until: number } | string {
  const doc = parseXmlStrict(assertionXml);
  if (doc === null) return 'signed assertion unreadable';
  const a = doc.documentElement as unknown as Element;
  const id = a.getAttribute('ID');
  if (!id) return 'assertion without ID';
  const confirmations = elements(a, ASSERTION, 'SubjectConfirmationData');
  if (confirmations.length === 0 || confirmations.some((c) => c.getAttribute('Recipient') !== p.acsUrl)) return 'Recipient is not this virtual proxy';
  const ends = [...confirmations, ...elements(a, ASSERTION, 'Conditions')].map((e) => Date.parse(e.getAttribute('NotOnOrAfter') ?? '')).filter(Number.isFinite);
  if (ends.length === 0) return 'assertion without NotOnOrAfter';
  return { id, until: Math.max(...ends) };
}

/** `POST /<prefix>/samlauthn/` (SAMLResponse, RelayState): the IdP's answer becomes a session. */
export async function finishSamlLogin(x: Res, vp: VirtualProxyConfig, deps: ProxyDeps): Promise<void> {
  const type = (x.req.headers['content-type'] ?? '').split(';')[0]?.trim().toLowerCase();
  if (type !== 'application/x-www-form-urlencoded') throw new EdgeError(EdgeErrorCode.InvalidRequest, 'the SAML response must be a form post', { field: 'content-type' });
  const form = new URLSearchParams((await readBoundedBody(x.req, MAX_BODY_BYTES)).toString('utf8'));
  const response = form.get('SAMLResponse');
  const relayState = form.get('RelayState');
  if (response === null || response.length === 0 || !/^[A-Za-z0-9+/=\s]+$/.test(response)) throw failed(x, vp, deps, 'SAMLResponse missing or not base64');
  if (relayState === null || relayState.length === 0 || relayState.length > 128) throw failed(x, vp, deps, 'RelayState missing');
  const login = deps.idp.samlPending.take(relayState, readLoginCookie(x.req.headers.cookie, 'saml'));
  if (login === null || login.prefix !== vp.prefix) throw failed(x, vp, deps, 'RelayState unknown, expired, used, or started by another browser');
  const p = await providerOf(vp, deps);
  const xml = Buffer.from(response, 'base64').toString('utf8');
  const refused = precheck(xml, vp, p, login.requestId);
  if (refused !== null) throw failed(x, vp, deps, refused);
  let profile;
  try {
    profile = (await p.saml.validatePostResponseAsync({ SAMLResponse: response })).profile;
  } catch (e) {
    throw failed(x, vp, deps, e instanceof Error ? `${e.name}: ${e.message}` : String(e));
  }
  if (!profile?.getAssertionXml) throw failed(x, vp, deps, 'no assertion');
  const facts = signedAssertionFacts(profile.getAssertionXml(), p);
  if (typeof facts === 'string') throw failed(x, vp, deps, facts);
  if (!deps.idp.samlSeen.firstUse(`${p.idp.entityId}\u0000${facts.id}`, facts.until + 60_000)) throw failed(x, vp, deps, `assertion ${facts.id.slice(0, 64)} replayed`);
  const user = samlUser(profile.nameID, (profile.attributes ?? {}) as Record<string, unknown>, vp);
  if (typeof user === 'string') throw failed(x, vp, deps, user);
  await completeIdpLogin(x, vp, deps, {
    flow: 'saml', user, returnTo: login.returnTo, fail: (reason) => failed(x, vp, deps, reason),
    remember: (sessionId) => deps.idp.samlLogoutRefs.set(sessionId, { prefix: vp.prefix, nameID: profile.nameID, nameIDFormat: profile.nameIDFormat, sessionIndex: profile.sessionIndex }),
  });
}

/** `GET /<prefix>/saml/metadata`: this virtual proxy's SP metadata (entity id, ACS, SLO endpoint). */
export async function samlMetadata(x: Res, vp: VirtualProxyConfig, deps: ProxyDeps): Promise<void> {
  const p = await providerOf(vp, deps);
  const xml = p.saml.generateServiceProviderMetadata(null, null);
  x.transport.statusCode = 200;
  x.transport.setHeader('Content-Type', 'application/samlmetadata+xml; charset=utf-8');
  x.transport.end(xml);
}

/** The IdP's single-logout URL carrying our LogoutRequest for an ended session (SAML Profiles §4.4), when it has one. */
export async function samlLogoutUrl(vp: VirtualProxyConfig, deps: ProxyDeps, sessionId: string): Promise<string | null> {
  const ref = deps.idp.samlLogoutRefs.take(sessionId);
  const p = await providerOf(vp, deps);
  if (ref === undefined || p.idp.sloUrl === null) return null;
  const profile = { issuer: p.idp.entityId, nameID: ref.nameID, nameIDFormat: ref.nameIDFormat, ...(ref.sessionIndex === undefined ? {} : { sessionIndex: ref.sessionIndex }) };
  return p.saml.getLogoutUrlAsync(profile, '', {});
}
