import { describe, expect, it } from 'vitest';
import { queryOf } from './request-facts';
import { authModuleRedirect, MAX_TARGET_CHARS } from './auth-module-redirect';
import { LoginTargetStore } from './login-target-store';
import { parseVirtualProxyConfig } from '../virtual-proxy/virtual-proxy-config.schema';

const PORTAL = 'https://login.test/start?x=1';
const vp = parseVirtualProxyConfig({ prefix: 'p', authenticationMethod: 'ticket', authenticationModuleRedirectUri: PORTAL, websocketCrossOriginWhiteList: ['proxy.test:8443'] });
const API_PORT = 4243;

function redirectFor(url: string, host = 'proxy.test:8443', method = 'GET') {
  const targets = new LoginTargetStore({ ttlMs: 60_000, maxEntries: 10 });
  const path = url.split('?')[0] as string;
  const to = authModuleRedirect({ req: { method, headers: { host } }, path, query: queryOf(url) }, vp, targets, API_PORT);
  if (to === null) return null;
  const u = new URL(to);
  return { u, target: targets.take('p', u.searchParams.get('targetId') ?? '') };
}

describe('authentication-module redirect', () => {
  it('sends the browser to the portal with proxyRestUri and targetId; the target is where it was going, without the ticket', () => {
    const r = redirectFor('/p/hub/s/1?sheet=2&qlikTicket=old');
    expect(r).not.toBeNull();
    expect(`${r!.u.origin}${r!.u.pathname}`).toBe('https://login.test/start');
    expect(r!.u.searchParams.get('x')).toBe('1');
    expect(r!.u.searchParams.get('proxyRestUri')).toBe(`https://proxy.test:${API_PORT}/qps/p/`);
    expect(r!.target).toBe('https://proxy.test:8443/p/hub/s/1?sheet=2');
  });

  it('no redirect for a Host outside the allow list, a non-GET, or a path that could leave the origin', () => {
    expect(redirectFor('/p/hub/', 'evil.test')).toBeNull();
    expect(redirectFor('/p/hub/', 'proxy.test:8443', 'POST')).toBeNull();
    expect(redirectFor('//evil.test/p/hub/')).toBeNull();
    expect(redirectFor('/p/hub/\\evil.test')).toBeNull();
  });

  it('a deep link longer than the bound falls back to the hub (unauthenticated requests fill this store)', () => {
    const r = redirectFor(`/p/hub/${'x'.repeat(MAX_TARGET_CHARS)}`);
    expect(r!.target).toBe('https://proxy.test:8443/p/hub/');
  });

  it('a virtual proxy without a portal never redirects', () => {
    const plain = parseVirtualProxyConfig({ prefix: 'q', websocketCrossOriginWhiteList: ['proxy.test:8443'] });
    const targets = new LoginTargetStore({ ttlMs: 60_000, maxEntries: 10 });
    expect(authModuleRedirect({ req: { method: 'GET', headers: { host: 'proxy.test:8443' } }, path: '/q/hub/', query: new URLSearchParams() }, plain, targets, API_PORT)).toBeNull();
    expect(() => parseVirtualProxyConfig({ prefix: 'r', authenticationModuleRedirectUri: 'http://login.test/' })).toThrow(/authenticationModuleRedirectUri/);
  });
});
