import { describe, expect, it } from 'vitest';
import { EdgeErrorCode } from '../edge/edge.error';
import { parseVirtualProxyConfig } from '../virtual-proxy/virtual-proxy-config.schema';
import { authenticateHeader, isTrustedSource } from './header-authenticator';

const staticCfg = parseVirtualProxyConfig({ prefix: 'hdr', authenticationMethod: 'header-static', headerAuthenticationHeaderName: 'X-Trustzone-User', headerAuthenticationStaticUserDirectory: 'CORP' });
const dynamicCfg = parseVirtualProxyConfig({ prefix: 'dyn', authenticationMethod: 'header-dynamic', headerAuthenticationHeaderName: 'X-Trustzone-User', headerAuthenticationDynamicUserDirectory: '$ud\\$id' });
const facts = (value?: string | string[], ip = '127.0.0.1') => ({ headers: value === undefined ? {} : { 'x-trustzone-user': value }, query: new URLSearchParams(), ip });
const user = (userDirectory: string, userId: string) => ({ kind: 'authenticated', user: { userDirectory, userId, attributes: {}, anonymous: false }, via: 'header' });

describe('header authentication', () => {
  it('static: the value is the user id in the configured directory', () => {
    expect(authenticateHeader(facts('alice'), staticCfg)).toEqual(user('CORP', 'alice'));
    expect(authenticateHeader(facts('  bob  '), staticCfg)).toEqual(user('CORP', 'bob'));
  });

  it('dynamic: $ud\\$id splits directory and id', () => {
    expect(authenticateHeader(facts('SALES\\carol'), dynamicCfg)).toEqual(user('SALES', 'carol'));
  });

  it('dynamic: other patterns and orders', () => {
    const cfg = parseVirtualProxyConfig({ authenticationMethod: 2, headerAuthenticationHeaderName: 'X-Trustzone-User', headerAuthenticationDynamicUserDirectory: 'user:$id@$ud' });
    expect(authenticateHeader(facts('user:dave@EU.CORP'), cfg)).toEqual(user('EU.CORP', 'dave'));
    expect(authenticateHeader(facts('dave@EU.CORP'), cfg)).toMatchObject({ kind: 'rejected' });
  });

  it.each([['CORP'], ['CORP\\'], ['\\alice'], ['CORP\\al\\ice'], ['CORP\\a;UserId=root'], ['CORP\\ alice']])('dynamic: refuses %j', (value) => {
    expect(authenticateHeader(facts(value), dynamicCfg)).toMatchObject({ kind: 'rejected', status: 401, code: EdgeErrorCode.HeaderCredentialInvalid });
  });

  it.each([['a\\b'], ['a=b'], ['a\u0001'], ['x'.repeat(601)], ['   ']])('static: refuses %j', (value) => {
    expect(authenticateHeader(facts(value), staticCfg)).toMatchObject({ kind: 'rejected', status: 401 });
  });

  it('refuses the header sent twice (distinct values)', () => {
    expect(authenticateHeader(facts(['alice', 'root']), staticCfg)).toMatchObject({ kind: 'rejected' });
  });

  it('is none when the header is absent, and on a non-header proxy the header is ignored', () => {
    expect(authenticateHeader(facts(), staticCfg)).toEqual({ kind: 'none' });
    expect(authenticateHeader(facts('alice'), parseVirtualProxyConfig({}))).toEqual({ kind: 'none' });
  });

  it('honours the header only from trusted sources (loopback by default) and rejects it from anywhere else', () => {
    expect(staticCfg.headerAuthenticationTrustedSources).toEqual(['127.0.0.1/32', '::1/128']);
    for (const ip of ['127.0.0.1', '::1', '::ffff:127.0.0.1']) expect(authenticateHeader(facts('alice', ip), staticCfg), ip).toEqual(user('CORP', 'alice'));
    for (const ip of ['127.0.0.2', '10.0.0.1', '::2', '::ffff:10.0.0.1', '', 'not-an-ip']) {
      expect(authenticateHeader(facts('alice', ip), staticCfg), ip).toMatchObject({ kind: 'rejected', status: 403, code: EdgeErrorCode.HeaderSourceUntrusted });
    }
    expect(authenticateHeader({ headers: { 'x-trustzone-user': 'alice' }, query: new URLSearchParams() }, staticCfg)).toMatchObject({ code: EdgeErrorCode.HeaderSourceUntrusted });
    // Without the header an untrusted source is simply not authenticated by this method.
    expect(authenticateHeader(facts(undefined, '10.0.0.1'), staticCfg)).toEqual({ kind: 'none' });
  });

  it('uses the configured list: IPv4 and IPv6 blocks, and an empty list trusts nobody', () => {
    const gw = parseVirtualProxyConfig({ ...staticCfg, headerAuthenticationTrustedSources: ['10.1.0.0/16', '2001:db8:aa::/48'] });
    expect(authenticateHeader(facts('alice', '10.1.200.3'), gw)).toEqual(user('CORP', 'alice'));
    expect(authenticateHeader(facts('alice', '::ffff:10.1.0.9'), gw)).toEqual(user('CORP', 'alice'));
    expect(authenticateHeader(facts('alice', '2001:db8:aa:1::5'), gw)).toEqual(user('CORP', 'alice'));
    for (const ip of ['10.2.0.1', '127.0.0.1', '2001:db8:ab::1', '::1']) expect(authenticateHeader(facts('alice', ip), gw).kind, ip).toBe('rejected');
    const none = parseVirtualProxyConfig({ ...staticCfg, headerAuthenticationTrustedSources: [] });
    expect(authenticateHeader(facts('alice'), none)).toMatchObject({ code: EdgeErrorCode.HeaderSourceUntrusted });
    expect(isTrustedSource('10.1.0.1', ['10.1.0.0/16'])).toBe(true);
  });
});
