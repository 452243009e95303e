import { describe, expect, it } from 'vitest';
import { parseVirtualProxyConfig } from '../virtual-proxy/virtual-proxy-config.schema';
import { buildClearingCookie, buildSessionCookie, readSessionCookie } from './session-cookie';
import { newSessionId } from './session-id';

const root = parseVirtualProxyConfig({});
const hdr = parseVirtualProxyConfig({ prefix: 'hdr', sameSite: 'Strict', authenticationMethod: 'header-static', headerAuthenticationHeaderName: 'x-u', headerAuthenticationStaticUserDirectory: 'C' });
const none = parseVirtualProxyConfig({ prefix: 'embed', sameSite: 'None' });

function attrs(cookie: string): Map<string, string> {
  const [, ...rest] = cookie.split('; ');
  return new Map(rest.map((a) => [a.split('=')[0] as string, a.split('=').slice(1).join('=')]));
}

describe('session cookie', () => {
  it('is HttpOnly, SameSite per proxy, scoped to the prefix path and a browser-session cookie', () => {
    const id = newSessionId();
    const cookie = buildSessionCookie(hdr, id, { secure: true });
    expect(cookie.startsWith(`X-Qlik-Session-hdr=${id}; `)).toBe(true);
    const a = attrs(cookie);
    expect(a.get('Path')).toBe('/hdr');
    expect(a.has('HttpOnly')).toBe(true);
    expect(a.has('Secure')).toBe(true);
    expect(a.get('SameSite')).toBe('Strict');
    expect(a.has('Max-Age') || a.has('Expires')).toBe(false);
    expect(attrs(buildSessionCookie(root, id, { secure: true })).get('Path')).toBe('/');
  });

  it('is Secure only on TLS, except that SameSite=None always needs Secure', () => {
    const id = newSessionId();
    expect(attrs(buildSessionCookie(root, id, { secure: false })).has('Secure')).toBe(false);
    expect(attrs(buildSessionCookie(none, id, { secure: false })).has('Secure')).toBe(true);
  });

  it('refuses to put anything but a session id in the cookie', () => {
    expect(() => buildSessionCookie(root, 'x; Domain=evil.com', { secure: true })).toThrow();
  });

  it('clears with an empty value, the same path and an expiry in the past', () => {
    const a = attrs(buildClearingCookie(hdr, { secure: true }));
    expect(buildClearingCookie(hdr, { secure: true }).startsWith('X-Qlik-Session-hdr=; ')).toBe(true);
    expect(a.get('Path')).toBe('/hdr');
    expect(a.get('Max-Age')).toBe('0');
  });

  it("reads this proxy's cookie among others", () => {
    const id = newSessionId();
    const other = newSessionId();
    expect(readSessionCookie(`a=1; X-Qlik-Session-hdr=${id}; X-Qlik-Session=${other}`, hdr)).toBe(id);
    expect(readSessionCookie(`X-Qlik-Session-hdr=${id}; X-Qlik-Session=${other}`, root)).toBe(other);
    expect(readSessionCookie([`a=1`, `X-Qlik-Session=${other}`], root)).toBe(other);
  });

  it('refuses a duplicated cookie name (cookie tossing), malformed values and oversized headers', () => {
    const id = newSessionId();
    expect(readSessionCookie(`X-Qlik-Session=${id}; X-Qlik-Session=${newSessionId()}`, root)).toBeNull();
    expect(readSessionCookie('X-Qlik-Session=short', root)).toBeNull();
    expect(readSessionCookie(`x-qlik-session=${id}`, root)).toBeNull();
    expect(readSessionCookie(`X-Qlik-Session=${id}; pad=${'x'.repeat(9000)}`, root)).toBeNull();
    expect(readSessionCookie(undefined, root)).toBeNull();
    expect(readSessionCookie('', root)).toBeNull();
  });
});
