import { describe, expect, it } from 'vitest';
import { EdgeErrorCode } from '../edge/edge.error';
import { AnonymousSessionCap } from '../session/anonymous-session-cap';
import { MemorySessionStore } from '../session/memory-session-store';
import { parseVirtualProxyConfig } from '../virtual-proxy/virtual-proxy-config.schema';
import type { VirtualProxyConfigInput } from '../virtual-proxy/virtual-proxy-config.schema';
import { ANONYMOUS_DIRECTORY } from './anonymous-user';
import { resolveSession } from './session-resolver';
import type { ResolvedIdentity } from './session-resolver';
import { MemoryTicketStore } from './ticket-store';

const hdr = (extra: Partial<VirtualProxyConfigInput> = {}) =>
  parseVirtualProxyConfig({ prefix: 'hdr', authenticationMethod: 'header-static', headerAuthenticationHeaderName: 'x-user', headerAuthenticationStaticUserDirectory: 'CORP', headerAuthenticationTrustedSources: ['10.1.1.0/24'], ...extra });

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

  it('mode 0: a credential logs in, no credential needs a login', async () => {
    const { deps } = setup();
    expect(await resolveSession(req({ 'x-user': 'alice' }), hdr(), deps)).toMatchObject({ kind: 'session', via: 'header', session: { userId: 'alice', anonymous: false } });
    expect(await resolveSession(req(), hdr(), deps)).toEqual({ kind: 'login-needed' });
  });

  it('mode 1: a presented credential wins over anonymous access, a bad one never degrades to anonymous', async () => {
    const { deps } = setup();
    const cfg = hdr({ anonymousAccessMode: 1 });
    expect(await resolveSession(req({ 'x-user': 'alice' }), cfg, deps)).toMatchObject({ kind: 'session', via: 'header', session: { userId: 'alice' } });
    expect(await resolveSession(req({ 'x-user': 'a\\b' }), cfg, deps)).toMatchObject({ kind: 'rejected', error: { code: EdgeErrorCode.HeaderCredentialInvalid } });
    // A header from an untrusted address is a rejected credential too, not an anonymous visit.
    expect(await resolveSession({ ...req({ 'x-user': 'alice' }), ip: '10.2.2.2' }, cfg, deps)).toMatchObject({ kind: 'rejected', error: { code: EdgeErrorCode.HeaderSourceUntrusted } });
  });

  it('gives every anonymous visitor a distinct user with no attributes', async () => {
    const { deps } = setup();
    const ids = new Set<string>();
    for (let i = 0; i < 50; i++) {
      const r = await resolveSession(req(), hdr({ anonymousAccessMode: 2 }), deps);
      if (r.kind !== 'session') throw new Error('no anonymous session');
      expect(r.session).toMatchObject({ userDirectory: ANONYMOUS_DIRECTORY, attributes: {}, anonymous: true });
      ids.add(r.session.userId);
    }
    expect(ids.size).toBe(50);
  });

  it('on a ticket proxy only the ticket logs in: a header credential there is ignored', async () => {
    const { deps, tickets } = setup();
    const t = await tickets.issue({ userDirectory: 'CORP', userId: 'bob', attributes: {}, prefix: '' });
    expect(await resolveSession(req({ 'x-user': 'alice' }, `qlikTicket=${t}`), parseVirtualProxyConfig({}), deps)).toMatchObject({ kind: 'session', via: 'ticket', session: { userId: 'bob' } });
    expect(await resolveSession(req({ 'x-user': 'alice' }), parseVirtualProxyConfig({}), deps)).toEqual({ kind: 'login-needed' });
  });

  it('caps anonymous sessions: beyond the cap a new one is refused with AnonymousCapacity, named logins are not counted', async () => {
    const { deps, sessions } = setup();
    const anonymousCap = new AnonymousSessionCap(3);
    sessions.onEnded((id) => anonymousCap.ended(id));
    const cfg = hdr({ anonymousAccessMode: 1 });
    const withCap = { ...deps, anonymousCap };
    const made = await Promise.all(Array.from({ length: 5 }, () => resolveSession(req(), cfg, withCap)));
    expect(made.filter((r) => r.kind === 'session')).toHaveLength(3);
    for (const r of made.filter((x) => x.kind === 'rejected')) expect(r).toMatchObject({ error: { code: EdgeErrorCode.AnonymousCapacity, retryAfterSeconds: 60 } });
    expect(await resolveSession(req({ 'x-user': 'alice' }), cfg, withCap)).toMatchObject({ kind: 'session', via: 'header' });
    // A held anonymous session keeps working; ending one frees its place.
    const held = made.find((r) => r.kind === 'session');
    if (held?.kind !== 'session') throw new Error('no session');
    expect(await resolveSession(req({ cookie: cookieFrom(held) }), cfg, withCap)).toMatchObject({ kind: 'session', via: 'session-cookie' });
    await sessions.delete(held.session.id);
    expect(anonymousCap.size).toBe(2);
    expect(await resolveSession(req(), cfg, withCap)).toMatchObject({ kind: 'session', via: 'anonymous' });
  });
});
