import { randomBytes } from 'node:crypto';
import WebSocket from 'ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { httpRequest, sessionCookie, startSiteProcesses, ticketLogin, type RunningSite } from '@trustzone/site-harness';
import { api, expectOk, portal, waitForVirtualProxy, type Actor } from './test-support/site-fixture';

// Issue 16, QPS wire details, through the real site: real TLS on both proxy listeners, real gRPC to
// the repository and engine. Expected values are built from the inputs (ports, paths, ids).
let site: RunningSite;
let admin: Actor;
const PORTAL = 'https://portal.example.test/login?lang=en';
const PREFIX = 'amr';

beforeAll(async () => {
  site = await startSiteProcesses();
  admin = { cert: await portal(site), as: 'CORP\\admin' };
  expectOk(await api(site, admin, 'POST', '/qrs/virtualproxyconfig', {
    prefix: PREFIX, description: 'login portal', authenticationMethod: 'ticket',
    authenticationModuleRedirectUri: PORTAL, websocketCrossOriginWhiteList: [`localhost:${site.ports.proxy}`],
  }), 'create the portal virtual proxy');
  await waitForVirtualProxy(site, PREFIX, () => httpRequest(site, site.ports.proxy, `/${PREFIX}/hub/`, { xrfkey: false }));
}, 120_000);

afterAll(async () => {
  await site?.stop();
});

const ticket = (body: object, prefix = '') => httpRequest(site, site.ports.proxyApi, `/qps/${prefix ? `${prefix}/` : ''}ticket`, { method: 'POST', cert: admin.cert, body });

describe('ticket answer', () => {
  it('carries TargetUri (null without a TargetId), as Qlik answers it', async () => {
    const r = await ticket({ UserDirectory: 'CORP', UserId: 'alice', Attributes: [{ group: 'Sales' }] });
    expect(r.status).toBe(201);
    expect(r.json).toEqual({ UserDirectory: 'CORP', UserId: 'alice', Attributes: [{ group: 'Sales' }], Ticket: expect.any(String), TargetUri: null });
  });

  it('refuses a TargetId the proxy never handed out', async () => {
    const r = await ticket({ UserDirectory: 'CORP', UserId: 'alice', TargetId: 'c0ffee00-0000-4000-8000-000000000000' }, PREFIX);
    expect(r.status).toBe(400);
    expect(r.text).toContain('TargetId');
  });
});

describe('authentication-module redirect', () => {
  it('sends an unauthenticated browser to the portal; the portal\'s ticket brings it back where it started, once', async () => {
    const deepLink = `/${PREFIX}/hub/stream/abc?sheet=7`;
    const first = await httpRequest(site, site.ports.proxy, deepLink, { xrfkey: false });
    expect(first.status).toBe(302);
    const to = new URL(String(first.headers['location']));
    expect(`${to.origin}${to.pathname}`).toBe(PORTAL.split('?')[0]);
    expect(to.searchParams.get('lang')).toBe('en');
    expect(to.searchParams.get('proxyRestUri')).toBe(`https://localhost:${site.ports.proxyApi}/qps/${PREFIX}/`);
    const targetId = to.searchParams.get('targetId') ?? '';
    expect(targetId).toMatch(/^[0-9a-f-]{36}$/);

    // The portal: the ticket request at proxyRestUri with that TargetId.
    const issued = await ticket({ UserDirectory: 'CORP', UserId: 'alice', TargetId: targetId }, PREFIX);
    expect(issued.status, issued.text).toBe(201);
    const answer = issued.json as { Ticket: string; TargetUri: string; TargetId: string };
    expect(answer.TargetUri).toBe(`https://localhost:${site.ports.proxy}${deepLink}`);
    expect(answer.TargetId).toBe(targetId);
    // Single use.
    expect((await ticket({ UserDirectory: 'CORP', UserId: 'mallory', TargetId: targetId }, PREFIX)).status).toBe(400);

    // The browser follows TargetUri with the ticket (QlikTicket, as Qlik's portal samples spell it).
    const back = new URL(answer.TargetUri);
    back.searchParams.set('QlikTicket', answer.Ticket);
    const landed = await httpRequest(site, site.ports.proxy, `${back.pathname}${back.search}`, { xrfkey: false });
    expect(landed.status).toBe(303);
    expect(landed.headers['location']).toBe(deepLink);
    const cookie = sessionCookie(landed);
    expect(cookie).toBeDefined();
    const me = await httpRequest(site, site.ports.proxy, `/${PREFIX}/qps/user`, { headers: { Cookie: cookie! } });
    expect(me.json).toMatchObject({ userDirectory: 'CORP', userId: 'alice' });
  });

  it('a Host the virtual proxy does not list gets no redirect (no target pointing off-site)', async () => {
    const r = await httpRequest(site, site.ports.proxy, `/${PREFIX}/hub/`, { xrfkey: false, headers: { Host: 'evil.example' } });
    expect(r.status).toBe(401);
    expect(r.headers['location']).toBeUndefined();
  });
});

describe('csrf token, session API and logout', () => {
  it('GET /qps/csrftoken answers the session\'s token in the qlik-csrf-token header', async () => {
    const { cookie } = await ticketLogin(site, admin.cert, { userDirectory: 'CORP', userId: 'bob' });
    const r = await httpRequest(site, site.ports.proxy, '/qps/csrftoken', { xrfkey: false, headers: { Cookie: cookie } });
    expect(r.status).toBe(204);
    const me = (await httpRequest(site, site.ports.proxy, '/qps/user', { headers: { Cookie: cookie } })).json as { csrfToken: string };
    expect(r.headers['qlik-csrf-token']).toBe(me.csrfToken);
    expect((await httpRequest(site, site.ports.proxy, '/qps/csrftoken', { xrfkey: false })).status).toBe(401);
    // Only that read is exempt from the xrfkey pair: the rest of /qps still needs it.
    expect((await httpRequest(site, site.ports.proxy, '/qps/user', { xrfkey: false, headers: { Cookie: cookie } })).status).toBe(403);
    expect((await httpRequest(site, site.ports.proxy, '/qps/csrftoken', { method: 'DELETE', xrfkey: false, headers: { Cookie: cookie } })).status).toBe(403);
  });

  it('POST/GET/DELETE /qps/session with Qlik\'s JSON; DELETE ends the session and closes its QIX socket', async () => {
    const id = randomBytes(24).toString('base64url');
    const body = { UserDirectory: 'CORP', UserId: 'carol', Attributes: [{ group: 'Finance' }], SessionId: id };
    const made = await httpRequest(site, site.ports.proxyApi, '/qps/session', { method: 'POST', cert: admin.cert, body });
    expect(made.status, made.text).toBe(201);
    expect(made.json).toEqual(body);
    expect((await httpRequest(site, site.ports.proxyApi, `/qps/session/${id}`, { cert: admin.cert })).json).toEqual(body);
    const cookie = `X-Qlik-Session=${id}`;
    const token = ((await httpRequest(site, site.ports.proxy, '/qps/user', { headers: { Cookie: cookie } })).json as { csrfToken: string }).csrfToken;
    const ws = new WebSocket(`wss://localhost:${site.ports.proxy}/app/engineData?qlik-csrf-token=${encodeURIComponent(token)}`, { ca: site.clientFacingCa, headers: { Cookie: cookie, Origin: `https://localhost:${site.ports.proxy}` } });
    const methods: string[] = [];
    ws.on('message', (m) => methods.push(String((JSON.parse(String(m)) as { method?: string }).method)));
    const closed = new Promise<number>((resolve) => ws.on('close', (code) => resolve(code)));
    for (let i = 0; i < 200 && !methods.includes('OnConnected'); i++) await new Promise((r) => setTimeout(r, 25));
    expect(methods).toEqual(['OnAuthenticationInformation', 'OnConnected']);
    const ended = await httpRequest(site, site.ports.proxyApi, `/qps/session/${id}`, { method: 'DELETE', cert: admin.cert });
    expect(ended.json).toEqual(body);
    expect(await closed).toBe(1000);
    expect(methods).toContain('OnSessionLoggedOut');
    expect((await httpRequest(site, site.ports.proxy, '/qrs/about', { headers: { Cookie: cookie } })).status).toBe(401);
    expect((await httpRequest(site, site.ports.proxyApi, `/qps/session/${id}`, { cert: admin.cert })).status).toBe(404);
  });
});
