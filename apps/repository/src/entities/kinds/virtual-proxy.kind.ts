import { z } from 'zod';
import type { VirtualProxyInput, VirtualProxyRecord } from '../../db';
import { invalid } from '../../errors/service-errors';
import { plainSnapshot } from '../../security/resource-snapshots';
import { parseWith } from '../../rpc/json-body';
import { COMMON_READ_ONLY, LONG, modifiedDate, readOnly, SHORT } from '../body-fields';
import type { EntityKind, WriteContext } from '../entity-kind';
import { metaJson } from '../qrs-json';

// OpenID Connect settings, Qlik's names; values are checked by the store and by the proxy.
const OIDC_BODY = {
  oidcConfigurationEndpointUri: LONG.optional(),
  oidcClientId: SHORT.optional(),
  oidcClientSecret: LONG.optional(),
  oidcScope: SHORT.optional(),
  oidcRealm: SHORT.optional(),
  oidcAttributeSub: SHORT.optional(),
  oidcAttributeName: SHORT.optional(),
  oidcAttributeGroups: SHORT.optional(),
  oidcAttributeEmail: SHORT.optional(),
  oidcAttributeMap: z.record(SHORT, SHORT).optional(),
  // What GET shows instead of the secret; sent back unchanged by a GET-then-PUT, and ignored.
  oidcClientSecretSet: readOnly,
};
// SAML 2.0 settings, Qlik's names; values are checked by the store and by the proxy.
const SAML_BODY = {
  samlMetadataIDP: z.string().max(256 * 1024).optional(),
  samlHostUri: SHORT.optional(),
  samlEntityId: LONG.optional(),
  samlAttributeUserId: SHORT.optional(),
  samlAttributeUserDirectory: SHORT.optional(),
  samlAttributeSigningAlgorithm: SHORT.optional(),
  samlAttributeMap: z.record(SHORT, SHORT).optional(),
};
// Shapes only: the store validates every value (prefix syntax, reserved header names, hosts…).
const fields = {
  ...COMMON_READ_ONLY,
  prefix: z.string().max(64).optional(),
  description: LONG.optional(),
  // The proxy's finer spellings name the same stored method (the directory fields tell them apart).
  authenticationMethod: z.enum(['ticket', 'header', 'jwt', 'oidc', 'saml', 'header-static', 'header-dynamic']).transform((m) => (m.startsWith('header') ? 'header' : m) as 'ticket' | 'header' | 'jwt' | 'oidc' | 'saml').optional(),
  anonymousAccessMode: z.union([z.literal(0), z.literal(1), z.literal(2)]).optional(),
  headerAuthenticationHeaderName: SHORT.optional(),
  headerAuthenticationStaticUserDirectory: SHORT.optional(),
  headerAuthenticationDynamicUserDirectory: SHORT.optional(),
  headerAuthenticationTrustedSources: z.array(SHORT).max(64).optional(),
  jwtPublicKeyCertificate: LONG.optional(),
  jwtAttributeUserId: SHORT.optional(),
  jwtAttributeUserDirectory: SHORT.optional(),
  jwtAudience: SHORT.optional(),
  jwtIssuer: SHORT.optional(),
  jwtAttributeMap: z.record(SHORT, SHORT).optional(),
  ...OIDC_BODY,
  ...SAML_BODY,
  sessionCookieHeaderName: SHORT.optional(),
  sessionInactivityTimeout: z.number().int().optional(),
  sameSite: z.enum(['Lax', 'Strict', 'None']).optional(),
  websocketCrossOriginWhiteList: z.array(SHORT).max(100).optional(),
  maxSessionsPerUser: z.number().int().optional(),
  sessionLimitPolicy: z.enum(['evict-oldest', 'refuse']).optional(),
  authenticationModuleRedirectUri: z.string().max(1024).optional(),
  loadBalancingServerNodes: z.array(z.looseObject({ id: z.string().max(64) })).max(100).optional(),
};
const createBody = z.strictObject({ ...fields, modifiedDate: readOnly });
const updateBody = z.strictObject({ ...fields, modifiedDate });

async function input(b: z.output<typeof createBody>, w: WriteContext): Promise<Partial<VirtualProxyInput>> {
  const { id: _id, createdDate: _c, modifiedByUserName: _m, privileges: _p, schemaPath: _s, modifiedDate: _d, oidcClientSecretSet: _set, loadBalancingServerNodes, ...rest } = b;
  const out: Partial<VirtualProxyInput> = {};
  for (const [k, v] of Object.entries(rest)) if (v !== undefined) Object.assign(out, { [k]: v });
  if (loadBalancingServerNodes !== undefined) out.loadBalancingServerNodeIds = await w.refs.entities('loadBalancingServerNodes', loadBalancingServerNodes);
  return out;
}

/**
 * A JWT virtual proxy must name the issuer and the audience its tokens are for (RFC 7519 §4.1.1,
 * §4.1.3): without them any token signed with the configured key logs in, whoever it was made for.
 * Checked on the entity as it would be after the change, so an update can neither switch a proxy to
 * JWT without them nor clear them.
 */
function requireJwtIssuerAndAudience(after: { authenticationMethod?: string; jwtIssuer?: string; jwtAudience?: string }): void {
  if (after.authenticationMethod !== 'jwt') return;
  for (const field of ['jwtIssuer', 'jwtAudience'] as const) {
    if (!after[field]?.trim()) throw invalid(`body.${field}`, `is required for JWT authentication (the ${field === 'jwtIssuer' ? 'iss' : 'aud'} every accepted token must carry)`);
  }
}

/**
 * An OIDC virtual proxy needs its provider, its client (id and secret) and the directory its users
 * get; the scope must ask for an ID token. Checked on the entity as it would be after the change.
 */
function requireOidcSettings(after: Partial<Record<'authenticationMethod' | 'oidcConfigurationEndpointUri' | 'oidcClientId' | 'oidcClientSecret' | 'oidcRealm' | 'oidcScope' | 'sameSite', string>>): void {
  if (after.authenticationMethod !== 'oidc') return;
  for (const field of ['oidcConfigurationEndpointUri', 'oidcClientId', 'oidcClientSecret', 'oidcRealm'] as const) {
    if (!after[field]?.trim()) throw invalid(`body.${field}`, 'is required for OpenID Connect authentication');
  }
  if (after.oidcScope !== undefined && !after.oidcScope.split(' ').includes('openid')) throw invalid('body.oidcScope', "must include 'openid'");
  // The login returns cross-site: a Strict session cookie would not ride it (the browser would loop).
  if (after.sameSite === 'Strict') throw invalid('body.sameSite', 'must be Lax or None for OpenID Connect authentication');
}

/**
 * A SAML virtual proxy needs its IdP's metadata, its own entity id and public origin, and where the
 * user directory comes from. Checked on the entity as it would be after the change.
 */
function requireSamlSettings(after: Partial<Record<'authenticationMethod' | 'samlMetadataIDP' | 'samlHostUri' | 'samlEntityId' | 'samlAttributeUserDirectory' | 'sameSite', string>>): void {
  if (after.authenticationMethod !== 'saml') return;
  for (const field of ['samlMetadataIDP', 'samlHostUri', 'samlEntityId', 'samlAttributeUserDirectory'] as const) {
    if (!after[field]?.trim()) throw invalid(`body.${field}`, 'is required for SAML authentication');
  }
  if (after.sameSite === 'Strict') throw invalid('body.sameSite', 'must be Lax or None for SAML authentication');
}

/** Virtual proxy configurations as the `/qrs` API shows them (the proxy reads its own form via ListVirtualProxies). */
export const virtualProxyKind: EntityKind<VirtualProxyRecord> = {
  type: 'virtualproxyconfig',
  resourceType: 'VirtualProxyConfig',
  needs: ['VirtualProxyConfig'],
  condensed: ['id', 'prefix', 'description', 'authenticationMethod'],
  snapshot: (_cache, r) => plainSnapshot('VirtualProxyConfig', r.id, r.prefix),
  json: (_cache, r) => {
    // The client secret is write-only: a GET says whether one is set, never what it is.
    const { id: _id, createdDate: _c, modifiedDate: _m, modifiedByUserName: _b, oidcClientSecret, ...rest } = r;
    return { ...metaJson(r), ...rest, oidcClientSecretSet: oidcClientSecret !== '' };
  },

  async planCreate(body, w, newId) {
    const b = parseWith(createBody, body);
    const data: VirtualProxyInput & { id: string } = { ...(await input(b, w)), id: newId, prefix: b.prefix ?? '' };
    requireJwtIssuerAndAudience(data);
    requireOidcSettings(data);
    requireSamlSettings(data);
    return { wouldBe: plainSnapshot('VirtualProxyConfig', newId, data.prefix), checks: [], commit: (by) => w.stores.virtualProxies.create(data, by) };
  },

  async planUpdate(body, current, w) {
    const b = parseWith(updateBody, body);
    const patch = await input(b, w);
    requireJwtIssuerAndAudience({ ...current, ...patch });
    requireOidcSettings({ ...current, ...patch });
    requireSamlSettings({ ...current, ...patch });
    return { wouldBe: plainSnapshot('VirtualProxyConfig', current.id, current.prefix), checks: [], commit: (by) => w.stores.virtualProxies.update(current.id, b.modifiedDate, patch, by) };
  },

  remove: (stores, id) => stores.virtualProxies.delete(id),
};
