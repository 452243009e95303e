import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { API_CSP } from '../edge/security-headers';
import { PIPELINE } from './request-pipeline';
import { startDoors, type Doors } from './test-support/door-fixture';

// The one pipeline, observed at the three doors of a proxy running in this process on real TLS
// listeners: which steps each door runs, in which order, and where a refusal stops it.
const KEY = 'abcdefghij012345';
const APP = '/app/00000000-0000-4000-8000-00000000a001';
const HEADER = 'X-Trustzone-User';
let d: Doors;
let origin: string;

beforeAll(async () => {
  d = await startDoors({
    virtualProxies: [
      { websocketCrossOriginWhiteList: ['tz.test:443'] },
      { prefix: 'hdr', authenticationMethod: 'header-static', headerAuthenticationHeaderName: HEADER, headerAuthenticationStaticUserDirectory: 'CORP', websocketCrossOriginWhiteList: ['tz.test:443'] },
      { prefix: 'anon', anonymousAccessMode: 2 },
    ],
  });
  origin = 'https://tz.test';
}, 60_000);
afterAll(() => d?.close());
beforeEach(async () => {
  await d.deps.aggregate.flush(); // each test starts a new interval
  d.steps.length = 0;
  d.records.length = 0;
});

const xrf = (path: string) => `${path}${path.includes('?') ? '&' : '?'}xrfkey=${KEY}`;
const withKey = { 'X-Qlik-Xrfkey': KEY };

/** A header session's cookie and CSRF token, made through the client door. */
async function headerSession(user: string): Promise<{ cookie: string; token: string }> {
  const me = await d.client(xrf('/hdr/qps/user'), { ...withKey, [HEADER]: user });
  const set = me.headers['set-cookie'];
  const cookie = (Array.isArray(set) ? set[0] : set)?.split(';')[0];
  if (me.status !== 200 || !cookie) throw new Error(`no header session: ${me.status} ${me.text}`);
  return { cookie, token: (me.json as { csrfToken: string }).csrfToken };
}

describe('the request pipeline', () => {
  it('every door runs the same steps, in the same order', async () => {
    const names = PIPELINE.map((s) => s.name);
    expect(names).toEqual(['edge-limits', 'virtual-proxy', 'request-forgery', 'identify', 'session-csrf', 'user-limit', 'route']);

    const { cookie, token } = await headerSession('alice');
    d.steps.length = 0;
    expect((await d.client(xrf('/hdr/qps/user'), { ...withKey, Cookie: cookie })).status).toBe(200);
    expect((await d.api(xrf('/qps/ticket'), withKey, 'POST', { UserDirectory: 'CORP', UserId: 'bob' })).status).toBe(201);
    // The route ran: the repository said this app is not readable.
    expect((await d.upgrade(`/hdr${APP}?qlik-csrf-token=${token}`, { Cookie: cookie, Origin: origin })).status).toBe(404);
    expect(d.stepsOf('client')).toEqual(names);
    expect(d.stepsOf('api')).toEqual(names);
    expect(d.stepsOf('upgrade')).toEqual(names);
  });

  it('a refusal stops the pipeline at its step and leaves one aggregated record, on every door', async () => {
    expect((await d.client('/qrs/about', { Cookie: 'X-Qlik-Session=whatever' })).status).toBe(403);
    expect((await d.api('/qrs/about', { 'X-Qlik-User': 'UserDirectory=CORP; UserId=admin' })).status).toBe(403);
    expect((await d.upgrade(APP, { Origin: 'https://evil.example.com' })).status).toBe(403);
    for (const door of ['client', 'api', 'upgrade'] as const) expect(d.stepsOf(door), door).toEqual(['edge-limits', 'virtual-proxy', 'request-forgery']);
    expect(d.records).toEqual([]); // nothing is written per refusal
    await d.deps.aggregate.flush();
    expect(d.records.map((r) => [r.action, r.details?.['door'], r.details?.['count']])).toEqual([
      ['csrf.refused', 'client', 1],
      ['csrf.refused', 'api', 1],
      ['websocket.refused', 'upgrade', 1],
    ]);
  });

  it('stops a missing or mismatched xrfkey with 403 before the caller is identified, on both HTTP doors', async () => {
    const { cookie } = await headerSession('carol');
    for (const [path, header] of [[xrf('/qrs/about'), 'zzzzzzzzzzzzzzzz'], ['/qrs/about', KEY], [`/qrs/about?xrfkey[]=${KEY}`, KEY], [xrf('/qps/user'), undefined]] as const) {
      d.steps.length = 0;
      const h: Record<string, string> = header === undefined ? {} : { 'X-Qlik-Xrfkey': header };
      const onClient = await d.client(`/hdr${path}`, { ...h, Cookie: cookie });
      const onApi = await d.api(path, { ...h, 'X-Qlik-User': 'UserDirectory=CORP; UserId=admin' });
      for (const r of [onClient, onApi]) {
        expect(r.status, path).toBe(403);
        expect((r.json as { error: { code: string } }).error.code).toBe('EDGE_XRFKEY_MISMATCH');
      }
      expect(d.steps.map((s) => s.step)).not.toContain('identify');
    }
  });

  it('an upgrade needs both: an allowed origin without the token is refused, a bad origin with the token too', async () => {
    const { cookie, token } = await headerSession('dave');
    expect((await d.upgrade(`/hdr${APP}`, { Cookie: cookie, Origin: origin })).status).toBe(403);
    expect((await d.upgrade(`/hdr${APP}?qlik-csrf-token=${token}`, { Cookie: cookie, Origin: 'https://evil.example.com' })).status).toBe(403);
    expect((await d.upgrade(`/hdr${APP}?qlik-csrf-token=${token}`, { Cookie: cookie })).status).toBe(403);
    expect((await d.upgrade(`/hdr${APP}?qlik-csrf-token=${token}`, { Cookie: cookie, Origin: origin })).status).toBe(404); // control: both pass
  });

  it('answers security headers on both HTTP doors, refusals included', async () => {
    for (const r of [await d.client(xrf('/qrs/about'), withKey), await d.client('/nowhere'), await d.api(xrf('/qps/ticket'), withKey, 'POST', { UserDirectory: 'CORP', UserId: 'erin' })]) {
      expect(r.headers['content-security-policy']).toBe(API_CSP);
      expect(r.headers['x-content-type-options']).toBe('nosniff');
      expect(r.headers['strict-transport-security']).toMatch(/^max-age=/);
    }
  });

  it('a login on an upgrade writes the same records as one through HTTP, and an anonymous visit none of its own', async () => {
    await headerSession('frank');
    const ticket = (await d.deps.tickets.issue({ userDirectory: 'CORP', userId: 'gina', attributes: {}, prefix: '' }));
    expect((await d.upgrade(`${APP}?qlikTicket=${ticket}`, { Origin: origin })).status).toBe(404);
    const starts = d.records.filter((r) => r.action === 'session.start');
    expect(starts.map((r) => [r.user, r.details?.['via'], r.details?.['door']])).toEqual([['CORP\\frank', 'header', 'client'], ['CORP\\gina', 'ticket', 'upgrade']]);
    expect(Object.keys(starts[0]?.details ?? {}).sort()).toEqual(Object.keys(starts[1]?.details ?? {}).sort());
    expect(d.records.filter((r) => r.action === 'ticket.redeem').map((r) => r.user)).toEqual(['CORP\\gina']);
    // Anonymous visitors are anyone: their session starts are counted, not written one by one.
    await d.deps.aggregate.flush();
    d.records.length = 0;
    for (let i = 0; i < 3; i++) expect((await d.client('/anon/hub/')).status).toBe(200);
    expect(d.records).toEqual([]);
    await d.deps.aggregate.flush();
    expect(d.records.map((r) => [r.action, r.reason, r.details?.['count'], r.details?.['virtualProxy']])).toEqual([['session.start', 'anonymous', 3, 'anon']]);
  });
});

describe('the per-source limit', () => {
  it('answers 429 with Retry-After on every door, upgrades included, from one shared bucket', async () => {
    const limited = await startDoors({ ipRate: 1 }); // burst 2
    try {
      expect((await limited.client('/nowhere')).status).toBe(404);
      expect((await limited.upgrade(APP, { Origin: origin })).status).toBe(403); // this site's default allows no origin
      const client = await limited.client('/nowhere');
      const upgrade = await limited.upgrade(APP, { Origin: origin });
      const api = await limited.api(xrf('/qps/ticket'), withKey, 'POST', { UserDirectory: 'CORP', UserId: 'x' });
      for (const r of [client, upgrade, api]) {
        expect(r.status).toBe(429);
        expect(Number(r.headers['retry-after'])).toBeGreaterThanOrEqual(1);
      }
      expect(limited.stepsOf('upgrade').slice(-1)).toEqual(['edge-limits']);
    } finally {
      await limited.close();
    }
  });
});
