import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePorts, httpRequest, integrationCert, startSiteProcesses, ticketLogin, type RunningSite } from '@trustzone/site-harness';

// Two proxy processes sharing sessions and tickets through a real Redis (TZ_TEST_REDIS_URL; CI sets
// it and fails when Redis is unreachable). The stores use fixed key prefixes, so each run takes a
// random Redis logical database to stay apart from other runs.
const REDIS = process.env['TZ_TEST_REDIS_URL'];

describe.skipIf(!REDIS)('sessions shared by two proxies through Redis', () => {
  let site: RunningSite;
  let second: { port: number; api: number };
  let cert: { cert: string; key: string };

  beforeAll(async () => {
    const db = 1 + Math.floor(Math.random() * 14);
    const url = new URL(REDIS!);
    url.pathname = `/${db}`;
    site = await startSiteProcesses({ env: { TZ_REDIS_URL: url.toString() } });
    const [port, api, metrics] = (await freePorts(3)) as [number, number, number];
    await site.supervisor.startService('proxy', { TZ_PROXY_PORT: String(port), TZ_PROXY_API_PORT: String(api), TZ_PROXY_METRICS_PORT: String(metrics) }, 'proxy2');
    second = { port, api };
    cert = await integrationCert(site, 'portal');
  }, 120_000);

  afterAll(async () => {
    await site?.stop();
  });

  it('a ticket issued on one proxy is redeemed on the other, and that session works on both', async () => {
    const issued = await httpRequest(site, site.ports.proxyApi, '/qps/ticket', { method: 'POST', cert, body: { UserDirectory: 'CORP', UserId: 'alice' } });
    const ticket = (issued.json as { Ticket: string }).Ticket;
    const landed = await httpRequest(site, second.port, `/hub/?qlikTicket=${ticket}`, { xrfkey: false });
    const cookie = String(landed.headers['set-cookie']).split(';')[0] ?? '';
    expect(cookie).toContain('=');
    expect((await httpRequest(site, second.port, '/qrs/about', { headers: { Cookie: cookie } })).status).toBe(200);
    expect((await httpRequest(site, site.ports.proxy, '/qrs/about', { headers: { Cookie: cookie } })).status).toBe(200);
  });

  it('logout on one proxy ends the session on both', async () => {
    const { cookie } = await ticketLogin(site, cert, { userDirectory: 'CORP', userId: 'bob' });
    expect((await httpRequest(site, second.port, '/qrs/about', { headers: { Cookie: cookie } })).status).toBe(200);
    expect((await httpRequest(site, site.ports.proxy, '/qps/user', { method: 'DELETE', headers: { Cookie: cookie } })).status).toBe(204);
    expect((await httpRequest(site, second.port, '/qrs/about', { headers: { Cookie: cookie } })).status).toBe(401);
    expect((await httpRequest(site, site.ports.proxy, '/qrs/about', { headers: { Cookie: cookie } })).status).toBe(401);
  });

  it('/health reports the shared session store', async () => {
    const h = await httpRequest(site, second.port, '/health', { xrfkey: false });
    expect(h.json).toMatchObject({ status: 'ok', sessionStore: 'ok' });
  });
});
