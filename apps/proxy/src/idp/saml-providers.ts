import { createHash } from 'node:crypto';
import { SAML, ValidateInResponseTo } from '@node-saml/node-saml';
import type { VirtualProxyConfig } from '../virtual-proxy/virtual-proxy-config.schema';
import { basePath } from './public-host';
import { RequestIdCache } from './saml-caches';
import { parseIdpMetadata, pemOf, type IdpMetadata } from './saml-metadata';
import { IdpMetadataSource, type MetadataSourceOptions } from './saml-metadata-source';

/**
 * One node-saml service provider per SAML virtual proxy setting, built from the IdP metadata
 * document and kept (keyed by a hash of every setting it depends on, so a changed setting is used
 * at once). Signature, issuer, audience, NotBefore/NotOnOrAfter and InResponseTo checks are the
 * library's (xml-crypto underneath); saml-login.ts adds what it leaves out (recipient, destination,
 * replay, the signature algorithm, no DOCTYPE).
 */
export type SamlSettings = Pick<VirtualProxyConfig, 'prefix' | 'samlMetadataIDP' | 'samlHostUri' | 'samlEntityId' | 'samlAttributeSigningAlgorithm'>;

export interface SamlProvider {
  saml: SAML;
  idp: IdpMetadata;
  acsUrl: string;
  entityId: string;
}

export interface SamlProvidersOptions {
  clockSkewMs?: number;
  requestTtlMs?: number;
  /** How metadata named by URL is fetched and kept (saml-metadata-source.ts). */
  metadata?: MetadataSourceOptions;
}

const MAX_PROVIDERS = 256;

export const acsUrlOf = (hostUri: string, prefix: string) => `${hostUri}${basePath(prefix)}samlauthn/`;
export const samlLoggedOutUrlOf = (hostUri: string, prefix: string) => `${hostUri}${basePath(prefix)}samlauthn/loggedout`;

export class SamlProviders {
  private readonly cache = new Map<string, SamlProvider>();
  /** AuthnRequest ids in flight, shared by every SAML virtual proxy of this process (ids are random). */
  readonly requestIds: RequestIdCache;
  /** IdP metadata documents named by URL, fetched and refreshed. */
  readonly metadata: IdpMetadataSource;

  constructor(private readonly o: SamlProvidersOptions = {}) {
    this.requestIds = new RequestIdCache(o.requestTtlMs ?? 10 * 60_000);
    this.metadata = new IdpMetadataSource(o.metadata);
  }

  /**
   * The provider for `vp` with its IdP metadata in hand: the document itself, or the one its URL
   * serves now (fetched, kept, refreshed). A reason instead when the settings are unusable; a
   * MetadataUnavailableError when the URL's document cannot be had (fail closed).
   */
  async resolve(vp: SamlSettings): Promise<SamlProvider | string> {
    if (!vp.samlMetadataIDP) return this.get(vp);
    // Rejects with MetadataUnavailableError when a URL's document cannot be had.
    return this.get({ ...vp, samlMetadataIDP: await this.metadata.document(vp.samlMetadataIDP) });
  }

  /** The provider for `vp` whose samlMetadataIDP is the document, or a reason it has none (incomplete or unreadable settings). */
  get(vp: SamlSettings): SamlProvider | string {
    const { samlMetadataIDP: xml, samlHostUri: host, samlEntityId: entityId } = vp;
    if (!xml || !host || !entityId) return 'virtual proxy has no complete SAML configuration';
    const key = createHash('sha256').update(JSON.stringify([vp.prefix, xml, host, entityId, vp.samlAttributeSigningAlgorithm])).digest('base64url');
    const hit = this.cache.get(key);
    if (hit) return hit;
    const idp = parseIdpMetadata(xml);
    if (typeof idp === 'string') return `samlMetadataIDP ${idp}`;
    const acsUrl = acsUrlOf(host, vp.prefix);
    const saml = new SAML({
      entryPoint: idp.ssoUrl,
      idpIssuer: idp.entityId,
      idpCert: idp.certificates.map(pemOf),
      issuer: entityId,
      audience: entityId,
      callbackUrl: acsUrl,
      logoutUrl: idp.sloUrl ?? idp.ssoUrl,
      logoutCallbackUrl: samlLoggedOutUrlOf(host, vp.prefix),
      // Signed assertions, always (an unsigned assertion in a signed response is refused too).
      wantAssertionsSigned: true,
      wantAuthnResponseSigned: false,
      validateInResponseTo: ValidateInResponseTo.always,
      requestIdExpirationPeriodMs: this.o.requestTtlMs ?? 10 * 60_000,
      cacheProvider: this.requestIds,
      acceptedClockSkewMs: this.o.clockSkewMs ?? 30_000,
      identifierFormat: 'urn:oasis:names:tc:SAML:1.1:nameid-format:unspecified',
      disableRequestedAuthnContext: true,
    });
    if (this.cache.size >= MAX_PROVIDERS) this.cache.clear();
    const provider = { saml, idp, acsUrl, entityId };
    this.cache.set(key, provider);
    return provider;
  }
}
