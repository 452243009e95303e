import { describe, expect, it } from 'vitest';
import { parseVirtualProxyConfig } from '../virtual-proxy/virtual-proxy-config.schema';
import { newCsrfToken } from '../session/session-id';
import { EdgeErrorCode } from './edge.error';
import { checkCsrfToken, checkWebSocketOrigin, checkWebSocketUpgrade } from './websocket-upgrade.guard';

const { websocketCrossOriginWhiteList: allow } = parseVirtualProxyConfig({ websocketCrossOriginWhiteList: ['localhost:8443', 'portal.example.com', '[::1]:8443'] });

describe('websocket Origin check', () => {
  it.each(['https://localhost:8443', 'https://portal.example.com', 'https://PORTAL.example.com:443', 'https://[::1]:8443'])('allows %s', (origin) => {
    expect(checkWebSocketOrigin(origin, allow)).toEqual({ ok: true });
  });

  it.each([
    ['no origin', undefined],
    ['opaque origin', 'null'],
    ['http scheme', 'http://localhost:8443'],
    ['other port', 'https://localhost:9443'],
    ['default port where 8443 is listed', 'https://localhost'],
    ['listed host on another port', 'https://portal.example.com:8443'],
    ['suffix attack', 'https://portal.example.com.evil.com'],
    ['prefix attack', 'https://evilportal.example.com'],
    ['userinfo trick', 'https://portal.example.com@evil.com'],
    ['with a path', 'https://portal.example.com/x'],
    ['garbage', 'not a url'],
  ])('refuses %s', (_name, origin) => {
    expect(checkWebSocketOrigin(origin, allow)).toMatchObject({ ok: false, status: 403, code: EdgeErrorCode.OriginNotAllowed });
  });

  it('refuses everything with an empty allow list', () => {
    expect(checkWebSocketOrigin('https://localhost:8443', []).ok).toBe(false);
  });
});

describe('websocket CSRF token', () => {
  const session = { csrfToken: newCsrfToken() };
  const q = (s: string) => new URLSearchParams(s);

  it('requires the session token on a cookie-authenticated upgrade', () => {
    expect(checkCsrfToken(q(`qlik-csrf-token=${session.csrfToken}`), 'session-cookie', session)).toEqual({ ok: true });
    expect(checkCsrfToken(q(''), 'session-cookie', session)).toMatchObject({ ok: false, code: EdgeErrorCode.CsrfTokenMismatch });
    expect(checkCsrfToken(q(`qlik-csrf-token=${newCsrfToken()}`), 'session-cookie', session).ok).toBe(false);
    expect(checkCsrfToken(q(`qlik-csrf-token=${session.csrfToken}&qlik-csrf-token=x`), 'session-cookie', session).ok).toBe(false);
    expect(checkCsrfToken(q(`qlik-csrf-token=${session.csrfToken}`), 'session-cookie', null).ok).toBe(false);
  });

  it('needs no token when the upgrade carries its own credential', () => {
    for (const via of ['header', 'jwt', 'ticket', 'anonymous'] as const) expect(checkCsrfToken(q(''), via, null)).toEqual({ ok: true });
  });

  it('checks both: an allowed origin without the token is refused, a bad origin with the token too', () => {
    const good = { query: q(`qlik-csrf-token=${session.csrfToken}`), via: 'session-cookie' as const, session, allowList: allow };
    expect(checkWebSocketUpgrade({ ...good, origin: 'https://localhost:8443' })).toEqual({ ok: true });
    expect(checkWebSocketUpgrade({ ...good, origin: 'https://evil.com' })).toMatchObject({ ok: false, code: EdgeErrorCode.OriginNotAllowed });
    expect(checkWebSocketUpgrade({ ...good, query: q(''), origin: 'https://localhost:8443' })).toMatchObject({ ok: false, code: EdgeErrorCode.CsrfTokenMismatch });
  });
});
