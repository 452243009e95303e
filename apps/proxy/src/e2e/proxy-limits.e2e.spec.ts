import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { httpRequest, startSiteProcesses, ticketLogin, type RunningSite } from '@trustzone/site-harness';
import { api, expectOk, portal, waitForVirtualProxy, type Actor } from './test-support/site-fixture';

// A site of its own: a low per-user rate limit, and a virtual proxy with the shortest inactivity
// timeout the entity allows (1 minute), so these slow checks run beside the other e2e files.
let site: RunningSite;
let admin: Actor;

beforeAll(async () => {
  site = await startSiteProcesses({ env: { TZ_RATE_USER_PER_SECOND: '2' } });
  admin = { cert: await portal(site), as: 'CORP\\admin' };
  expectOk(await api(site, admin, 'POST', '/qrs/virtualproxyconfig', { prefix: 'short', description: 'short sessions', authenticationMethod: 'ticket', sessionInactivityTimeout: 1 }), 'create short virtual proxy');
  await waitForVirtualProxy(site, 'short', () => httpRequest(site, site.ports.proxy, '/short/qrs/about'));
}, 120_000);

afterAll(async () => {
  await site?.stop();
});

describe('rate limits', () => {
  it('a burst beyond the per-user limit gets 429 with Retry-After, and other users are not disturbed', async () => {
    const alice = await ticketLogin(site, admin.cert, { userDirectory: 'CORP', userId: 'alice' });
    const bob = await ticketLogin(site, admin.cert, { userDirectory: 'CORP', userId: 'bob' });
    const burst = await Promise.all(Array.from({ length: 20 }, () => httpRequest(site, site.ports.proxy, '/qrs/about', { headers: { Cookie: alice.cookie } })));
    const limited = burst.filter((r) => r.status === 429);
    expect(limited.length).toBeGreaterThan(0);
    expect(limited[0]?.headers['retry-after']).toMatch(/^\d+$/);
    expect(burst.filter((r) => r.status === 200).length).toBeGreaterThan(0);
    expect((await httpRequest(site, site.ports.proxy, '/qrs/about', { headers: { Cookie: bob.cookie } })).status).toBe(200);
  });
});

describe('session inactivity timeout', () => {
  it('a session idle longer than its virtual proxy allows is gone: the cookie no longer works', async () => {
    const s = await ticketLogin(site, admin.cert, { userDirectory: 'CORP', userId: 'idle' }, 'short');
    expect((await httpRequest(site, site.ports.proxy, '/short/qrs/about', { headers: { Cookie: s.cookie } })).status).toBe(200);
    await new Promise((r) => setTimeout(r, 62_000));
    expect((await httpRequest(site, site.ports.proxy, '/short/qrs/about', { headers: { Cookie: s.cookie } })).status).toBe(401);
  }, 90_000);
});
