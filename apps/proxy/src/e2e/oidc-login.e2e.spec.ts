import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { httpRequest, startSiteProcesses, startTestIdp, TestBrowser, type RunningSite, type TestIdp } from '@trustzone/site-harness';
import { watchedQixSocket } from './test-support/qix-rpc';
import { tableRowsSeenBy } from './test-support/qix-table-rows';
import { api, expectOk, portal, seedContent, waitForVirtualProxy, type Actor } from './test-support/site-fixture';

// Issue 19 acceptance, end to end: a real site (proxy, repository, engine processes; TLS, mTLS gRPC,
// SQLite), an OIDC virtual proxy made through /qrs, node-oidc-provider started here as the IdP. A
// browser logs in with the provider's forms; the group claim reaches a security rule (/qrs) and a
// section-access GROUP row (QIX over wss). Expected numbers are computed from the rows below.
// Uneven on purpose: each group's share differs, so a wrong reduction cannot give the right count.
const REGIONS = ['EAST', 'WEST', 'WEST', 'NORTH'];
const ORDERS = Array.from({ length: 30 }, (_, i) => ({ id: i + 1, region: REGIONS[i % REGIONS.length] as string, amount: 7 * (i + 1) }));
const GROUP_REGION: Record<string, string> = { 'Sales-East': 'EAST', 'Sales-West': 'WEST' };
const SCRIPT = `
Section Access;
LOAD * INLINE [
ACCESS, USERID, GROUP, REGION
ADMIN, INTERNAL\\SA_SCHEDULER, ,
${Object.entries(GROUP_REGION).map(([g, r]) => `USER, *, ${g.toUpperCase()}, ${r}`).join('\n')}
];
Section Application;
Orders:
LOAD * INLINE [
ORDERID, REGION, AMOUNT
${ORDERS.map((o) => `${o.id}, ${o.region}, ${o.amount}`).join('\n')}
];
`;
const USERS = {
  alice: { password: randomBytes(9).toString('base64url'), name: 'Alice', email: 'alice@corp.example', groups: ['Sales', 'Sales-East'] },
  bob: { password: randomBytes(9).toString('base64url'), name: 'Bob', email: 'bob@corp.example', groups: ['Marketing', 'Sales-West'] },
  carol: { password: randomBytes(9).toString('base64url'), name: 'Carol', email: 'carol@corp.example', groups: [] as string[] },
};
/** What section access must leave a user: the orders of the regions their groups name. */
const expectedRows = (groups: string[]) => ORDERS.filter((o) => groups.some((g) => GROUP_REGION[g] === o.region)).length;

let site: RunningSite;
let idp: TestIdp;
let admin: Actor;
let appId: string;
let origin: string;

beforeAll(async () => {
  site = await startSiteProcesses();
  origin = `https://localhost:${site.ports.proxy}`;
  admin = { cert: await portal(site), as: 'CORP\\admin' };
  const secret = randomBytes(24).toString('base64url');
  idp = await startTestIdp({
    clientId: 'trustzone', clientSecret: secret, redirectUris: [`${origin}/oidc/oidcauthn/`], postLogoutRedirectUris: [`${origin}/oidc/oidcauthn/loggedout`],
    backchannelLogoutUri: `${origin}/oidc/oidcauthn/backchannel-logout`,
    // The provider's back-channel POST goes to the site's proxy over its real TLS port; only the CA
    // (the site's test CA, which global fetch does not know) is why it is not the provider's own fetch.
    fetch: async (url, init) => {
      const u = new URL(url);
      const a = await httpRequest(site, site.ports.proxy, `${u.pathname}${u.search}`, { method: String(init.method), xrfkey: false, headers: { 'Content-Type': 'application/x-www-form-urlencoded' }, raw: String(init.body) });
      return new Response(a.status === 204 ? null : a.text, { status: a.status });
    },
  });
  for (const [id, u] of Object.entries(USERS)) idp.users.set(id, u);
  await seedContent(site, admin);
  const vp = expectOk(await api(site, admin, 'POST', '/qrs/virtualproxyconfig', {
    prefix: 'oidc', description: 'OpenID Connect', authenticationMethod: 'oidc',
    oidcConfigurationEndpointUri: idp.discoveryUrl, oidcClientId: 'trustzone', oidcClientSecret: secret,
    oidcScope: 'openid profile email groups', oidcRealm: 'CORP', websocketCrossOriginWhiteList: [`localhost:${site.ports.proxy}`],
  }), 'create oidc virtual proxy') as Record<string, unknown>;
  expect(JSON.stringify(vp)).not.toContain(secret);
  expect(vp['oidcClientSecretSet']).toBe(true);
  const shown = expectOk(await api(site, admin, 'GET', `/qrs/virtualproxyconfig/${String(vp['id'])}`), 'read it back');
  expect(JSON.stringify(shown)).not.toContain(secret);
  await waitForVirtualProxy(site, 'oidc', () => httpRequest(site, site.ports.proxy, '/oidc/qrs/about'));

  appId = (expectOk(await api(site, admin, 'POST', '/qrs/app', { name: 'Orders by group' }), 'create app') as { id: string }).id;
  expectOk(await api(site, admin, 'PUT', `/qrs/app/${appId}/script`, { script: SCRIPT }), 'script');
  expectOk(await api(site, admin, 'POST', `/qrs/app/${appId}/reload`), 'reload');
  const streams = expectOk(await api(site, admin, 'GET', '/qrs/stream/full'), 'streams') as { id: string; name: string }[];
  expectOk(await api(site, admin, 'PUT', `/qrs/app/${appId}/publish?stream=${streams.find((s) => s.name === 'Everyone')!.id}`), 'publish');
}, 180_000);

afterAll(async () => {
  await site?.stop();
  await idp?.close();
});

async function login(user: keyof typeof USERS): Promise<{ b: TestBrowser; cookie: string }> {
  const b = new TestBrowser(`localhost:${site.ports.proxy}`, (path, headers, method) => httpRequest(site, site.ports.proxy, path, { method, headers, xrfkey: false }));
  const atIdp = await b.follow(`${origin}/oidc/hub/`);
  expect(atIdp.url.startsWith(idp.issuer)).toBe(true);
  let page = await b.submit(atIdp, { login: user, password: USERS[user].password });
  if (/Allow/.test(page.text)) page = await b.submit(page);
  expect(page.url).toBe(`${origin}/oidc/hub/`);
  expect(page.json).toMatchObject({ user: `CORP\\${user}` });
  const cookie = b.cookieHeader(`localhost:${site.ports.proxy}`);
  expect(cookie).toMatch(/X-Qlik-Session[^=]*=./);
  return { b, cookie };
}

const ordersRowsSeenBy = (cookie: string) => tableRowsSeenBy(site, { prefix: 'oidc', appId, origin, cookie, table: 'Orders' });

describe('OIDC virtual proxy on a running site', () => {
  it.each(['alice', 'bob'] as const)('%s logs in at the provider; /qrs answers as that user and the group claim drives a security rule', async (user) => {
    const { cookie } = await login(user);
    const streams = await httpRequest(site, site.ports.proxy, '/oidc/qrs/stream', { headers: { Cookie: cookie } });
    expect(streams.status).toBe(200);
    const names = (streams.json as { name: string }[]).map((s) => s.name);
    // seedContent's rule: the Sales stream is readable by user.environment.group = "Sales".
    expect(names.includes('Sales')).toBe(USERS[user].groups.includes('Sales'));
    expect(names).toContain('Everyone');
  });

  it.each(['alice', 'bob'] as const)('%s opens the app over wss and sees only the rows of the GROUP rows that match the group claim', async (user) => {
    const { cookie } = await login(user);
    const rows = await ordersRowsSeenBy(cookie);
    expect(rows).toBe(expectedRows(USERS[user].groups));
    expect(rows).toBeGreaterThan(0);
  });

  it('a user whose claims carry no matching group is refused the app (QIX error 5)', async () => {
    const { cookie } = await login('carol');
    expect(await ordersRowsSeenBy(cookie)).toEqual({ denied: 5 });
  });

  it('logout ends the session at the proxy and sends the browser to the provider', async () => {
    const { b, cookie } = await login('alice');
    const out = await b.request(`${origin}/oidc/oidcauthn/logout`, 'POST', undefined, { Origin: origin });
    expect(out.status).toBe(303);
    expect(out.location?.startsWith(`${idp.issuer}/`)).toBe(true);
    expect((await httpRequest(site, site.ports.proxy, '/oidc/qrs/stream', { headers: { Cookie: cookie } })).status).toBe(401);
  });

  it('logout at the provider (its own end-session form) reaches the proxy by the back channel: the session ends and its open QIX socket is told OnSessionLoggedOut and closed', async () => {
    const { b, cookie } = await login('alice');
    const { methods, closed } = await watchedQixSocket(site, { prefix: 'oidc', appId, origin, cookie });
    const confirm = await b.follow(`${idp.issuer}/session/end`);
    await b.submit(confirm, { logout: 'yes' });
    expect(idp.backchannelErrors()).toEqual([]);
    expect((await httpRequest(site, site.ports.proxy, '/oidc/qrs/stream', { headers: { Cookie: cookie } })).status).toBe(401);
    await closed;
    expect(methods).toContain('OnSessionLoggedOut');
  });
});
