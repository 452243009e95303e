import { describe, expect, it } from 'vitest';
import { parseVirtualProxyConfig } from '../virtual-proxy/virtual-proxy-config.schema';

const good = {
  prefix: 'oidc',
  authenticationMethod: 'oidc',
  oidcConfigurationEndpointUri: 'https://idp.example.com/.well-known/openid-configuration',
  oidcClientId: 'trustzone',
  oidcClientSecret: 's3cret',
  oidcRealm: 'CORP',
};
const fieldOf = (input: object) => {
  try {
    parseVirtualProxyConfig(input);
    return null;
  } catch (e) {
    return (e as { field?: string }).field;
  }
};

describe('OIDC virtual proxy settings (Qlik field names)', () => {
  it('accepts a complete setting with Qlik defaults for the claim names, and Qlik number 5 for oidc', () => {
    const c = parseVirtualProxyConfig(good);
    expect(c).toMatchObject({ oidcScope: 'openid profile email', oidcAttributeSub: 'sub', oidcAttributeName: 'name', oidcAttributeGroups: 'groups', oidcAttributeEmail: 'email', oidcAttributeMap: {} });
    expect(parseVirtualProxyConfig({ ...good, authenticationMethod: 5 }).authenticationMethod).toBe('oidc');
  });

  it.each(['oidcConfigurationEndpointUri', 'oidcClientId', 'oidcClientSecret', 'oidcRealm'])('names %s when it is missing', (field) => {
    const { [field as keyof typeof good]: _drop, ...rest } = good;
    expect(fieldOf(rest)).toBe(field);
  });

  it.each([
    ['oidcConfigurationEndpointUri', 'http://idp.example.com/.well-known/openid-configuration'],
    ['oidcConfigurationEndpointUri', 'https://user:pw@idp.example.com/'],
    ['oidcConfigurationEndpointUri', 'not a url'],
    ['oidcScope', 'profile email'],
    ['oidcScope', 'openid "quoted"'],
    ['oidcRealm', 'CORP\\X'],
    ['oidcAttributeMap', { department: 'context' }],
    ['oidcAttributeGroups', 'has space'],
    ['sameSite', 'Strict'],
  ])('names %s for %j', (field, value) => {
    expect(fieldOf({ ...good, [field]: value })).toBe(field.startsWith('oidcAttributeMap') ? 'oidcAttributeMap.department' : field);
  });

  it('admits http only for a loopback provider', () => {
    expect(fieldOf({ ...good, oidcConfigurationEndpointUri: 'http://127.0.0.1:9000/.well-known/openid-configuration' })).toBeNull();
  });
});
