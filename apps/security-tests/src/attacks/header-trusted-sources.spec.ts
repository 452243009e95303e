import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sessionCookie } from '@trustzone/site-harness';
import { ADMIN, eventually, ok, sleep, startAttackSite, type AttackSite } from '../test-support/attack-site';
import { auditRecords, detailsOf, eventsIn, requestFrom } from '../test-support/audit-trail';
import { rawUpgrade } from '../test-support/qix-client';
import { describeResponseScan } from '../test-support/response-scan';
import { createApp } from '../test-support/site-content';

// Header login trusts whoever may set the header (issue 15, finding 6). A header virtual proxy
// belongs behind an SSO gateway; a client that reaches the proxy directly must not be able to
// name its user in that header. The header is honoured only from headerAuthenticationTrustedSources
// (loopback only unless configured). 127.0.0.2 is a loopback address on Linux but not 127.0.0.1,
// so it stands in for "another host" without leaving the machine.
const HEADER = 'X-Trustzone-User';
let a: AttackSite;
let hdrId: string;
let app: string;

const vp = (prefix: string, extra: Record<string, unknown> = {}) => ({
  prefix, description: prefix, authenticationMethod: 'header-static', headerAuthenticationHeaderName: HEADER, headerAuthenticationStaticUserDirectory: 'CORP',
  websocketCrossOriginWhiteList: [`localhost:${a.site.ports.proxy}`], ...extra,
});

beforeAll(async () => {
  a = await startAttackSite({ TZ_REFUSAL_AUDIT_INTERVAL_MS: '1000' });
  hdrId = ok<{ id: string }>(await a.as(ADMIN, 'POST', '/qrs/virtualproxyconfig', vp('hdr')), 'header vp').id;
  app = await createApp(a, 'Header target');
  await eventually(async () => (await a.client('/hdr/qps/user', { headers: { [HEADER]: 'warmup' } })).status === 200, 'header virtual proxy');
}, 120_000);

afterAll(async () => {
  await a?.stop();
});

describe('Spoofing › header login from untrusted sources', () => {
  it('a new header virtual proxy trusts loopback only, and its header from another source address is refused and audited', async () => {
    const stored = ok<{ headerAuthenticationTrustedSources?: unknown }>(await a.as(ADMIN, 'GET', `/qrs/virtualproxyconfig/${hdrId}`), 'vp');
    expect(stored.headerAuthenticationTrustedSources).toEqual(['127.0.0.1/32', '::1/128']);
    const xrf = 'abcdefghijklmnop';
    const path = `/hdr/qrs/about?xrfkey=${xrf}`;
    expect((await requestFrom(a.site, '127.0.0.1', path, { 'X-Qlik-Xrfkey': xrf, [HEADER]: 'admin' })).status).toBe(200); // control
    const since = Date.now();
    const spoofed = await requestFrom(a.site, '127.0.0.2', path, { 'X-Qlik-Xrfkey': xrf, [HEADER]: 'admin' });
    expect(spoofed.status).toBe(403);
    expect((spoofed.json as { error: { code: string } }).error.code).toBe('EDGE_HEADER_SOURCE_UNTRUSTED');
    expect(sessionCookie(spoofed)).toBeUndefined();
    // Without the header the same source is simply not logged in (the header is what is refused).
    expect((await requestFrom(a.site, '127.0.0.2', path, { 'X-Qlik-Xrfkey': xrf })).status).toBe(401);
    await expect.poll(async () => (await auditRecords(a.site, 'auth.login'))
      .filter((r) => Date.parse(r.time) >= since && r.outcome === 'failure' && r.reason === 'EDGE_HEADER_SOURCE_UNTRUSTED' && detailsOf(r)['source'] === '127.0.0.2')
      .reduce((n, r) => n + eventsIn(r), 0), { timeout: 10_000 }).toBe(1);
  });

  it('a header virtual proxy honours its header only from its configured trusted sources', async () => {
    ok(await a.as(ADMIN, 'POST', '/qrs/virtualproxyconfig', vp('gw', { headerAuthenticationTrustedSources: ['10.0.0.0/8', '127.0.0.2/32'] })), 'gateway vp');
    await eventually(async () => (await a.client('/gw/qrs/about')).status === 401, 'gateway virtual proxy');
    const xrf = 'abcdefghijklmnop';
    const path = `/gw/qrs/app?xrfkey=${xrf}`;
    expect((await requestFrom(a.site, '127.0.0.1', path, { 'X-Qlik-Xrfkey': xrf, [HEADER]: 'admin' })).status).toBe(403);
    expect((await requestFrom(a.site, '127.0.0.2', path, { 'X-Qlik-Xrfkey': xrf, [HEADER]: 'admin' })).status).toBe(200);
  });

  it('trusted sources that are not CIDRs are refused with 400 naming the entry', async () => {
    for (const [sources, field] of [
      [['10.0.0.1/8'], 'body.headerAuthenticationTrustedSources.0'],
      [['127.0.0.1/32', '300.1.1.1/32'], 'body.headerAuthenticationTrustedSources.1'],
      [['::1/129'], 'body.headerAuthenticationTrustedSources.0'],
      [['10.0.0.0'], 'body.headerAuthenticationTrustedSources.0'],
      [['fe80::1%eth0/128'], 'body.headerAuthenticationTrustedSources.0'],
    ] as const) {
      const r = await a.as(ADMIN, 'POST', '/qrs/virtualproxyconfig', vp('bad', { headerAuthenticationTrustedSources: sources }));
      expect(r.status, JSON.stringify(sources)).toBe(400);
      expect((r.json as { error: { field?: string } }).error.field, JSON.stringify(sources)).toBe(field);
    }
    const good = await a.as(ADMIN, 'POST', '/qrs/virtualproxyconfig', vp('good', { headerAuthenticationTrustedSources: ['192.168.0.0/16', '2001:db8::/32'] }));
    expect(good.status, good.text).toBe(201); // control
    expect((good.json as { headerAuthenticationTrustedSources: string[] }).headerAuthenticationTrustedSources).toEqual(['192.168.0.0/16', '2001:db8::/32']);
  });
});

describe('Spoofing › cross-site websocket with a header session', () => {
  it('a header-authenticated websocket upgrade needs the session CSRF token like a cookie session', async () => {
    await sleep(100);
    const origin = `https://localhost:${a.site.ports.proxy}`;
    const bare = await rawUpgrade(a, `/hdr/app/${app}`, { [HEADER]: 'admin', Origin: origin });
    bare.socket?.terminate();
    expect(bare.status).toBe(403);
    // The header session's own token (from /qps/user with that session) opens the socket.
    const me = await a.client('/hdr/qps/user', { headers: { [HEADER]: 'admin' } });
    const cookie = sessionCookie(me) as string;
    const token = (me.json as { csrfToken: string }).csrfToken;
    const withToken = await rawUpgrade(a, `/hdr/app/${app}?qlik-csrf-token=${encodeURIComponent(token)}`, { [HEADER]: 'admin', Cookie: cookie, Origin: origin });
    withToken.socket?.terminate();
    expect(withToken.status).toBe(101);
    // Another session's token does not.
    const other = ((await a.client('/hdr/qps/user', { headers: { [HEADER]: 'admin' } })).json as { csrfToken: string }).csrfToken;
    const wrong = await rawUpgrade(a, `/hdr/app/${app}?qlik-csrf-token=${encodeURIComponent(other)}`, { [HEADER]: 'admin', Cookie: cookie, Origin: origin });
    wrong.socket?.terminate();
    expect(wrong.status).toBe(403);
  });
});

describeResponseScan(() => a);
