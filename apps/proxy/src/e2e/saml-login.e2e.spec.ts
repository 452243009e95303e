import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestCertificate } from '@trustzone/testing';
import { httpRequest, startSamlTestIdp, startSiteProcesses, TestBrowser, type RunningSite, type SamlTestIdp } from '@trustzone/site-harness';
import { watchedQixSocket } from './test-support/qix-rpc';
import { tableRowsSeenBy } from './test-support/qix-table-rows';
import { api, expectOk, portal, seedContent, waitForVirtualProxy, type Actor } from './test-support/site-fixture';

// Issue 19 acceptance, end to end: a real site (proxy, repository, engine processes; TLS, mTLS gRPC,
// SQLite), a SAML virtual proxy made through /qrs, samlify's IdP side started here as the IdP. A
// browser logs in with the IdP's form and posts its signed response back; the IdP's group
// attribute reaches a security rule (/qrs) and a section-access GROUP row (QIX over wss). Expected numbers are computed from the rows below.
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
  alice: { password: randomBytes(9).toString('base64url'), email: 'alice@corp.example', groups: ['Sales', 'Sales-East'] },
  bob: { password: randomBytes(9).toString('base64url'), email: 'bob@corp.example', groups: ['Marketing', 'Sales-West'] },
  carol: { password: randomBytes(9).toString('base64url'), email: 'carol@corp.example', groups: [] as string[] },
};
/** What section access must leave a user: the orders of the regions their groups name. */
const expectedRows = (groups: string[]) => ORDERS.filter((o) => groups.some((g) => GROUP_REGION[g] === o.region)).length;

let site: RunningSite;
let idp: SamlTestIdp;
let admin: Actor;
let appId: string;
let origin: string;

beforeAll(async () => {
  site = await startSiteProcesses();
  origin = `https://localhost:${site.ports.proxy}`;
  admin = { cert: await portal(site), as: 'CORP\\admin' };
  idp = await startSamlTestIdp(createTestCertificate({ commonName: 'saml-e2e-idp' }));
  for (const [id, u] of Object.entries(USERS)) idp.users.set(id, u);
  await seedContent(site, admin);
  expectOk(await api(site, admin, 'POST', '/qrs/virtualproxyconfig', {
    prefix: 'saml', description: 'SAML 2.0', authenticationMethod: 'saml',
    samlMetadataIDP: idp.metadataXml, samlHostUri: origin, samlEntityId: 'urn:trustzone:e2e', samlAttributeUserId: 'uid',
    samlAttributeUserDirectory: '[CORP]', samlAttributeMap: { groups: 'group', mail: 'email' }, websocketCrossOriginWhiteList: [`localhost:${site.ports.proxy}`],
  }), 'create saml virtual proxy');
  await waitForVirtualProxy(site, 'saml', () => httpRequest(site, site.ports.proxy, '/saml/qrs/about'));
  // What an IdP administrator does: trust the SP by the metadata the proxy serves.
  const md = await httpRequest(site, site.ports.proxy, '/saml/saml/metadata', { xrfkey: false });
  expect(md.status).toBe(200);
  idp.trust(md.text);

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
  const b = new TestBrowser(`localhost:${site.ports.proxy}`, (path, headers, method, body) => httpRequest(site, site.ports.proxy, path, { method, headers, xrfkey: false, ...(body === undefined ? {} : { raw: body }) }));
  const atIdp = await b.follow(`${origin}/saml/hub/`);
  expect(atIdp.url.startsWith(idp.ssoUrl)).toBe(true);
  const autoPost = await b.submit(atIdp, { login: user, password: USERS[user].password });
  expect(autoPost.text).toContain(`action="${origin}/saml/samlauthn/"`);
  const page = await b.submit(autoPost);
  expect(page.url).toBe(`${origin}/saml/hub/`);
  expect(page.json).toMatchObject({ user: `CORP\\${user}` });
  const cookie = b.cookieHeader(`localhost:${site.ports.proxy}`);
  expect(cookie).toMatch(/X-Qlik-Session[^=]*=./);
  return { b, cookie };
}

const ordersRowsSeenBy = (cookie: string) => tableRowsSeenBy(site, { prefix: 'saml', appId, origin, cookie, table: 'Orders' });

describe('SAML virtual proxy on a running site', () => {
  it.each(['alice', 'bob'] as const)('%s logs in at the IdP; /qrs answers as that user and the group attribute drives a security rule', async (user) => {
    const { cookie } = await login(user);
    const streams = await httpRequest(site, site.ports.proxy, '/saml/qrs/stream', { headers: { Cookie: cookie } });
    expect(streams.status).toBe(200);
    const names = (streams.json as { name: string }[]).map((s) => s.name);
    // seedContent's rule: the Sales stream is readable by user.environment.group = "Sales".
    expect(names.includes('Sales')).toBe(USERS[user].groups.includes('Sales'));
    expect(names).toContain('Everyone');
  });

  it.each(['alice', 'bob'] as const)('%s opens the app over wss and sees only the rows of the GROUP rows that match the group attribute', async (user) => {
    const { cookie } = await login(user);
    const rows = await ordersRowsSeenBy(cookie);
    expect(rows).toBe(expectedRows(USERS[user].groups));
    expect(rows).toBeGreaterThan(0);
  });

  it("the assertion's attributes persist onto the user (source saml), as ticket attributes do", async () => {
    await login('alice');
    const found = expectOk(await api(site, admin, 'GET', `/qrs/user?filter=${encodeURIComponent("userId eq 'alice'")}`), 'find alice') as { id: string }[];
    const user = expectOk(await api(site, admin, 'GET', `/qrs/user/${found[0]!.id}`), 'read alice') as { attributes: { attributeType: string; attributeValue: string; source: string }[] };
    const groups = user.attributes.filter((a) => a.source === 'saml' && a.attributeType === 'group').map((a) => a.attributeValue);
    expect(groups.sort()).toEqual([...USERS.alice.groups].sort());
  });

  it('a user whose assertion carries no matching group is refused the app (QIX error 5)', async () => {
    const { cookie } = await login('carol');
    expect(await ordersRowsSeenBy(cookie)).toEqual({ denied: 5 });
  });

  it('logout ends the session at the proxy and sends a LogoutRequest naming the user to the IdP', async () => {
    const { b, cookie } = await login('alice');
    const out = await b.request(`${origin}/saml/samlauthn/logout`, 'POST', undefined, { Origin: origin });
    expect(out.status).toBe(303);
    expect(out.location?.startsWith(`${idp.ssoUrl.replace(/\/sso$/, '/slo')}?SAMLRequest=`)).toBe(true);
    await b.follow(out.location as string);
    expect(idp.logoutRequests.at(-1)).toMatch(/<saml:NameID[^>]*>alice<\/saml:NameID>/);
    expect((await httpRequest(site, site.ports.proxy, '/saml/qrs/stream', { headers: { Cookie: cookie } })).status).toBe(401);
  });

  it('logout started at the IdP (a signed LogoutRequest posted to the SP metadata SingleLogoutService) ends the session; its open QIX socket is told OnSessionLoggedOut and closed', async () => {
    const { cookie } = await login('alice');
    const { methods, closed } = await watchedQixSocket(site, { prefix: 'saml', appId, origin, cookie });
    const req = await idp.logoutRequest('alice');
    expect(req.action).toBe(`${origin}/saml/samlauthn/loggedout`);
    const b = new TestBrowser(`localhost:${site.ports.proxy}`, (path, headers, method, body) => httpRequest(site, site.ports.proxy, path, { method, headers, xrfkey: false, ...(body === undefined ? {} : { raw: body }) }));
    const answer = await b.request(req.action, 'POST', req.form);
    expect(answer.status).toBe(303);
    await b.follow(answer.location as string);
    expect(idp.logoutResponses.at(-1)).toContain(`InResponseTo="${req.id}"`);
    expect((await httpRequest(site, site.ports.proxy, '/saml/qrs/stream', { headers: { Cookie: cookie } })).status).toBe(401);
    await closed;
    expect(methods).toContain('OnSessionLoggedOut');
  });
});
