import { describe, expect, it } from 'vitest';
import { EdgeErrorCode } from '../edge/edge.error';
import { MemorySessionStore } from '../session/memory-session-store';
import { parseVirtualProxyConfig } from '../virtual-proxy/virtual-proxy-config.schema';
import type { VirtualProxyConfigInput } from '../virtual-proxy/virtual-proxy-config.schema';
import { resolveSession } from './session-resolver';
import type { ResolvedIdentity } from './session-resolver';
import { MemoryTicketStore } from './ticket-store';

const hdr = (extra: Partial<VirtualProxyConfigInput> = {}) =>
  parseVirtualProxyConfig({ prefix: 'hdr', authenticationMethod: 'header-static', headerAuthenticationHeaderName: 'x-user', headerAuthenticationStaticUserDirectory: 'CORP', ...extra });

function setup() {
  const sessions = new MemorySessionStore({ sweepIntervalMs: 0 });
  const tickets = new MemoryTicketStore();
  return { sessions, tickets, deps: { sessions, tickets } };
}

/** The cookie a browser would send back after `r` set one. */
function cookieFrom(r: ResolvedIdentity): string {
  if (r.kind !== 'session' || !r.setCookie) throw new Error('no cookie set');
  return r.setCookie.split(';')[0] as string;
}

const req = (headers: Record<string, string> = {}, query = '') => ({ headers, query: new URLSearchParams(query), secure: true, ip: '10.1.1.1' });

describe('resolveSession', () => {
  it('a header credential creates a session and sets its cookie; the cookie alone then finds it', async () => {
    const { deps } = setup();
    const cfg = hdr();
    const first = await resolveSession(req({ 'x-user': 'alice' }), cfg, deps);
    expect(first).toMatchObject({ kind: 'session', via: 'header', session: { userId: 'alice', prefix: 'hdr', ip: '10.1.1.1' } });
    const cookie = cookieFrom(first);
    const again = await resolveSession(req({ cookie }), cfg, deps);
    expect(again).toMatchObject({ kind: 'session', via: 'session-cookie' });
    expect(again.kind === 'session' && first.kind === 'session' && again.session.id === first.session.id).toBe(true);
  });

  it('reuses the session while the header names the same user, starts a new one for another user', async () => {
    const { deps, sessions } = setup();
    const cfg = hdr();
    const first = await resolveSession(req({ 'x-user': 'alice' }), cfg, deps);
    const cookie = cookieFrom(first);
    const same = await resolveSession(req({ 'x-user': 'ALICE', cookie }), cfg, deps);
    expect(same).toMatchObject({ kind: 'session', via: 'header' });
    expect(same.kind === 'session' && same.setCookie).toBeFalsy();
    const other = await resolveSession(req({ 'x-user': 'bob', cookie }), cfg, deps);
    expect(other).toMatchObject({ kind: 'session', session: { userId: 'bob' } });
    expect(await sessions.countByUser('hdr', 'CORP', 'bob')).toBe(1);
  });

  it('a ticket always starts a new session and carries its target', async () => {
    const { deps, tickets } = setup();
    const cfg = parseVirtualProxyConfig({});
    const t = await tickets.issue({ userDirectory: 'CORP', userId: 'carol', attributes: { group: ['Sales'] }, targetId: 'tgt', prefix: '' });
    const r = await resolveSession(req({}, `qlikTicket=${t}`), cfg, deps);
    expect(r).toMatchObject({ kind: 'session', via: 'ticket', targetId: 'tgt', session: { attributes: { group: ['Sales'] } } });
    expect(await resolveSession(req({}, `qlikTicket=${t}`), cfg, deps)).toMatchObject({ kind: 'rejected', error: { code: EdgeErrorCode.TicketInvalid } });
  });

  it('a cookie for an ended session is cleared and login is needed', async () => {
    const { deps, sessions } = setup();
    const cfg = hdr();
    const first = await resolveSession(req({ 'x-user': 'alice' }), cfg, deps);
    if (first.kind !== 'session') throw new Error('no session');
    await sessions.delete(first.session.id);
    const r = await resolveSession(req({ cookie: cookieFrom(first) }), cfg, deps);
    expect(r.kind).toBe('login-needed');
    expect(r.kind === 'login-needed' && r.clearCookie).toMatch(/^X-Qlik-Session-hdr=; .*Max-Age=0/);
  });

  it("a session of another virtual proxy is not accepted through this one's cookie name", async () => {
    const { deps } = setup();
    const a = await resolveSession(req({ 'x-user': 'alice' }), hdr(), deps);
    const other = hdr({ prefix: 'other', sessionCookieHeaderName: 'X-Qlik-Session-hdr' });
    expect((await resolveSession(req({ cookie: cookieFrom(a) }), other, deps)).kind).toBe('login-needed');
  });

  it('a bad credential is rejected even with a valid cookie and even when anonymous access is allowed', async () => {
    const { deps } = setup();
    const cfg = hdr({ anonymousAccessMode: 1 });
    const cookie = cookieFrom(await resolveSession(req({ 'x-user': 'alice' }), cfg, deps));
    expect(await resolveSession(req({ 'x-user': 'a\\b', cookie }), cfg, deps)).toMatchObject({ kind: 'rejected', error: { code: EdgeErrorCode.HeaderCredentialInvalid } });
  });

  it('anonymous modes: 1 gives an anonymous session without credentials, 2 reuses its anonymous session', async () => {
    const { deps } = setup();
    expect(await resolveSession(req(), hdr({ anonymousAccessMode: 1 }), deps)).toMatchObject({ kind: 'session', via: 'anonymous', session: { anonymous: true, userDirectory: 'ANONYMOUS' } });
    const always = hdr({ anonymousAccessMode: 2 });
    const first = await resolveSession(req({ 'x-user': 'alice' }), always, deps);
    expect(first).toMatchObject({ kind: 'session', via: 'anonymous', session: { anonymous: true } });
    const again = await resolveSession(req({ cookie: cookieFrom(first) }), always, deps);
    expect(again.kind === 'session' && first.kind === 'session' && again.session.id === first.session.id).toBe(true);
    expect((await resolveSession(req(), hdr(), deps)).kind).toBe('login-needed');
  });

  it('the refuse limit policy turns the next login into a SessionLimitReached rejection', async () => {
    const { deps } = setup();
    const cfg = hdr({ maxSessionsPerUser: 1, sessionLimitPolicy: 'refuse' });
    await resolveSession(req({ 'x-user': 'alice' }), cfg, deps);
    expect(await resolveSession(req({ 'x-user': 'alice' }), cfg, deps)).toMatchObject({ kind: 'rejected', error: { code: EdgeErrorCode.SessionLimitReached } });
  });
});
