import { generateKeyPairSync } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { EdgeError, EdgeErrorCode } from '../edge/edge.error';
import { parseVirtualProxyConfig } from './virtual-proxy-config.schema';

function fieldOf(input: unknown): string | undefined {
  try {
    parseVirtualProxyConfig(input);
  } catch (e) {
    expect(e).toBeInstanceOf(EdgeError);
    expect((e as EdgeError).code).toBe(EdgeErrorCode.InvalidConfig);
    return (e as EdgeError).field;
  }
  throw new Error('expected the config to be refused');
}

const pem = generateKeyPairSync('rsa', { modulusLength: 2048 }).publicKey.export({ type: 'spki', format: 'pem' }).toString();
const header = { authenticationMethod: 'header-static', headerAuthenticationHeaderName: 'X-Trustzone-User', headerAuthenticationStaticUserDirectory: 'CORP' };

describe('virtual proxy config', () => {
  it('fills defaults for a minimal ticket proxy', () => {
    const c = parseVirtualProxyConfig({});
    expect(c).toMatchObject({
      prefix: '',
      authenticationMethod: 'ticket',
      anonymousAccessMode: 0,
      sessionCookieHeaderName: 'X-Qlik-Session',
      sessionInactivityTimeout: 30,
      sameSite: 'Lax',
      maxSessionsPerUser: 5,
      sessionLimitPolicy: 'evict-oldest',
      websocketCrossOriginWhiteList: [],
    });
  });

  it('names the cookie after a non-default prefix', () => {
    expect(parseVirtualProxyConfig({ prefix: 'hdr', ...header }).sessionCookieHeaderName).toBe('X-Qlik-Session-hdr');
    expect(parseVirtualProxyConfig({ prefix: 'hdr', sessionCookieHeaderName: 'Mine', ...header }).sessionCookieHeaderName).toBe('Mine');
  });

  it.each([
    [0, 'ticket'],
    [1, 'header-static'],
    [2, 'header-dynamic'],
    [4, 'jwt'],
  ])("normalises Qlik's authentication number %i", (n, name) => {
    const extra = { headerAuthenticationHeaderName: 'hdr-usr', headerAuthenticationStaticUserDirectory: 'CORP', headerAuthenticationDynamicUserDirectory: '$ud\\$id', jwtPublicKeyCertificate: pem, jwtAttributeUserId: 'sub', jwtAttributeUserDirectory: '[CORP]' };
    expect(parseVirtualProxyConfig({ authenticationMethod: n, ...extra }).authenticationMethod).toBe(name);
  });

  it('refuses unknown authentication methods (Qlik has no 6; saml is 3 and needs its settings)', () => {
    expect(fieldOf({ authenticationMethod: 6 })).toBe('authenticationMethod');
    expect(fieldOf({ authenticationMethod: 'kerberos' })).toBe('authenticationMethod');
    expect(fieldOf({ authenticationMethod: 3 })).toBe('samlMetadataIDP');
  });

  it.each(['Upper', 'a/b', 'a b', 'qrs', 'qps', 'app', 'hub', 'qmc', '..', '.', 'x'.repeat(65)])('refuses prefix %j', (prefix) => {
    expect(fieldOf({ prefix })).toBe('prefix');
  });

  it('accepts every unreserved prefix character', () => {
    expect(parseVirtualProxyConfig({ prefix: 'a-z0.9_~' }).prefix).toBe('a-z0.9_~');
  });

  it.each(['X-Qlik-User', 'x-qlik-security', 'X-QLIK-PROXYSESSION', 'X-Qlik-ProxyId', 'X-Qlik-Trace', 'x-qlik-xrfkey', 'Cookie', 'authorization', 'HOST', 'Connection', 'Sec-WebSocket-Key', 'X-Forwarded-For', 'bad header'])(
    'refuses header name %j for header authentication',
    (name) => {
      expect(fieldOf({ ...header, headerAuthenticationHeaderName: name })).toBe('headerAuthenticationHeaderName');
    },
  );

  it('requires the settings of the chosen method and names the missing one', () => {
    expect(fieldOf({ authenticationMethod: 'header-static', headerAuthenticationHeaderName: 'hdr' })).toBe('headerAuthenticationStaticUserDirectory');
    expect(fieldOf({ authenticationMethod: 'header-dynamic', headerAuthenticationDynamicUserDirectory: '$ud\\$id' })).toBe('headerAuthenticationHeaderName');
    expect(fieldOf({ authenticationMethod: 'jwt', jwtAttributeUserId: 'sub', jwtAttributeUserDirectory: 'dir' })).toBe('jwtPublicKeyCertificate');
  });

  it.each(['$ud$id', '$id', '$ud\\$ud', 'CORP\\$id', '$ud\\$id\\$id'])('refuses the dynamic pattern %j', (pattern) => {
    const c = { authenticationMethod: 'header-dynamic', headerAuthenticationHeaderName: 'hdr', headerAuthenticationDynamicUserDirectory: pattern };
    expect(fieldOf(c)).toBe('headerAuthenticationDynamicUserDirectory');
  });

  it('refuses a JWT key that is not RSA or too short', () => {
    const ec = generateKeyPairSync('ec', { namedCurve: 'P-256' }).publicKey.export({ type: 'spki', format: 'pem' }).toString();
    const short = generateKeyPairSync('rsa', { modulusLength: 1024 }).publicKey.export({ type: 'spki', format: 'pem' }).toString();
    for (const pem of [ec, short, 'not a pem']) {
      expect(fieldOf({ authenticationMethod: 'jwt', jwtPublicKeyCertificate: pem, jwtAttributeUserId: 'sub', jwtAttributeUserDirectory: 'dir' })).toBe('jwtPublicKeyCertificate');
    }
  });

  it('refuses JWT attribute mappings onto reserved or malformed attribute names', () => {
    expect(fieldOf({ jwtAttributeMap: { ctx: 'context' } })).toBe('jwtAttributeMap.ctx');
    expect(fieldOf({ jwtAttributeMap: { g: 'a.b' } })).toBe('jwtAttributeMap.g');
  });

  it('canonicalises the websocket host allow list and refuses non-https or wildcard entries', () => {
    const c = parseVirtualProxyConfig({ websocketCrossOriginWhiteList: ['Example.COM', 'localhost:8443', 'https://a.b:9000'] });
    expect(c.websocketCrossOriginWhiteList).toEqual(['example.com:443', 'localhost:8443', 'a.b:9000']);
    expect(fieldOf({ websocketCrossOriginWhiteList: ['ok.com', 'http://x.com'] })).toBe('websocketCrossOriginWhiteList.1');
    expect(fieldOf({ websocketCrossOriginWhiteList: ['*.x.com'] })).toBe('websocketCrossOriginWhiteList.0');
    expect(fieldOf({ websocketCrossOriginWhiteList: ['x.com/path'] })).toBe('websocketCrossOriginWhiteList.0');
  });

  it('bounds numbers and enums', () => {
    expect(fieldOf({ sessionInactivityTimeout: 0 })).toBe('sessionInactivityTimeout');
    expect(fieldOf({ sessionInactivityTimeout: 1.5 })).toBe('sessionInactivityTimeout');
    expect(fieldOf({ maxSessionsPerUser: 0 })).toBe('maxSessionsPerUser');
    expect(fieldOf({ sessionLimitPolicy: 'lru' })).toBe('sessionLimitPolicy');
    expect(fieldOf({ anonymousAccessMode: 3 })).toBe('anonymousAccessMode');
    expect(fieldOf({ sameSite: 'sometimes' })).toBe('sameSite');
    expect(parseVirtualProxyConfig({ sameSite: 'strict' }).sameSite).toBe('Strict');
  });

  it('drops repository bookkeeping fields and refuses non-objects', () => {
    const c = parseVirtualProxyConfig({ id: 'abc', createdDate: 'x', prefix: 'p' }) as Record<string, unknown>;
    expect(c['id']).toBeUndefined();
    expect(fieldOf(null)).toBe('(root)');
    expect(fieldOf('ticket')).toBe('(root)');
  });

  it('header trusted sources: loopback by default, CIDR blocks canonicalised, anything else refused naming the entry', () => {
    expect(parseVirtualProxyConfig(header).headerAuthenticationTrustedSources).toEqual(['127.0.0.1/32', '::1/128']);
    expect(parseVirtualProxyConfig({ ...header, headerAuthenticationTrustedSources: ['10.0.0.0/8', '2001:DB8::/32'] }).headerAuthenticationTrustedSources).toEqual(['10.0.0.0/8', '2001:db8::/32']);
    expect(parseVirtualProxyConfig({ ...header, headerAuthenticationTrustedSources: [] }).headerAuthenticationTrustedSources).toEqual([]);
    expect(fieldOf({ ...header, headerAuthenticationTrustedSources: ['10.0.0.0/8', '10.0.0.1/8'] })).toBe('headerAuthenticationTrustedSources.1');
    expect(fieldOf({ ...header, headerAuthenticationTrustedSources: ['localhost'] })).toBe('headerAuthenticationTrustedSources.0');
    expect(fieldOf({ ...header, headerAuthenticationTrustedSources: '127.0.0.1/32' })).toBe('headerAuthenticationTrustedSources');
  });

  it('jwtIssuer: kept when given, and a JWT proxy stored without one still loads (its logins are refused)', () => {
    const jwt = { authenticationMethod: 'jwt', jwtPublicKeyCertificate: pem, jwtAttributeUserId: 'sub', jwtAttributeUserDirectory: '[CORP]', jwtAudience: 'tz' };
    expect(parseVirtualProxyConfig({ ...jwt, jwtIssuer: 'https://idp.example.com/' }).jwtIssuer).toBe('https://idp.example.com/');
    expect(parseVirtualProxyConfig(jwt).jwtIssuer).toBeUndefined();
    expect(fieldOf({ ...jwt, jwtIssuer: '' })).toBe('jwtIssuer');
  });
});
