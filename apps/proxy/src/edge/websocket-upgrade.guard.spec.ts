import { describe, expect, it } from 'vitest';
import { parseVirtualProxyConfig } from '../virtual-proxy/virtual-proxy-config.schema';
import { newCsrfToken } from '../session/session-id';
import { EdgeErrorCode } from './edge.error';
import { checkCsrfToken, checkWebSocketOrigin } from './websocket-upgrade.guard';

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

  it.each(['session-cookie', 'header'] as const)('requires the session token on an upgrade authenticated by %s (an ambient credential)', (via) => {
    expect(checkCsrfToken(q(`qlik-csrf-token=${session.csrfToken}`), via, session)).toEqual({ ok: true });
    expect(checkCsrfToken(q(''), via, session)).toMatchObject({ ok: false, code: EdgeErrorCode.CsrfTokenMismatch });
    expect(checkCsrfToken(q(`qlik-csrf-token=${newCsrfToken()}`), via, session).ok).toBe(false);
    expect(checkCsrfToken(q(`qlik-csrf-token=${session.csrfToken}&qlik-csrf-token=x`), via, session).ok).toBe(false);
    expect(checkCsrfToken(q(`qlik-csrf-token=${session.csrfToken}`), via, null).ok).toBe(false);
  });

  it('needs no token when the upgrade carries a credential a foreign page cannot attach', () => {
    for (const via of ['jwt', 'ticket', 'anonymous'] as const) expect(checkCsrfToken(q(''), via, null)).toEqual({ ok: true });
  });

  it('names no client text in its reasons (they group audit records)', () => {
    expect(checkWebSocketOrigin('https://evil.example.com', allow)).toMatchObject({ reason: 'Origin not in the allow list' });
    expect(checkWebSocketOrigin('https://other.example.org:9999', allow)).toMatchObject({ reason: 'Origin not in the allow list' });
  });
});
