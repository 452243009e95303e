import { z } from 'zod';
import { parseCidr } from '@trustzone/config';
import type { EntityMeta } from './entity-types';
import { boundedList, dbText, hostNameWithPort, LIMITS } from './field-schemas';

/** proxy-and-repository-api.md: headers the proxy itself uses may not carry an identity. */
export const RESERVED_HEADER_NAMES = ['x-qlik-user', 'x-qlik-security', 'x-qlik-proxysession', 'x-qlik-proxyid', 'x-qlik-trace', 'x-qlik-xrfkey'];

/** An HTTP field name (RFC 9110 §5.1 token). */
const headerToken = z.string().max(128).regex(/^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/, 'must be an HTTP header name');

/** Hosts allowed as WebSocket Origin (host or host:port, lower-cased). */
export const whiteList = boundedList(hostNameWithPort, 100);
/**
 * Addresses a header virtual proxy accepts its header from (CIDR blocks, stored in canonical form).
 * The column default, and so every header virtual proxy made before this field existed, is loopback.
 */
export const trustedSources = boundedList(
  z.string().transform((text, ctx) => {
    const r = parseCidr(text);
    if (r.ok) return r.cidr.text;
    ctx.addIssue({ code: 'custom', message: r.reason });
    return z.NEVER;
  }),
  64,
);
/** JWT claim name → session attribute name. */
export const attributeMap = z
  .record(dbText(LIMITS.shortText, 1), dbText(LIMITS.shortText, 1))
  .refine((m) => Object.keys(m).length <= 100, 'must have at most 100 entries');

const LOOPBACK = new Set(['127.0.0.1', '[::1]', 'localhost']);
/** The OIDC discovery URL: https, or http to a loopback provider only (as the proxy accepts). */
function idpUrlOk(text: string): boolean {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    return false;
  }
  if (url.username !== '' || url.password !== '' || url.hash !== '') return false;
  return url.protocol === 'https:' || (url.protocol === 'http:' && LOOPBACK.has(url.hostname));
}
/**
 * Qlik's authenticationModuleRedirectUri: the external login portal unauthenticated browsers are sent
 * to. "" (none) or an absolute https URL without credentials or fragment (it is handed to browsers).
 */
export const moduleRedirectUri = z.union([
  z.literal(''),
  dbText(1024).refine((u) => {
    try {
      const url = new URL(u);
      return url.protocol === 'https:' && url.username === '' && url.password === '' && url.hash === '';
    } catch {
      return false;
    }
  }, 'must be an absolute https URL without credentials or fragment'),
]);

/** SAML's public origin of the proxy: "" or https://host[:port] without path (the proxy builds its ACS URL from it). */
const samlHostUri = z.union([
  z.literal(''),
  dbText(512).refine((u) => {
    try {
      const url = new URL(u);
      return url.protocol === 'https:' && url.username === '' && url.password === '' && url.pathname === '/' && url.search === '' && url.hash === '' && !u.endsWith('/');
    } catch {
      return false;
    }
  }, 'must be https://host[:port] (no path, query, credentials or trailing slash)'),
]);
/**
 * The IdP's SAML metadata document. The proxy reads it fully when it loads the setting
 * (apps/proxy/src/idp/saml-metadata.ts); here: bounded, and never a DTD (no XXE can be stored).
 * Or (trustzone's extension, not Qlik's) the https URL the IdP publishes it at, as the OIDC
 * discovery URL: the proxy fetches it (apps/proxy/src/idp/saml-metadata-source.ts).
 */
const samlMetadata = z.union([
  z.literal(''),
  dbText(2048).regex(/^https?:\/\//i).refine(idpUrlOk, 'must be an https URL (http only for a loopback host), without credentials or fragment'),
  dbText(256 * 1024).refine((x) => !/<!DOCTYPE|<!ENTITY/i.test(x), 'must not contain a DOCTYPE or ENTITY declaration').refine((x) => /<(\w+:)?EntityDescriptor\b/.test(x) && /IDPSSODescriptor\b/.test(x), 'must be an IdP metadata document (md:EntityDescriptor with an IDPSSODescriptor)'),
]);

export const vpFields = {
  /** Lower case `a-z0-9-._~`; "" is the default virtual proxy. */
  prefix: z.string().max(64).regex(/^[a-z0-9\-._~]*$/, 'must be lower case a-z, 0-9, - . _ ~'),
  description: dbText(LIMITS.text),
  authenticationMethod: z.enum(['ticket', 'header', 'jwt', 'oidc', 'saml']),
  /** 0 none, 1 allowed, 2 always (anonymous only). */
  anonymousAccessMode: z.union([z.literal(0), z.literal(1), z.literal(2)]),
  headerAuthenticationHeaderName: z.union([z.literal(''), headerToken.refine((h) => !RESERVED_HEADER_NAMES.includes(h.toLowerCase()), 'is reserved for the proxy')]),
  headerAuthenticationStaticUserDirectory: dbText(LIMITS.identity),
  headerAuthenticationDynamicUserDirectory: dbText(LIMITS.shortText),
  headerAuthenticationTrustedSources: trustedSources,
  jwtPublicKeyCertificate: dbText(LIMITS.certificate),
  jwtAttributeUserId: dbText(LIMITS.shortText),
  jwtAttributeUserDirectory: dbText(LIMITS.shortText),
  jwtAudience: dbText(LIMITS.shortText),
  jwtIssuer: dbText(LIMITS.shortText),
  jwtAttributeMap: attributeMap,
  // OpenID Connect (Qlik's names). The proxy checks the rest when it loads the setting
  // (apps/proxy/src/idp/oidc-settings.ts); here: storable, bounded, and an URL the proxy may fetch.
  oidcConfigurationEndpointUri: z.union([z.literal(''), dbText(2048).refine(idpUrlOk, 'must be an https URL (http only for a loopback host), without credentials or fragment')]),
  oidcClientId: dbText(LIMITS.shortText),
  /** Plain text on the way in; the store seals it (secrets/secret-box.ts). */
  oidcClientSecret: dbText(1024),
  oidcScope: dbText(512, 1),
  oidcRealm: dbText(LIMITS.identity),
  oidcAttributeSub: dbText(128, 1),
  oidcAttributeName: dbText(128, 1),
  oidcAttributeGroups: dbText(128, 1),
  oidcAttributeEmail: dbText(128, 1),
  oidcAttributeMap: attributeMap,
  // SAML 2.0 (Qlik's names); the proxy checks the rest when it loads the setting (idp/saml-settings.ts).
  samlMetadataIDP: samlMetadata,
  samlHostUri,
  samlEntityId: z.union([z.literal(''), dbText(1024).regex(/^[\x21-\x7e]+$/, 'must be printable ASCII without spaces')]),
  samlAttributeUserId: dbText(LIMITS.shortText),
  samlAttributeUserDirectory: dbText(LIMITS.shortText),
  samlAttributeSigningAlgorithm: z.enum(['sha256', 'sha512']),
  samlAttributeMap: attributeMap,
  sessionCookieHeaderName: headerToken.min(1),
  /** Minutes, at most a day. */
  sessionInactivityTimeout: z.number().int().min(1).max(1440),
  sameSite: z.enum(['Lax', 'Strict', 'None']),
  websocketCrossOriginWhiteList: whiteList,
  maxSessionsPerUser: z.number().int().min(1).max(1000),
  sessionLimitPolicy: z.enum(['evict-oldest', 'refuse']),
  authenticationModuleRedirectUri: moduleRedirectUri,
};

type Out<K extends keyof typeof vpFields> = z.output<(typeof vpFields)[K]>;

export interface VirtualProxyRecord extends EntityMeta {
  prefix: string;
  description: string;
  authenticationMethod: Out<'authenticationMethod'>;
  anonymousAccessMode: Out<'anonymousAccessMode'>;
  headerAuthenticationHeaderName: string;
  headerAuthenticationStaticUserDirectory: string;
  headerAuthenticationDynamicUserDirectory: string;
  headerAuthenticationTrustedSources: string[];
  jwtPublicKeyCertificate: string;
  jwtAttributeUserId: string;
  jwtAttributeUserDirectory: string;
  jwtAudience: string;
  jwtIssuer: string;
  jwtAttributeMap: Record<string, string>;
  oidcConfigurationEndpointUri: string;
  oidcClientId: string;
  /** Opened (plain) in memory; sealed in the database; never in a /qrs answer. "" when unset or unreadable. */
  oidcClientSecret: string;
  oidcScope: string;
  oidcRealm: string;
  oidcAttributeSub: string;
  oidcAttributeName: string;
  oidcAttributeGroups: string;
  oidcAttributeEmail: string;
  oidcAttributeMap: Record<string, string>;
  samlMetadataIDP: string;
  samlHostUri: string;
  samlEntityId: string;
  /** "" = the NameID. */
  samlAttributeUserId: string;
  samlAttributeUserDirectory: string;
  samlAttributeSigningAlgorithm: Out<'samlAttributeSigningAlgorithm'>;
  samlAttributeMap: Record<string, string>;
  sessionCookieHeaderName: string;
  sessionInactivityTimeout: number;
  sameSite: Out<'sameSite'>;
  websocketCrossOriginWhiteList: string[];
  maxSessionsPerUser: number;
  sessionLimitPolicy: Out<'sessionLimitPolicy'>;
  /** "" or the login portal's https URL (the proxy's authentication-module redirect). */
  authenticationModuleRedirectUri: string;
  /** Engines this prefix may use, sorted by host name. */
  loadBalancingServerNodes: { id: string; name: string; hostName: string }[];
}
