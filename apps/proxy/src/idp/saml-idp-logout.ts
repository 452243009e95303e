import type { ServerResponse } from 'node:http';
import { userKeyOf } from '../client/asserted-user';
import type { ProxyDeps } from '../client/proxy-deps';
import { EdgeError, EdgeErrorCode } from '../edge/edge.error';
import { redirect, sendHtml } from '../edge/http-send';
import { renderPage } from '../pages/page-renderer';
import { PAGE_CSP } from '../pages/page-style';
import type { Exchange } from '../pipeline/exchange';
import type { VirtualProxyConfig } from '../virtual-proxy/virtual-proxy-config.schema';
import { basePath } from './public-host';
import { hasDoctype, parseXmlStrict } from './saml-metadata';
import { providerOf } from './saml-login';
import { samlLoggedOutUrlOf } from './saml-providers';
import { SAML_SIGNING_ALGORITHMS } from './saml-settings';

/**
 * IdP-initiated SAML single logout (SAML Profiles §4.4.3, SP side): the IdP posts a LogoutRequest to
 * the SingleLogoutService our SP metadata announces — `POST /<prefix>/samlauthn/loggedout`, the
 * HTTP-POST binding (node-saml's metadata names that binding only; a redirect-binding request is
 * refused, node-saml would take an unsigned one). Every proxy session the named NameID (and
 * SessionIndex, when given) logged in with ends, its QIX sockets get OnSessionLoggedOut and close
 * (ws/qix-relay.ts listens for session ends), and the IdP gets a LogoutResponse by HTTP-Redirect.
 * The signature (over the whole request, with the IdP metadata's certificates), issuer and
 * NotBefore/NotOnOrAfter checks are node-saml's; this file adds, before the library reads the XML:
 * no DOCTYPE, a signature is there and uses the configured algorithm, Destination is this endpoint,
 * IssueInstant is recent; after: the request id was never used before (replay). A refused request
 * ends nothing and gets no LogoutResponse (its sender is not known to be the IdP).
 */
type Res = Exchange<ServerResponse>;
const PROTOCOL = 'urn:oasis:names:tc:SAML:2.0:protocol';
const DSIG = 'http://www.w3.org/2000/09/xmldsig#';
const MAX_REQUEST_CHARS = 64 * 1024;
/** A LogoutRequest older than this is refused whatever its NotOnOrAfter: the replay cache keeps ids this long. */
export const MAX_LOGOUT_REQUEST_AGE_MS = 5 * 60_000;
const SKEW_MS = 30_000;

const elements = (root: Document | Element, ns: string, name: string): Element[] => Array.from((root as Element).getElementsByTagNameNS(ns, name) as unknown as ArrayLike<Element>);

function refused(x: Res, vp: VirtualProxyConfig, deps: ProxyDeps, reason: string): EdgeError {
  deps.aggregate.note({ action: 'session.end', outcome: 'failure', reason: `saml idp logout: ${reason.slice(0, 200)}`, door: x.door.name, ip: x.ip, virtualProxy: vp.prefix });
  return new EdgeError(EdgeErrorCode.InvalidRequest, 'logout request refused', { internalDetail: reason });
}

interface Prechecked {
  id: string;
  issuedAt: number;
  sessionIndexes: string[];
}

/** Checks on the raw LogoutRequest before node-saml reads it; a reason to refuse, or what the rest needs. */
function precheck(xml: string, vp: VirtualProxyConfig, now: number): Prechecked | string {
  if (hasDoctype(xml)) return 'DOCTYPE in the logout request (refused: XXE)';
  const doc = parseXmlStrict(xml);
  if (doc === null) return 'logout request is not well-formed XML';
  const root = doc.documentElement as unknown as Element;
  if (root.namespaceURI !== PROTOCOL || root.localName !== 'LogoutRequest') return 'not a SAML LogoutRequest';
  const id = root.getAttribute('ID') ?? '';
  if (id === '' || id.length > 256) return 'LogoutRequest without a usable ID';
  // SAML Bindings §3.5.5.2: a signed message sent by HTTP-POST must name its Destination.
  if (root.getAttribute('Destination') !== samlLoggedOutUrlOf(vp.samlHostUri ?? '', vp.prefix)) return 'Destination is not this single logout service';
  const issuedAt = Date.parse(root.getAttribute('IssueInstant') ?? '');
  if (!Number.isFinite(issuedAt)) return 'LogoutRequest without IssueInstant';
  if (issuedAt > now + SKEW_MS || now - issuedAt > MAX_LOGOUT_REQUEST_AGE_MS + SKEW_MS) return 'IssueInstant out of range';
  const methods = elements(doc, DSIG, 'SignatureMethod').map((m) => m.getAttribute('Algorithm'));
  if (methods.length === 0) return 'logout request is not signed';
  const wanted = SAML_SIGNING_ALGORITHMS[vp.samlAttributeSigningAlgorithm];
  if (methods.some((m) => m !== wanted)) return `signature algorithm is not ${vp.samlAttributeSigningAlgorithm}`;
  const sessionIndexes = elements(root, PROTOCOL, 'SessionIndex').map((e) => (e.textContent ?? '').trim());
  if (sessionIndexes.length > 64 || sessionIndexes.some((s) => s === '' || s.length > 256)) return 'SessionIndex unusable';
  return { id, issuedAt, sessionIndexes };
}

/** `POST /<prefix>/samlauthn/loggedout` carrying `SAMLRequest` (and `RelayState`), already read from the form. */
export async function samlIdpLogout(x: Res, vp: VirtualProxyConfig, deps: ProxyDeps, form: URLSearchParams): Promise<void> {
  const p = await providerOf(vp, deps);
  const request = form.get('SAMLRequest') ?? '';
  const relayState = form.get('RelayState') ?? '';
  if (request.length === 0 || request.length > MAX_REQUEST_CHARS || !/^[A-Za-z0-9+/=\s]+$/.test(request)) throw new EdgeError(EdgeErrorCode.InvalidRequest, 'SAMLRequest must be a base64 LogoutRequest', { field: 'SAMLRequest' });
  // SAML Bindings §3.5.3: RelayState is at most 80 bytes.
  if (Buffer.byteLength(relayState) > 80) throw new EdgeError(EdgeErrorCode.InvalidRequest, 'RelayState is longer than 80 bytes', { field: 'RelayState' });
  const now = Date.now();
  const checked = precheck(Buffer.from(request, 'base64').toString('utf8'), vp, now);
  if (typeof checked === 'string') throw refused(x, vp, deps, checked);
  let profile;
  try {
    profile = (await p.saml.validatePostRequestAsync({ SAMLRequest: request })).profile;
  } catch (e) {
    throw refused(x, vp, deps, e instanceof Error ? `${e.name}: ${e.message}` : String(e));
  }
  if (!profile?.nameID) throw refused(x, vp, deps, 'no NameID');
  // Kept as long as the request could still be taken (its IssueInstant bounds that, above).
  if (!deps.idp.samlSeenLogouts.firstUse(`${p.idp.entityId}\u0000${checked.id}`, checked.issuedAt + MAX_LOGOUT_REQUEST_AGE_MS + 2 * SKEW_MS)) throw refused(x, vp, deps, `logout request ${checked.id.slice(0, 64)} replayed`);
  let ended = 0;
  for (const id of deps.idp.samlLogoutRefs.find(vp.prefix, profile.nameID, checked.sessionIndexes)) {
    deps.idp.samlLogoutRefs.take(id);
    const s = await deps.sessions.get(id);
    if (!s || s.prefix !== vp.prefix) continue;
    if (await deps.sessions.delete(id, 'logout')) ended += 1;
    await deps.audit.record({ action: 'session.end', outcome: 'success', user: userKeyOf(s), reason: 'logout', details: { virtualProxy: vp.prefix, via: 'saml-idp-logout' } });
  }
  deps.logger.info('saml idp-initiated logout', { virtualProxy: vp.prefix, ended });
  x.transport.setHeader('Cache-Control', 'no-store');
  if (p.idp.sloUrl === null) {
    const page = renderPage({ kind: 'logged-out', loginUrl: `${basePath(vp.prefix)}samlauthn/login` });
    sendHtml(x.transport, page.status, page.html, { 'Content-Security-Policy': PAGE_CSP });
    return;
  }
  // Success even when no session was left here: the user is logged out of this SP either way (SAML Core §3.7.3.2).
  redirect(x.transport, 303, await p.saml.getLogoutResponseUrlAsync(profile, relayState, {}, true));
}
