import { randomBytes } from 'node:crypto';
import { readFileSync, readdirSync } from 'node:fs';
import { request as httpsRequest } from 'node:https';
import { join } from 'node:path';
import Sqlite from 'better-sqlite3';
import { decodeJwt } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { httpRequest, newSigningKey, startTestIdp, TestBrowser, type Page, type TestIdp } from '@trustzone/site-harness';
import { ADMIN, ok, startAttackSite, type AttackSite } from '../test-support/attack-site';

// Issue 19: OpenID Connect virtual proxies, attacked on a running site with node-oidc-provider as
// the identity provider. Each refusal here is a row of docs/threat-model.md (S, T, I).
let a: AttackSite;
let idp: TestIdp;
let origin: string;
let host: string;
const SECRET = randomBytes(24).toString('base64url');
const PASSWORD = randomBytes(9).toString('base64url');
const K1 = newSigningKey('k1');
const capturedLogoutTokens: string[] = [];

beforeAll(async () => {
  a = await startAttackSite();
  host = `localhost:${a.site.ports.proxy}`;
  origin = `https://${host}`;
  idp = await startTestIdp({
    clientId: 'trustzone', clientSecret: SECRET, redirectUris: [`${origin}/sso/oidcauthn/`, `${origin}/ssoint/oidcauthn/`], postLogoutRedirectUris: [`${origin}/sso/oidcauthn/loggedout`],
    // The provider's back-channel logout tokens are kept here, not delivered: the tests below read
    // the provider session id (`sid`) of a login from them and decide themselves what reaches the proxy.
    backchannelLogoutUri: `${origin}/sso/oidcauthn/backchannel-logout`,
    fetch: (_url, init) => {
      capturedLogoutTokens.push(new URLSearchParams(String(init.body)).get('logout_token') ?? '');
      return Promise.resolve(new Response(null, { status: 204 }));
    },
  }, [K1]);
  for (const u of ['alice', 'mallory', 'sa_api']) idp.users.set(u, { password: PASSWORD, name: u, email: `${u}@corp.example`, groups: ['Sales'] });
  ok(await a.as(ADMIN, 'POST', '/qrs/virtualproxyconfig', {
    prefix: 'sso', description: 'oidc', authenticationMethod: 'oidc', oidcConfigurationEndpointUri: idp.discoveryUrl, oidcClientId: 'trustzone',
    oidcClientSecret: SECRET, oidcScope: 'openid profile email groups', oidcRealm: 'CORP', websocketCrossOriginWhiteList: [host],
  }), 'create oidc virtual proxy');
  // A realm that names the service accounts' directory (a misconfiguration an attacker hopes for).
  ok(await a.as(ADMIN, 'POST', '/qrs/virtualproxyconfig', {
    prefix: 'ssoint', description: 'oidc internal', authenticationMethod: 'oidc', oidcConfigurationEndpointUri: idp.discoveryUrl, oidcClientId: 'trustzone',
    oidcClientSecret: SECRET, oidcScope: 'openid profile email groups', oidcRealm: 'INTERNAL', websocketCrossOriginWhiteList: [host],
  }), 'create internal oidc virtual proxy');
  for (let i = 0; i < 50 && ((await a.client('/sso/hub/', { xrfkey: false })).status === 404 || (await a.client('/ssoint/hub/', { xrfkey: false })).status === 404); i++) await new Promise((r) => setTimeout(r, 300));
}, 180_000);

afterAll(async () => {
  await a?.stop();
  await idp?.close();
});

const browser = () => new TestBrowser(host, (path, headers, method) => httpRequest(a.site, a.site.ports.proxy, path, { method, headers, xrfkey: false }));
const backAtProxy = (url: string) => new URL(url).host === host;

/** Signs in at the provider and stops with the provider's answer (the callback URL) in hand. */
async function callbackFor(b: TestBrowser, user = 'alice', start = '/sso/hub/'): Promise<string> {
  const atIdp = await b.follow(`${origin}${start}`);
  let page: Page = await b.submit(atIdp, { login: user, password: PASSWORD }, 0, backAtProxy);
  if (!page.location && /Allow/.test(page.text)) page = await b.submit(page, {}, 0, backAtProxy);
  const prefix = start.split('/')[1];
  if (!page.location?.startsWith(`${origin}/${prefix}/oidcauthn/?`)) throw new Error(`no callback: ${page.status} ${page.url}`);
  return page.location;
}
const hasSession = (b: TestBrowser) => /X-Qlik-Session[^=]*=./.test(b.cookieHeader(host));

describe('Spoofing › OIDC login', () => {
  it('no OIDC login becomes a service account: a realm naming INTERNAL logs nobody in as INTERNAL\\sa_api', async () => {
    const b = browser();
    const cb = await callbackFor(b, 'sa_api', '/ssoint/hub/');
    expect((await b.request(cb)).status).toBe(401);
    expect(hasSession(b)).toBe(false);
    const control = browser();
    expect((await control.request(await callbackFor(control, 'sa_api'))).status).toBe(303); // CORP\sa_api is an ordinary user
    expect(hasSession(control)).toBe(true);
  });

  it('a provider answer is good once: replaying the callback (code and state) logs nobody in', async () => {
    const b = browser();
    const cb = await callbackFor(b);
    expect((await b.request(cb)).status).toBe(303);
    const thief = browser();
    expect((await thief.request(cb)).status).toBe(401);
    expect((await b.request(cb)).status).toBe(401);
  });

  it("login CSRF: a provider answer delivered to a browser that did not start that login is refused", async () => {
    const cb = await callbackFor(browser(), 'mallory');
    const victim = browser();
    expect((await victim.request(cb)).status).toBe(401);
    expect(hasSession(victim)).toBe(false);
  });

  it("code injection: the attacker's authorization code under the victim's own state is refused (PKCE binds the code to the login that asked for it)", async () => {
    const stolen = new URL(await callbackFor(browser(), 'mallory'));
    const victim = browser();
    await victim.follow(`${origin}/sso/hub/`);
    const state = new URL(victim.visited.find((u) => u.startsWith(idp.issuer)) as string).searchParams.get('state') as string;
    stolen.searchParams.set('state', state);
    expect((await victim.request(stolen.href)).status).toBe(401);
    expect(hasSession(victim)).toBe(false);
  });

  it('an ID token signed with a key the provider does not publish is refused', async () => {
    const good = browser();
    expect((await good.request(await callbackFor(good))).status).toBe(303);
    // The provider's endpoints now sign with a key of the forger's while its JWKS still lists K1 only.
    idp.setKeys([newSigningKey('forger')], [K1]);
    try {
      const b = browser();
      expect((await b.request(await callbackFor(b))).status).toBe(401);
      expect(hasSession(b)).toBe(false);
    } finally {
      idp.setKeys([K1]);
    }
  });
});

describe('Tampering › OIDC login', () => {
  it('open redirect: a returnTo outside this virtual proxy is refused (400 naming returnTo), a same-origin one is honoured', async () => {
    for (const target of ['https://evil.example/', '//evil.example/sso/hub/', '/\\evil.example/', `https://${host}.evil.example/sso/hub/`, 'javascript:alert(1)', '/other/hub/']) {
      const r = await a.client(`/sso/oidcauthn/login?returnTo=${encodeURIComponent(target)}`, { xrfkey: false });
      expect(r.status, target).toBe(400);
      expect((r.json as { error: { field?: string } }).error.field).toBe('returnTo');
    }
    const b = browser();
    const landed = await b.follow(await callbackFor(b, 'alice', `/sso/oidcauthn/login?returnTo=${encodeURIComponent(`${origin}/sso/hub/?from=portal`)}`));
    expect(landed.url).toBe(`${origin}/sso/hub/?from=portal`);
  });

  it('a forged Host header cannot steer where the provider sends the code', async () => {
    // TLS to localhost (the certificate's name), but Host: evil.example in the request.
    const r = await new Promise<{ status: number; location: string | undefined }>((resolve, reject) => {
      const req = httpsRequest({ host: 'localhost', servername: 'localhost', port: a.site.ports.proxy, path: '/sso/hub/', ca: a.site.clientFacingCa, headers: { Host: 'evil.example', Accept: 'text/html' } }, (res) => {
        res.resume();
        resolve({ status: res.statusCode ?? 0, location: res.headers.location });
      });
      req.on('error', reject);
      req.end();
    });
    expect(r.status).toBe(400);
    expect(r.location).toBeUndefined();
  });

  it('a cross-site page cannot log a user out (POST /oidcauthn/logout from another Origin is 403)', async () => {
    const b = browser();
    await b.follow(await callbackFor(b));
    const r = await b.request(`${origin}/sso/oidcauthn/logout`, 'POST', undefined, { Origin: 'https://evil.example' });
    expect(r.status).toBe(403);
    expect((await httpRequest(a.site, a.site.ports.proxy, '/sso/qps/user', { headers: { Cookie: b.cookieHeader(host) } })).status).toBe(200);
  });
});

describe('Information disclosure › OIDC client secret', () => {
  it('the client secret is never in a /qrs answer and is sealed in the database', async () => {
    const list = await a.as(ADMIN, 'GET', '/qrs/virtualproxyconfig/full');
    expect(list.status).toBe(200);
    expect(list.text).not.toContain(SECRET);
    expect(list.text).toContain('"oidcClientSecretSet":true');
    const dbFile = join(a.site.dataDir, 'db', readdirSync(join(a.site.dataDir, 'db')).find((f) => f.endsWith('.db')) as string);
    const db = new Sqlite(dbFile, { readonly: true });
    try {
      const row = db.prepare(`SELECT "oidcClientSecret" AS s FROM "VirtualProxyConfig" WHERE "prefix" = 'sso'`).get() as { s: string };
      expect(row.s.startsWith('tzenc:v1:')).toBe(true);
      expect(row.s).not.toContain(SECRET);
    } finally {
      db.close();
    }
    expect(readFileSync(dbFile).includes(Buffer.from(SECRET))).toBe(false);
    // Nor in any answer this file received, nor in any log or audit file of the site.
    expect(a.responses.some((r) => r.body.includes(SECRET))).toBe(false);
    for (const dir of ['logs', 'audit']) {
      for (const f of readdirSync(join(a.site.dataDir, dir), { recursive: true, withFileTypes: true })) {
        if (f.isFile()) expect(readFileSync(join(f.parentPath, f.name)).includes(Buffer.from(SECRET)), `${dir}/${f.name}`).toBe(false);
      }
    }
  });
});

describe('Spoofing › OIDC provider-initiated logout', () => {
  const EVENT = 'http://schemas.openid.net/event/backchannel-logout';
  const claims = (o: Record<string, unknown> = {}) => {
    const now = Math.floor(Date.now() / 1000);
    return { iss: idp.issuer, aud: 'trustzone', iat: now, exp: now + 120, jti: randomBytes(12).toString('base64url'), events: { [EVENT]: {} }, sub: 'alice', ...o };
  };
  const post = (token: string) => httpRequest(a.site, a.site.ports.proxy, '/sso/oidcauthn/backchannel-logout', {
    method: 'POST', xrfkey: false, headers: { 'Content-Type': 'application/x-www-form-urlencoded' }, raw: new URLSearchParams({ logout_token: token }).toString(),
  });
  const alive = async (b: TestBrowser) => (await httpRequest(a.site, a.site.ports.proxy, '/sso/qps/user', { headers: { Cookie: b.cookieHeader(host) } })).status === 200;
  const loggedIn = async () => {
    const b = browser();
    await b.follow(await callbackFor(b));
    expect(await alive(b)).toBe(true);
    return b;
  };

  it('a forged logout_token (key the provider does not publish, wrong iss, wrong aud, a nonce, no events claim) is refused and ends nothing; the genuine one ends the session', async () => {
    const b = await loggedIn();
    const forged: Array<[string, Promise<string>]> = [
      ['unpublished key, same kid', idp.sign(claims(), { ...newSigningKey('k1') })],
      ['unpublished key, new kid', idp.sign(claims(), newSigningKey('forger'))],
      ['wrong iss', idp.sign(claims({ iss: 'http://evil.example' }))],
      ['wrong aud', idp.sign(claims({ aud: 'another-client' }))],
      ['with nonce', idp.sign(claims({ nonce: 'n' }))],
      ['no events', idp.sign(claims({ events: undefined }))],
      ['too old', idp.sign(claims({ iat: Math.floor(Date.now() / 1000) - 3600, exp: undefined }))],
    ];
    for (const [what, token] of forged) {
      expect((await post(await token)).status, what).toBe(400);
      expect(await alive(b), what).toBe(true);
    }
    // Control: the same request signed as the provider signs ends alice's session.
    expect((await post(await idp.sign(claims()))).status).toBe(200);
    expect(await alive(b)).toBe(false);
  });

  it('a replayed logout_token (same jti) is refused and ends nothing', async () => {
    const token = await idp.sign(claims());
    await loggedIn();
    expect((await post(token)).status).toBe(200);
    const later = await loggedIn();
    expect((await post(token)).status).toBe(400);
    expect(await alive(later)).toBe(true);
  });

  it('front-channel: a logout naming another issuer ends nothing; the provider\'s own iss with that sid ends the session', async () => {
    const b = await loggedIn();
    // The provider session id of this login, read from the logout token the provider issues when its
    // session ends (captured above, not delivered).
    const before = capturedLogoutTokens.length;
    const confirm = await b.follow(`${idp.issuer}/session/end`);
    await b.submit(confirm, { logout: 'yes' }, 0, backAtProxy);
    expect(capturedLogoutTokens.length).toBe(before + 1);
    const sid = String(decodeJwt(capturedLogoutTokens.at(-1) as string)['sid']);
    expect(await alive(b)).toBe(true);
    for (const iss of ['http://evil.example', `${idp.issuer}/`, idp.issuer.replace('127.0.0.1', 'localhost')]) {
      const r = await a.client(`/sso/oidcauthn/frontchannel-logout?iss=${encodeURIComponent(iss)}&sid=${encodeURIComponent(sid)}`, { xrfkey: false });
      expect(r.status, iss).toBe(400);
      expect(await alive(b), iss).toBe(true);
    }
    const r = await a.client(`/sso/oidcauthn/frontchannel-logout?iss=${encodeURIComponent(idp.issuer)}&sid=${encodeURIComponent(sid)}`, { xrfkey: false });
    expect(r.status).toBe(200);
    expect(await alive(b)).toBe(false);
  });
});
