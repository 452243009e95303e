import { createPrivateKey, randomBytes, sign } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { httpRequest, sessionCookie, startSiteProcesses, ticketLogin, type RunningSite } from '@trustzone/site-harness';
import { createCa } from '@trustzone/trust';
import { api, expectOk, portal, seedContent, waitForVirtualProxy, type Actor, type Seeded } from './test-support/site-fixture';

// Issue 4 acceptance, end to end: real processes (proxy, repository, engine), real TLS on both proxy
// listeners, real mTLS gRPC inside, real SQLite. Nothing here is mocked.
let site: RunningSite;
let admin: Actor;
let seeded: Seeded;
const secrets: string[] = []; // every ticket, cookie, JWT and key used: none may appear in any log

const b64 = (v: object | Buffer) => Buffer.from(v instanceof Buffer ? v : JSON.stringify(v)).toString('base64url');
function jwt(keyPem: string, payload: Record<string, unknown>, alg = 'RS256'): string {
  const head = `${b64({ alg, typ: 'JWT' })}.${b64(payload)}`;
  const token = `${head}.${sign('sha256', Buffer.from(head), createPrivateKey(keyPem)).toString('base64url')}`;
  secrets.push(token);
  return token;
}
const names = (r: { json: unknown }) => (r.json as { name: string }[]).map((a) => a.name).sort();

beforeAll(async () => {
  site = await startSiteProcesses({ env: { TZ_TICKET_TTL_MS: '2000' } });
  admin = { cert: await portal(site), as: 'CORP\\admin' };
  secrets.push(admin.cert.key.split('\n').slice(1, -2).join(''));
  seeded = await seedContent(site, admin);
}, 120_000);

afterAll(async () => {
  await site?.stop();
});

describe('ticket login through the proxy API and the hub', () => {
  it('issues a ticket to a portal with an integration certificate; redeeming it gives a session that lists what the user may read', async () => {
    const alice = await ticketLogin(site, admin.cert, { userDirectory: 'CORP', userId: 'alice', attributes: [{ group: 'Sales' }] });
    secrets.push(alice.ticket, alice.cookie.split('=')[1] ?? '');
    const apps = await httpRequest(site, site.ports.proxy, '/qrs/app', { headers: { Cookie: alice.cookie } });
    expect(apps.status).toBe(200);
    expect(names(apps)).toEqual(['Company Handbook', 'Sales Dashboard']);
  });

  it('refuses a reused ticket', async () => {
    const issued = await httpRequest(site, site.ports.proxyApi, '/qps/ticket', { method: 'POST', cert: admin.cert, body: { UserDirectory: 'CORP', UserId: 'carol' } });
    const t = (issued.json as { Ticket: string }).Ticket;
    secrets.push(t);
    expect(sessionCookie(await httpRequest(site, site.ports.proxy, `/hub/?qlikTicket=${t}`, { xrfkey: false }))).toBeDefined();
    const again = await httpRequest(site, site.ports.proxy, `/hub/?qlikTicket=${t}`, { xrfkey: false });
    expect(again.status).toBe(401);
    expect(sessionCookie(again)).toBeUndefined();
  });

  it('refuses an expired ticket (TTL shortened to 2 s for this site; the one-minute default is unit-tested with a clock)', async () => {
    const issued = await httpRequest(site, site.ports.proxyApi, '/qps/ticket', { method: 'POST', cert: admin.cert, body: { UserDirectory: 'CORP', UserId: 'dave' } });
    const t = (issued.json as { Ticket: string }).Ticket;
    secrets.push(t);
    await new Promise((r) => setTimeout(r, 2_500));
    expect((await httpRequest(site, site.ports.proxy, `/hub/?qlikTicket=${t}`, { xrfkey: false })).status).toBe(401);
  });

  it('refuses the ticket API without an integration certificate', async () => {
    await expect(httpRequest(site, site.ports.proxyApi, '/qps/ticket', { method: 'POST', body: { UserDirectory: 'CORP', UserId: 'x' } })).rejects.toThrow();
  });
});

describe('security rules through /qrs', () => {
  it('two users with different rules see different apps; an unreadable app is 404; RootAdmin sees all', async () => {
    const bob = await ticketLogin(site, admin.cert, { userDirectory: 'CORP', userId: 'bob' });
    secrets.push(bob.ticket, bob.cookie.split('=')[1] ?? '');
    const bobApps = await httpRequest(site, site.ports.proxy, '/qrs/app', { headers: { Cookie: bob.cookie } });
    expect(names(bobApps)).toEqual(['Company Handbook']);
    expect((await httpRequest(site, site.ports.proxy, `/qrs/app/${seeded.apps.sales}`, { headers: { Cookie: bob.cookie } })).status).toBe(404);
    expect((await httpRequest(site, site.ports.proxy, `/qrs/app/${seeded.apps.draft}`, { headers: { Cookie: bob.cookie } })).status).toBe(404);
    const root = await ticketLogin(site, admin.cert, { userDirectory: 'CORP', userId: 'admin' });
    secrets.push(root.ticket, root.cookie.split('=')[1] ?? '');
    expect(names(await httpRequest(site, site.ports.proxy, '/qrs/app/full', { headers: { Cookie: root.cookie } }))).toEqual(['Admin Draft', 'Company Handbook', 'Sales Dashboard']);
    expect((await httpRequest(site, site.ports.proxy, '/qrs/app/count', { headers: { Cookie: root.cookie } })).json).toEqual({ value: 3 });
  });

  it('X-Qlik-User sent to the client-facing port has no effect', async () => {
    const asAdmin = { 'X-Qlik-User': 'UserDirectory=CORP; UserId=admin' };
    expect((await httpRequest(site, site.ports.proxy, '/qrs/app', { headers: asAdmin })).status).toBe(401);
    const bob = await ticketLogin(site, admin.cert, { userDirectory: 'CORP', userId: 'bob' });
    secrets.push(bob.ticket, bob.cookie.split('=')[1] ?? '');
    expect(names(await httpRequest(site, site.ports.proxy, '/qrs/app', { headers: { Cookie: bob.cookie, ...asAdmin } }))).toEqual(['Company Handbook']);
  });
});

describe('header and JWT virtual proxies', () => {
  let jwtKey: string;

  beforeAll(async () => {
    const issuer = await createCa({ commonName: 'jwt-issuer' });
    jwtKey = issuer.keyPem;
    secrets.push(issuer.keyPem.split('\n').slice(1, -2).join(''));
    expectOk(await api(site, admin, 'POST', '/qrs/virtualproxyconfig', {
      prefix: 'hdr', description: 'header login', authenticationMethod: 'header-static',
      headerAuthenticationHeaderName: 'X-Trustzone-User', headerAuthenticationStaticUserDirectory: 'CORP',
    }), 'create header virtual proxy');
    expectOk(await api(site, admin, 'POST', '/qrs/virtualproxyconfig', {
      prefix: 'jwt', description: 'jwt login', authenticationMethod: 'jwt', jwtPublicKeyCertificate: issuer.certPem,
      jwtAttributeUserId: 'sub', jwtAttributeUserDirectory: '[CORP]', jwtAudience: 'trustzone', jwtIssuer: 'https://idp.example.com/',
    }), 'create jwt virtual proxy');
    await waitForVirtualProxy(site, 'hdr', () => httpRequest(site, site.ports.proxy, '/hdr/qrs/about', { headers: { 'X-Trustzone-User': 'bob' } }));
    await waitForVirtualProxy(site, 'jwt', () => httpRequest(site, site.ports.proxy, '/jwt/qrs/about'));
  });

  it('header login works only on the header virtual proxy', async () => {
    const onHeader = await httpRequest(site, site.ports.proxy, '/hdr/qrs/app', { headers: { 'X-Trustzone-User': 'bob' } });
    expect(onHeader.status).toBe(200);
    expect(names(onHeader)).toEqual(['Company Handbook']);
    expect((await httpRequest(site, site.ports.proxy, '/qrs/app', { headers: { 'X-Trustzone-User': 'bob' } })).status).toBe(401);
  });

  it('a JWT with a good signature logs in; bad signature, expired, or wrong audience is 401', async () => {
    const now = Math.floor(Date.now() / 1000);
    const iss = 'https://idp.example.com/';
    const good = jwt(jwtKey, { sub: 'bob', iss, aud: 'trustzone', exp: now + 300 });
    expect((await httpRequest(site, site.ports.proxy, '/jwt/qrs/app', { headers: { Authorization: `Bearer ${good}` } })).status).toBe(200);
    const other = await createCa({ commonName: 'someone-else' });
    const cases = {
      'bad signature': jwt(other.keyPem, { sub: 'bob', iss, aud: 'trustzone', exp: now + 300 }),
      expired: jwt(jwtKey, { sub: 'bob', iss, aud: 'trustzone', exp: now - 120 }),
      'wrong audience': jwt(jwtKey, { sub: 'bob', iss, aud: 'elsewhere', exp: now + 300 }),
      'wrong issuer': jwt(jwtKey, { sub: 'bob', iss: 'https://evil.example.com/', aud: 'trustzone', exp: now + 300 }),
    };
    for (const [label, token] of Object.entries(cases)) {
      const r = await httpRequest(site, site.ports.proxy, '/jwt/qrs/app', { headers: { Authorization: `Bearer ${token}` } });
      expect(r.status, label).toBe(401);
    }
  });
});

describe('session API on the proxy API port', () => {
  it('a session made elsewhere is registered, works as a cookie, is readable and can be ended', async () => {
    const id = randomBytes(32).toString('base64url');
    secrets.push(id);
    const made = await httpRequest(site, site.ports.proxyApi, '/qps/session', { method: 'POST', cert: admin.cert, body: { UserDirectory: 'CORP', UserId: 'gina', Attributes: [{ group: 'Sales' }], SessionId: id } });
    expect(made.status, made.text).toBe(201);
    const cookie = { Cookie: `X-Qlik-Session=${id}` };
    expect(names(await httpRequest(site, site.ports.proxy, '/qrs/app', { headers: cookie }))).toEqual(['Company Handbook', 'Sales Dashboard']);
    expect((await httpRequest(site, site.ports.proxyApi, `/qps/session/${id}`, { cert: admin.cert })).json).toMatchObject({ UserDirectory: 'CORP', UserId: 'gina' });
    expect((await httpRequest(site, site.ports.proxyApi, `/qps/session/${id}`, { method: 'DELETE', cert: admin.cert })).status).toBe(200);
    expect((await httpRequest(site, site.ports.proxy, '/qrs/app', { headers: cookie })).status).toBe(401);
  });

  it('lists a user\'s sessions and logs the user out everywhere', async () => {
    const a = await ticketLogin(site, admin.cert, { userDirectory: 'CORP', userId: 'hank' });
    const b = await ticketLogin(site, admin.cert, { userDirectory: 'CORP', userId: 'hank' });
    secrets.push(a.ticket, b.ticket, a.cookie.split('=')[1] ?? '', b.cookie.split('=')[1] ?? '');
    expect(((await httpRequest(site, site.ports.proxyApi, '/qps/user/CORP/hank', { cert: admin.cert })).json as unknown[]).length).toBe(2);
    // Qlik answers the list of the sessions it ended; their ids are the two cookies' values.
    const ended = (await httpRequest(site, site.ports.proxyApi, '/qps/user/CORP/hank', { method: 'DELETE', cert: admin.cert })).json as { SessionId: string; UserId: string }[];
    expect(ended.map((e) => e.SessionId).sort()).toEqual([a.cookie, b.cookie].map((c) => c.split('=')[1]).sort());
    expect(ended.every((e) => e.UserId === 'hank')).toBe(true);
    for (const c of [a.cookie, b.cookie]) expect((await httpRequest(site, site.ports.proxy, '/qrs/about', { headers: { Cookie: c } })).status).toBe(401);
  });
});

describe('sessions, CSRF and bounds', () => {
  it('logout ends the session: the cookie no longer works', async () => {
    const erin = await ticketLogin(site, admin.cert, { userDirectory: 'CORP', userId: 'erin' });
    secrets.push(erin.ticket, erin.cookie.split('=')[1] ?? '');
    expect((await httpRequest(site, site.ports.proxy, '/qrs/about', { headers: { Cookie: erin.cookie } })).status).toBe(200);
    expect((await httpRequest(site, site.ports.proxy, '/qps/user', { method: 'DELETE', headers: { Cookie: erin.cookie } })).status).toBe(204);
    expect((await httpRequest(site, site.ports.proxy, '/qrs/about', { headers: { Cookie: erin.cookie } })).status).toBe(401);
  });

  it('a missing or mismatched xrfkey is 403 before anything else runs; a malformed filter is 400 naming the position; an oversized body is 413', async () => {
    const frank = await ticketLogin(site, admin.cert, { userDirectory: 'CORP', userId: 'frank' });
    secrets.push(frank.ticket, frank.cookie.split('=')[1] ?? '');
    const cookie = { Cookie: frank.cookie };
    expect((await httpRequest(site, site.ports.proxy, '/qrs/about', { xrfkey: false, headers: cookie })).status).toBe(403);
    expect((await httpRequest(site, site.ports.proxy, '/qrs/about?xrfkey=abcdefghijklmnop', { xrfkey: false, headers: { ...cookie, 'X-Qlik-Xrfkey': 'ponmlkjihgfedcba' } })).status).toBe(403);
    // Even an unauthenticated request gets 403 for the xrfkey first, not 401.
    expect((await httpRequest(site, site.ports.proxy, '/qrs/about', { xrfkey: false })).status).toBe(403);
    const bad = await httpRequest(site, site.ports.proxy, `/qrs/app?filter=${encodeURIComponent("name eq 'x' and (")}`, { headers: cookie });
    expect(bad.status).toBe(400);
    expect(JSON.stringify(bad.json)).toMatch(/position/i);
    const big = await httpRequest(site, site.ports.proxy, '/qrs/stream', { method: 'POST', headers: { ...cookie, 'Content-Type': 'application/json' }, raw: JSON.stringify({ name: 'x'.repeat(2 * 1024 * 1024) }) });
    expect(big.status).toBe(413);
    // And the proxy still serves this user and others normally.
    expect((await httpRequest(site, site.ports.proxy, '/qrs/about', { headers: cookie })).status).toBe(200);
  });
});

describe('secrets never reach the logs', () => {
  it('no ticket, session id, cookie, JWT or private key appears in any log file of the run', async () => {
    await new Promise((r) => setTimeout(r, 500)); // let the services flush their log streams
    const dir = join(site.dataDir, 'logs');
    const logs = readdirSync(dir).map((f) => readFileSync(join(dir, f), 'utf8')).join('\n');
    expect(logs.length).toBeGreaterThan(0);
    const leaked = secrets.filter((s) => s.length >= 16 && logs.includes(s));
    expect(leaked).toEqual([]);
  });
});
