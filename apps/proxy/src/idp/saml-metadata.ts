import { DOMParser } from '@xmldom/xmldom';

/**
 * What the proxy needs from an identity provider's SAML 2.0 metadata document (SAML Metadata 2.0
 * §2.4.3 IDPSSODescriptor): its entity id, its single sign-on and single logout endpoints for the
 * HTTP-Redirect binding, and the certificates it signs with. A document type declaration is refused
 * before parsing (no entity expansion, no external entity: XXE and "billion laughs" have no way in).
 */
export interface IdpMetadata {
  entityId: string;
  ssoUrl: string;
  sloUrl: string | null;
  /** Base64 DER bodies of the IdP's signing certificates. */
  certificates: string[];
}

const MD = 'urn:oasis:names:tc:SAML:2.0:metadata';
const DS = 'http://www.w3.org/2000/09/xmldsig#';
const REDIRECT = 'urn:oasis:names:tc:SAML:2.0:bindings:HTTP-Redirect';
export const MAX_METADATA_CHARS = 256 * 1024;

/** True when an XML text declares a DTD or entities (refused everywhere SAML XML is read). */
export const hasDoctype = (xml: string) => /<!DOCTYPE|<!ENTITY/i.test(xml);

/** Parses XML without ever tolerating errors (xmldom otherwise recovers from malformed input). */
export function parseXmlStrict(xml: string): Document | null {
  if (hasDoctype(xml)) return null;
  let failed = false;
  const onError = () => {
    failed = true;
  };
  const doc = new DOMParser({ onError, errorHandler: { warning: () => undefined, error: onError, fatalError: onError } } as ConstructorParameters<typeof DOMParser>[0]).parseFromString(xml, 'text/xml');
  return failed || !doc?.documentElement ? null : (doc as unknown as Document);
}

const children = (el: Element | Document, ns: string, name: string): Element[] =>
  Array.from((el as Element).getElementsByTagNameNS(ns, name) as unknown as ArrayLike<Element>);

export function parseIdpMetadata(xml: string): IdpMetadata | string {
  if (xml.length > MAX_METADATA_CHARS) return `longer than ${MAX_METADATA_CHARS} characters`;
  const doc = parseXmlStrict(xml) as unknown as Element | null;
  if (doc === null) return 'is not well-formed XML without a DOCTYPE';
  const root = (doc as unknown as { documentElement: Element }).documentElement;
  if (root.namespaceURI !== MD || root.localName !== 'EntityDescriptor') return 'must be an md:EntityDescriptor';
  const entityId = root.getAttribute('entityID') ?? '';
  if (entityId === '' || entityId.length > 1024) return 'has no entityID';
  const idp = children(root, MD, 'IDPSSODescriptor')[0];
  if (!idp) return 'has no IDPSSODescriptor';
  const endpoint = (kind: string) => children(idp, MD, kind).find((e) => e.getAttribute('Binding') === REDIRECT)?.getAttribute('Location') ?? null;
  const ssoUrl = endpoint('SingleSignOnService');
  if (ssoUrl === null || !httpsUrl(ssoUrl)) return 'has no https SingleSignOnService for the HTTP-Redirect binding';
  const sloUrl = endpoint('SingleLogoutService');
  if (sloUrl !== null && !httpsUrl(sloUrl)) return 'has a SingleLogoutService that is not an https URL';
  const certificates = children(idp, MD, 'KeyDescriptor')
    .filter((k) => (k.getAttribute('use') ?? 'signing') === 'signing')
    .flatMap((k) => children(k, DS, 'X509Certificate'))
    .map((c) => (c.textContent ?? '').replace(/\s+/g, ''))
    .filter((c) => /^[A-Za-z0-9+/]+=*$/.test(c));
  if (certificates.length === 0) return 'has no signing certificate (KeyDescriptor use="signing" with an X509Certificate)';
  return { entityId, ssoUrl, sloUrl, certificates };
}

const LOOPBACK = new Set(['127.0.0.1', '[::1]', 'localhost']);
/** https, or http to a loopback IdP only (as oidc-settings.ts admits a loopback provider). */
function httpsUrl(text: string): boolean {
  try {
    const u = new URL(text);
    if (u.username !== '' || u.password !== '' || u.hash !== '') return false;
    return u.protocol === 'https:' || (u.protocol === 'http:' && LOOPBACK.has(u.hostname));
  } catch {
    return false;
  }
}

/** PEM form of a base64 DER certificate (what node-saml's idpCert takes). */
export const pemOf = (b64: string) => `-----BEGIN CERTIFICATE-----\n${b64.match(/.{1,64}/g)?.join('\n') ?? ''}\n-----END CERTIFICATE-----\n`;
