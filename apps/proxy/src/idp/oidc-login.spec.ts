import { randomBytes } from 'node:crypto';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { startDoors, type Doors } from '../pipeline/test-support/door-fixture';
import { newSigningKey, publicJwk, startTestIdp, TestBrowser, type Page, type TestIdp } from '@trustzone/site-harness';

// OIDC virtual proxy against a real OpenID Provider (node-oidc-provider) in this process: the
// proxy's client-facing door on real TLS, the provider on loopback http, a browser that follows
// redirects and submits the provider's login and consent forms.
const HOST = 'tz.test';
const PROXY = `https://${HOST}`;
const CLIENT = { clientId: 'trustzone', clientSecret: randomBytes(24).toString('base64url') };
let idp: TestIdp;
let doors: Doors;
const backchannelPosts: string[] = [];
const K1 = newSigningKey('k1');

const USERS = {
  alice: { password: 'alice-pw', name: 'Alice Liddell', email: 'alice@corp.example', groups: ['Sales', 'Finance'] },
  bob: { password: 'bob-pw', name: 'Bob Builder', email: 'bob@corp.example', groups: [] as string[] },
};

beforeAll(async () => {
  idp = await startTestIdp({
    ...CLIENT, redirectUris: [`${PROXY}/oidc/oidcauthn/`], postLogoutRedirectUris: [`${PROXY}/oidc/oidcauthn/loggedout`],
    backchannelLogoutUri: `${PROXY}/oidc/oidcauthn/backchannel-logout`,
    // The proxy door listens on a loopback port under the name tz.test: the provider's back-channel
    // POST is handed to that door as is (same path, same form body), and its answer returned.
    fetch: async (url, init) => {
      const u = new URL(url);
      backchannelPosts.push(String(init.body));
      const a = await doors.client(`${u.pathname}${u.search}`, { Host: u.host, 'Content-Type': 'application/x-www-form-urlencoded' }, String(init.method), String(init.body));
      return new Response(a.status === 204 ? null : a.text, { status: a.status });
    },
  }, [K1]);
  for (const [id, u] of Object.entries(USERS)) idp.users.set(id, u);
  doors = await startDoors({
    virtualProxies: [
      {},
      {
        prefix: 'oidc',
        authenticationMethod: 'oidc',
        oidcConfigurationEndpointUri: idp.discoveryUrl,
        oidcClientId: CLIENT.clientId,
        oidcClientSecret: CLIENT.clientSecret,
        oidcScope: 'openid profile email groups',
        oidcRealm: 'CORP',
        websocketCrossOriginWhiteList: [HOST],
      },
    ],
  });
}, 60_000);

afterAll(async () => {
  await doors?.close();
  await idp?.close();
});

afterEach(() => {
  vi.useRealTimers();
});

const browser = () => new TestBrowser(HOST, (path, headers, method) => doors.client(path, headers, method));
const isProxy = (url: string) => new URL(url).host === HOST;

/** From a page at the provider: sign in, consent if asked, and stop when the provider sends the browser back to the proxy. */
async function signIn(b: TestBrowser, atIdp: Page, user: string, password: string): Promise<Page> {
  let page = await b.submit(atIdp, { login: user, password }, 0, isProxy);
  if (!page.location && /Allow/.test(page.text)) page = await b.submit(page, {}, 0, isProxy);
  return page;
}

async function login(b: TestBrowser, start: string, user: string, password: string): Promise<Page> {
  const atIdp = await b.follow(`${PROXY}${start}`);
  expect(atIdp.url.startsWith(idp.issuer)).toBe(true);
  const back = await signIn(b, atIdp, user, password);
  expect(back.location?.startsWith(`${PROXY}/oidc/oidcauthn/?`)).toBe(true);
  return b.follow(back.location as string);
}

const sessionOf = async (b: TestBrowser) => {
  const id = b.cookies.get(HOST)?.get('X-Qlik-Session-oidc');
  return id ? doors.deps.sessions.get(id) : null;
};

describe('OIDC login against node-oidc-provider', () => {
  it('a browser landing on the hub is sent to the provider (code + PKCE S256 + state + nonce), signs in with a form, consents, and comes back to the hub with a session whose attributes come from the claims', async () => {
    const b = browser();
    const first = await b.request(`${PROXY}/oidc/hub/`);
    expect(first.status).toBe(302);
    const auth = new URL(first.location as string);
    expect(auth.origin).toBe(idp.issuer);
    expect(auth.searchParams.get('response_type')).toBe('code');
    expect(auth.searchParams.get('code_challenge_method')).toBe('S256');
    expect(auth.searchParams.get('redirect_uri')).toBe(`${PROXY}/oidc/oidcauthn/`);
    for (const p of ['state', 'nonce', 'code_challenge']) expect(auth.searchParams.get(p)?.length ?? 0).toBeGreaterThanOrEqual(22);

    const landed = await login(b, '/oidc/hub/', 'alice', USERS.alice.password);
    expect(landed.url).toBe(`${PROXY}/oidc/hub/`);
    expect(landed.status).toBe(200);
    expect(landed.json).toMatchObject({ user: 'CORP\\alice', anonymous: false });
    const session = await sessionOf(b);
    expect(session?.attributes).toEqual({ name: [USERS.alice.name], email: [USERS.alice.email], group: USERS.alice.groups });
    expect(doors.records.some((r) => r.action === 'session.start' && r.user === 'CORP\\alice' && (r.details as { via?: string }).via === 'oidc')).toBe(true);
  });

  it('a wrong password stays at the provider: no code reaches the proxy, no session', async () => {
    const b = browser();
    const atIdp = await b.follow(`${PROXY}/oidc/hub/`);
    const again = await b.submit(atIdp, { login: 'alice', password: 'wrong' }, 0, isProxy);
    expect(again.text).toMatch(/Wrong user or password/);
    expect(b.visited.some((u) => u.startsWith(`${PROXY}/oidc/oidcauthn/`))).toBe(false);
    expect(await sessionOf(b)).toBeNull();
  });

  it('an API call without a session gets 401, not a redirect', async () => {
    const r = await doors.client('/oidc/qrs/about?xrfkey=0123456789abcdef', { Host: HOST, 'X-Qlik-Xrfkey': '0123456789abcdef', Accept: 'application/json' });
    expect(r.status).toBe(401);
  });

  it('userinfo is asked only when the ID token lacks a mapped claim', async () => {
    const before = idp.userinfoFetches();
    await login(browser(), '/oidc/hub/', 'alice', USERS.alice.password);
    expect(idp.userinfoFetches()).toBe(before + 1);
    idp.setClaimsInIdToken(true);
    try {
      const b = browser();
      await login(b, '/oidc/hub/', 'alice', USERS.alice.password);
      expect(idp.userinfoFetches()).toBe(before + 1);
      expect((await sessionOf(b))?.attributes).toEqual({ name: [USERS.alice.name], email: [USERS.alice.email], group: USERS.alice.groups });
    } finally {
      idp.setClaimsInIdToken(false);
    }
  });

  it('a user without groups gets no group attribute', async () => {
    const b = browser();
    await login(b, '/oidc/hub/', 'bob', USERS.bob.password);
    expect((await sessionOf(b))?.attributes).toEqual({ name: [USERS.bob.name], email: [USERS.bob.email] });
  });

  it('after login the browser goes back to the same-origin page it asked for (explicit returnTo)', async () => {
    const b = browser();
    const landed = await login(b, `/oidc/oidcauthn/login?returnTo=${encodeURIComponent('/oidc/hub/?tab=2')}`, 'alice', USERS.alice.password);
    expect(landed.url).toBe(`${PROXY}/oidc/hub/?tab=2`);
  });
});

describe('OIDC refusals', () => {
  /** A browser that has signed in at the provider and holds the callback URL, not yet delivered. */
  async function codeInHand(user = 'alice'): Promise<{ b: TestBrowser; callback: string }> {
    const b = browser();
    const atIdp = await b.follow(`${PROXY}/oidc/hub/`);
    const back = await signIn(b, atIdp, user, USERS[user as keyof typeof USERS].password);
    return { b, callback: back.location as string };
  }

  it('a callback is good once: the same code and state again is 401', async () => {
    const { b, callback } = await codeInHand();
    expect((await b.request(callback)).status).toBe(303);
    const replay = await b.request(callback);
    expect(replay.status).toBe(401);
    expect((replay.json as { error: { code: string } }).error.code).toBe('EDGE_IDP_LOGIN_FAILED');
  });

  it('a callback delivered to another browser (no login cookie of its own: login CSRF) is 401', async () => {
    const { callback } = await codeInHand();
    const victim = browser();
    const r = await victim.request(callback);
    expect(r.status).toBe(401);
    expect(await sessionOf(victim)).toBeNull();
  });

  it("a code injected into another login (the attacker's code with the victim's state) is refused by PKCE at the token endpoint", async () => {
    const attacker = await codeInHand('bob');
    const victim = browser();
    const atIdp = await victim.follow(`${PROXY}/oidc/hub/`);
    const victimState = new URL(victim.visited.find((u) => u.startsWith(idp.issuer)) as string).searchParams.get('state') as string;
    expect(atIdp.url.startsWith(idp.issuer)).toBe(true);
    const injected = new URL(attacker.callback);
    injected.searchParams.set('state', victimState);
    const r = await victim.request(injected.href);
    expect(r.status).toBe(401);
    expect(await sessionOf(victim)).toBeNull();
  });

  it('a forged or missing state, or an error answer from the provider, is 401 and audited as a failed login', async () => {
    const cases = ['?code=abc&state=forged', '?code=abc', '?error=access_denied&state=x'];
    for (const q of cases) {
      expect((await browser().request(`${PROXY}/oidc/oidcauthn/${q}`)).status, q).toBe(401);
    }
    await doors.deps.aggregate.flush();
    const failures = doors.records.filter((r) => r.action === 'auth.login' && r.outcome === 'failure' && String(r.reason).startsWith('oidc:'));
    expect(failures.reduce((n, r) => n + Number((r.details as { count?: number }).count ?? 1), 0)).toBeGreaterThanOrEqual(cases.length);
  });
});

describe('OIDC provider keys', () => {
  const hubAs = async (user: keyof typeof USERS) => {
    const b = browser();
    const atIdp = await b.follow(`${PROXY}/oidc/hub/`);
    const back = await signIn(b, atIdp, user, USERS[user].password);
    return b.request(back.location as string);
  };
  const later = (seconds: number) => vi.setSystemTime(Date.now() + seconds * 1000);

  it('rotation: a second key published, then signing with it, then the old one removed: logins go on; a token still signed with the removed key is refused once the JWKS is re-read', async () => {
    vi.useFakeTimers({ toFake: ['Date'], shouldAdvanceTime: true });
    const k2 = newSigningKey('k2');
    idp.setKeys([K1, k2]); // published ahead, k1 still signs
    expect((await hubAs('alice')).status).toBe(303);
    later(301); // past the JWKS cache lifetime (five minutes)
    idp.setKeys([k2, K1]); // k2 signs now
    expect((await hubAs('alice')).status).toBe(303);
    idp.setKeys([k2]); // old key removed
    expect((await hubAs('bob')).status).toBe(303);
    // Someone still holding k1 signs with it while the published JWKS has only k2.
    later(301);
    const fetches = idp.jwksFetches();
    idp.setKeys([K1], [k2]);
    const refused = await hubAs('alice');
    expect(refused.status).toBe(401);
    expect(idp.jwksFetches()).toBeGreaterThan(fetches);
    idp.setKeys([k2]);
    expect((await hubAs('alice')).status).toBe(303);
  });

  it('a key the JWKS never had is refused even right after a fetch (no key, no login)', async () => {
    const stranger = newSigningKey('stranger');
    const current = newSigningKey('k3');
    vi.useFakeTimers({ toFake: ['Date'], shouldAdvanceTime: true });
    later(700);
    idp.setKeys([current]);
    expect((await hubAs('bob')).status).toBe(303);
    idp.setKeys([stranger], [current]);
    expect((await hubAs('bob')).status).toBe(401);
    idp.setKeys([current]);
    expect(publicJwk(current)).not.toHaveProperty('d');
  });
});

describe('OIDC logout', () => {
  it('POST /oidcauthn/logout from this origin ends the session here and at the provider (RP-initiated logout with id_token_hint); the next visit asks for the password again', async () => {
    const b = browser();
    await login(b, '/oidc/hub/', 'alice', USERS.alice.password);
    const session = await sessionOf(b);
    expect(session).not.toBeNull();

    const forged = await b.request(`${PROXY}/oidc/oidcauthn/logout`, 'POST', undefined, { Origin: 'https://evil.example' });
    expect(forged.status).toBe(403);
    expect(await doors.deps.sessions.get(session!.id)).not.toBeNull();

    const out = await b.request(`${PROXY}/oidc/oidcauthn/logout`, 'POST', undefined, { Origin: PROXY });
    expect(out.status).toBe(303);
    const endSession = new URL(out.location as string);
    expect(endSession.origin).toBe(idp.issuer);
    expect(endSession.searchParams.get('id_token_hint')).toBeTruthy();
    expect(endSession.searchParams.get('post_logout_redirect_uri')).toBe(`${PROXY}/oidc/oidcauthn/loggedout`);
    expect(await doors.deps.sessions.get(session!.id)).toBeNull();
    expect(doors.records.some((r) => r.action === 'session.end' && r.user === 'CORP\\alice')).toBe(true);

    const confirm = await b.follow(out.location as string);
    const done = await b.submit(confirm, { logout: 'yes' });
    expect(done.url).toBe(`${PROXY}/oidc/oidcauthn/loggedout`);
    expect(done.status).toBe(200);

    const again = await b.follow(`${PROXY}/oidc/hub/`);
    expect(again.url.startsWith(idp.issuer)).toBe(true);
    expect(again.text).toMatch(/type="password"/);
  });
});

describe('provider-initiated logout', () => {
  it('back-channel: the provider, ending its session (its own logout form), POSTs a signed logout_token and the proxy ends exactly the sessions of that provider session', async () => {
    const b1 = browser();
    const b2 = browser();
    await login(b1, '/oidc/hub/', 'alice', USERS.alice.password);
    await login(b2, '/oidc/hub/', 'alice', USERS.alice.password);
    const s1 = await sessionOf(b1);
    const s2 = await sessionOf(b2);
    expect(s1 && s2).toBeTruthy();
    const sid1 = doors.deps.idp.logoutHints.get(s1!.id)?.sid;
    expect(sid1).toMatch(/./);
    expect(doors.deps.idp.logoutHints.get(s2!.id)?.sid).not.toBe(sid1);
    const posts = backchannelPosts.length;
    // Logout at the provider, not at the proxy: the proxy learns of it only by the back channel.
    const confirm = await b1.follow(`${idp.issuer}/session/end`);
    expect(confirm.text).toMatch(/op\.logoutForm/);
    await b1.submit(confirm, { logout: 'yes' }, 0, isProxy);
    expect(backchannelPosts.length).toBe(posts + 1);
    expect(new URLSearchParams(backchannelPosts.at(-1)).get('logout_token')).toMatch(/^[\w-]+\.[\w-]+\.[\w-]+$/);
    expect(idp.backchannelErrors()).toEqual([]);
    expect(await doors.deps.sessions.get(s1!.id)).toBeNull();
    expect(await doors.deps.sessions.get(s2!.id)).not.toBeNull();
    expect(doors.records.some((r) => r.action === 'session.end' && (r.details as Record<string, unknown> | undefined)?.['via'] === 'oidc-backchannel')).toBe(true);
  });

  it('front-channel: GET frontchannel-logout?iss&sid (performed here as the provider would: oidc-provider 9 no longer sends it) ends the sessions of that sid only when iss is the provider; the answer is frame-able by the provider only and not cached', async () => {
    const b = browser();
    await login(b, '/oidc/hub/', 'bob', USERS.bob.password);
    const s = await sessionOf(b);
    const sid = doors.deps.idp.logoutHints.get(s!.id)?.sid as string;
    expect(sid).toMatch(/./);
    const wrong = await doors.client(`/oidc/oidcauthn/frontchannel-logout?iss=${encodeURIComponent('http://127.0.0.1:1')}&sid=${encodeURIComponent(sid)}`, { Host: HOST });
    expect(wrong.status).toBe(400);
    expect(await doors.deps.sessions.get(s!.id)).not.toBeNull();
    const noSid = await doors.client(`/oidc/oidcauthn/frontchannel-logout?iss=${encodeURIComponent(idp.issuer)}`, { Host: HOST });
    expect(noSid.status).toBe(400);
    expect(await doors.deps.sessions.get(s!.id)).not.toBeNull();
    const ok = await doors.client(`/oidc/oidcauthn/frontchannel-logout?iss=${encodeURIComponent(idp.issuer)}&sid=${encodeURIComponent(sid)}`, { Host: HOST });
    expect(ok.status).toBe(200);
    expect(ok.headers['cache-control']).toBe('no-store');
    expect(ok.headers['x-frame-options']).toBeUndefined();
    expect(String(ok.headers['content-security-policy'])).toContain(`frame-ancestors ${idp.issuer}`);
    expect(ok.headers['location']).toBeUndefined();
    expect(await doors.deps.sessions.get(s!.id)).toBeNull();
  });
});
