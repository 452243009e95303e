import { describe, expect, it } from 'vitest';
import { EdgeErrorCode } from '../edge/edge.error';
import { parseVirtualProxyConfig } from '../virtual-proxy/virtual-proxy-config.schema';
import { authenticateHeader } from './header-authenticator';

const staticCfg = parseVirtualProxyConfig({ prefix: 'hdr', authenticationMethod: 'header-static', headerAuthenticationHeaderName: 'X-Trustzone-User', headerAuthenticationStaticUserDirectory: 'CORP' });
const dynamicCfg = parseVirtualProxyConfig({ prefix: 'dyn', authenticationMethod: 'header-dynamic', headerAuthenticationHeaderName: 'X-Trustzone-User', headerAuthenticationDynamicUserDirectory: '$ud\\$id' });
const facts = (value?: string | string[]) => ({ headers: value === undefined ? {} : { 'x-trustzone-user': value }, query: new URLSearchParams() });
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
});
