import type { VirtualProxyRecord } from '../db';

/**
 * A stored virtual proxy in the form the proxy validates (apps/proxy/.../virtual-proxy-config.schema.ts):
 * the stored 'header' method becomes 'header-static' or 'header-dynamic' by which directory
 * setting it carries, empty optional settings are left out rather than sent as "", and the
 * load-balancing nodes are their ids.
 */
export function virtualProxyWire(r: VirtualProxyRecord): Record<string, unknown> {
  const method = r.authenticationMethod === 'header' ? (r.headerAuthenticationDynamicUserDirectory !== '' ? 'header-dynamic' : 'header-static') : r.authenticationMethod;
  const optional = (key: string, value: string) => (value !== '' ? { [key]: value } : {});
  return {
    id: r.id,
    prefix: r.prefix,
    description: r.description,
    authenticationMethod: method,
    anonymousAccessMode: r.anonymousAccessMode,
    ...optional('headerAuthenticationHeaderName', r.headerAuthenticationHeaderName),
    ...optional('headerAuthenticationStaticUserDirectory', r.headerAuthenticationStaticUserDirectory),
    ...optional('headerAuthenticationDynamicUserDirectory', r.headerAuthenticationDynamicUserDirectory),
    headerAuthenticationTrustedSources: r.headerAuthenticationTrustedSources,
    ...optional('jwtPublicKeyCertificate', r.jwtPublicKeyCertificate),
    ...optional('jwtAttributeUserId', r.jwtAttributeUserId),
    ...optional('jwtAttributeUserDirectory', r.jwtAttributeUserDirectory),
    ...optional('jwtAudience', r.jwtAudience),
    ...optional('jwtIssuer', r.jwtIssuer),
    jwtAttributeMap: r.jwtAttributeMap,
    // Inside the trust zone only (mTLS gRPC): the proxy needs the client secret to redeem codes.
    ...optional('oidcConfigurationEndpointUri', r.oidcConfigurationEndpointUri),
    ...optional('oidcClientId', r.oidcClientId),
    ...optional('oidcClientSecret', r.oidcClientSecret),
    ...optional('oidcRealm', r.oidcRealm),
    oidcScope: r.oidcScope,
    oidcAttributeSub: r.oidcAttributeSub,
    oidcAttributeName: r.oidcAttributeName,
    oidcAttributeGroups: r.oidcAttributeGroups,
    oidcAttributeEmail: r.oidcAttributeEmail,
    oidcAttributeMap: r.oidcAttributeMap,
    ...optional('samlMetadataIDP', r.samlMetadataIDP),
    ...optional('samlHostUri', r.samlHostUri),
    ...optional('samlEntityId', r.samlEntityId),
    ...optional('samlAttributeUserId', r.samlAttributeUserId),
    ...optional('samlAttributeUserDirectory', r.samlAttributeUserDirectory),
    samlAttributeSigningAlgorithm: r.samlAttributeSigningAlgorithm,
    samlAttributeMap: r.samlAttributeMap,
    ...optional('sessionCookieHeaderName', r.sessionCookieHeaderName),
    sessionInactivityTimeout: r.sessionInactivityTimeout,
    sameSite: r.sameSite,
    websocketCrossOriginWhiteList: r.websocketCrossOriginWhiteList,
    loadBalancingServerNodes: r.loadBalancingServerNodes.map((n) => n.id),
    maxSessionsPerUser: r.maxSessionsPerUser,
    sessionLimitPolicy: r.sessionLimitPolicy,
    ...optional('authenticationModuleRedirectUri', r.authenticationModuleRedirectUri),
  };
}
