import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { startDoors, type Doors } from '../pipeline/test-support/door-fixture';
import { createTestCertificate } from '@trustzone/testing';
import { startSamlTestIdp, TestBrowser, type Page, type ResponseTweaks, type SamlTestIdp } from '@trustzone/site-harness';

// SAML virtual proxy against a real SAML IdP (samlify's IdP side) in this process: the proxy's
// client-facing door on real TLS, the IdP on loopback http with its own login form, a browser that
// follows redirects and submits the IdP's forms (the login form, then the auto-post to our ACS).
const HOST = 'tz.test';
const PROXY = `https://${HOST}`;
const ACS = `${PROXY}/saml/samlauthn/`;
let idp: SamlTestIdp;
let doors: Doors;

const USERS = {
  alice: { password: 'alice-pw', email: 'alice@corp.example', groups: ['Sales', 'Finance'] },
  bob: { password: 'bob-pw', email: 'bob@corp.example', groups: [] as string[] },
};

beforeAll(async () => {
  idp = await startSamlTestIdp(createTestCertificate({ commonName: 'saml-test-idp' }));
  for (const [id, u] of Object.entries(USERS)) idp.users.set(id, u);
  doors = await startDoors({
    virtualProxies: [
      {},
      {
        prefix: 'saml',
        authenticationMethod: 'saml',
        samlMetadataIDP: idp.metadataXml,
        samlHostUri: PROXY,
        samlEntityId: 'urn:trustzone:test-sp',
        samlAttributeUserId: 'uid',
        samlAttributeUserDirectory: '[CORP]',
        samlAttributeMap: { mail: 'email', groups: 'group' },
        websocketCrossOriginWhiteList: [HOST],
      },
      {
        prefix: 'samlint',
        authenticationMethod: 'saml',
        samlMetadataIDP: idp.metadataXml,
        samlHostUri: PROXY,
        samlEntityId: 'urn:trustzone:test-sp-internal',
        samlAttributeUserId: 'uid',
        samlAttributeUserDirectory: '[internal]',
        websocketCrossOriginWhiteList: [HOST],
      },
    ],
  });
  const md = await doors.client('/saml/saml/metadata', { Host: HOST });
  expect(md.status).toBe(200);
  idp.trust(md.text);
}, 60_000);

afterAll(async () => {
  await doors?.close();
  await idp?.close();
});

const browser = () => new TestBrowser(HOST, (path, headers, method, body) => doors.client(path, headers, method, body));
const isProxy = (url: string) => new URL(url).host === HOST;
const sessionOf = async (b: TestBrowser) => {
  const id = b.cookies.get(HOST)?.get('X-Qlik-Session-saml');
  return id ? doors.deps.sessions.get(id) : null;
};

/** Lands on `start`, signs in at the IdP, and stops at the IdP's auto-post page (not yet submitted). */
async function toAutoPost(b: TestBrowser, start: string, user: string, password: string): Promise<Page> {
  const atIdp = await b.follow(`${PROXY}${start}`);
  expect(atIdp.url.startsWith(idp.ssoUrl)).toBe(true);
  const post = await b.submit(atIdp, { login: user, password }, 0, isProxy);
  expect(post.text).toContain(`action="${ACS}"`);
  return post;
}

async function login(b: TestBrowser, start: string, user: string, tweaks: ResponseTweaks = {}): Promise<Page> {
  Object.assign(idp.next, { audience: undefined, recipient: undefined, lifetimeSeconds: undefined, unsigned: undefined, responseSignedOnly: undefined, assertionId: undefined }, tweaks);
  try {
    const post = await toAutoPost(b, start, user, USERS[user as keyof typeof USERS].password);
    return await b.submit(post);
  } finally {
    Object.assign(idp.next, { audience: undefined, recipient: undefined, lifetimeSeconds: undefined, unsigned: undefined, responseSignedOnly: undefined, assertionId: undefined });
  }
}

describe('SAML login against samlify IdP', () => {
  it('serves SP metadata at /<prefix>/saml/metadata naming the entity id, the ACS and that assertions must be signed', async () => {
    const md = await doors.client('/saml/saml/metadata', { Host: HOST });
    expect(md.headers['content-type']).toMatch(/^application\/samlmetadata\+xml/);
    expect(md.text).toContain('entityID="urn:trustzone:test-sp"');
    expect(md.text).toContain(`Location="${ACS}"`);
    expect(md.text).toContain('WantAssertionsSigned="true"');
  });

  it('a browser landing on the hub is sent to the IdP, signs in, posts the signed response back and lands on the hub with a session whose attributes come from the assertion', async () => {
    const b = browser();
    const first = await b.request(`${PROXY}/saml/hub/`);
    expect(first.status).toBe(302);
    const to = new URL(first.location as string);
    expect(`${to.origin}${to.pathname}`).toBe(idp.ssoUrl);
    expect(to.searchParams.get('SAMLRequest')).toBeTruthy();
    expect(to.searchParams.get('RelayState')?.length ?? 0).toBeGreaterThanOrEqual(32);
    const landed = await login(b, '/saml/hub/', 'alice');
    expect(landed.url).toBe(`${PROXY}/saml/hub/`);
    expect(landed.status).toBe(200);
    expect(landed.json).toMatchObject({ user: 'CORP\\alice', anonymous: false });
    const session = await sessionOf(b);
    expect(session?.attributes).toEqual({ email: [USERS.alice.email], group: USERS.alice.groups });
    expect(doors.records.some((r) => r.action === 'session.start' && r.user === 'CORP\\alice' && (r.details as { via?: string }).via === 'saml')).toBe(true);
  });

  it('comes back to the protected URL it asked for (same origin), and an explicit off-site returnTo is refused', async () => {
    const b = browser();
    const landed = await login(b, '/saml/hub/?x=1', 'bob');
    expect(landed.url).toBe(`${PROXY}/saml/hub/?x=1`);
    const evil = await browser().request(`${PROXY}/saml/samlauthn/login?returnTo=${encodeURIComponent('https://evil.example/saml/hub/')}`);
    expect(evil.status).toBe(400);
  });

  /** The refusal reason the proxy noted for the last failed login. */
  const reasons = () => {
    const note = vi.spyOn(doors.deps.aggregate, 'note');
    return { last: () => String(note.mock.calls.at(-1)?.[0].reason), restore: () => note.mockRestore() };
  };

  const refused = async (tweaks: ResponseTweaks, why: RegExp) => {
    const r = reasons();
    try {
      const b = browser();
      const page = await login(b, '/saml/hub/', 'alice', tweaks);
      expect(page.status).toBe(401);
      expect(await sessionOf(b)).toBeNull();
      expect(r.last()).toMatch(why);
    } finally {
      r.restore();
    }
  };

  it('an unsigned response is refused', async () => {
    await refused({ unsigned: true }, /not signed/);
  });

  it('an unsigned assertion inside a signed response is refused (signed assertions are required)', async () => {
    await refused({ responseSignedOnly: true }, /signature/i);
  });

  it('an assertion for another audience is refused', async () => {
    await refused({ audience: 'urn:someone-else' }, /audience/i);
  });

  it('an assertion for another recipient is refused', async () => {
    await refused({ recipient: 'https://other.example/saml/samlauthn/' }, /Recipient/);
  });

  it('an expired assertion is refused', async () => {
    await refused({ lifetimeSeconds: -120 }, /subject confirmation|expired|NotOnOrAfter/i);
  });

  it('a response posted a second time (replay) is refused, even with a fresh login in the same browser', async () => {
    const b = browser();
    const post = await toAutoPost(b, '/saml/hub/', 'alice', USERS.alice.password);
    expect((await b.submit(post)).status).toBe(200);
    const r = reasons();
    try {
      const again = await b.submit(post);
      expect(again.status).toBe(401);
      expect(r.last()).toMatch(/RelayState unknown/);
    } finally {
      r.restore();
    }
  });

  it('an assertion id seen before is refused even inside a new, valid response', async () => {
    const id = `_replay${Date.now()}`;
    const b1 = browser();
    expect((await login(b1, '/saml/hub/', 'alice', { assertionId: id })).status).toBe(200);
    const r = reasons();
    try {
      const b2 = browser();
      const page = await login(b2, '/saml/hub/', 'alice', { assertionId: id });
      expect(page.status).toBe(401);
      expect(await sessionOf(b2)).toBeNull();
      expect(r.last()).toMatch(/replayed/);
    } finally {
      r.restore();
    }
  });

  it('XML signature wrapping and a DOCTYPE are refused, each for its own reason', async () => {
    const bent = async (bend: (xml: string) => string, why: RegExp) => {
      const r = reasons();
      try {
        const b = browser();
        const first = new URL((await b.request(`${PROXY}/saml/hub/`)).location as string);
        const { inflateRawSync } = await import('node:zlib');
        const requestId = /\bID="([^"]+)"/.exec(inflateRawSync(Buffer.from(first.searchParams.get('SAMLRequest') ?? '', 'base64')).toString('utf8'))?.[1] as string;
        const xml = bend(Buffer.from(await idp.respond(requestId, 'bob'), 'base64').toString('utf8'));
        const form = new URLSearchParams({ SAMLResponse: Buffer.from(xml).toString('base64'), RelayState: first.searchParams.get('RelayState') ?? '' });
        const page = await b.request(ACS, 'POST', form);
        expect(page.status).toBe(401);
        expect(await sessionOf(b)).toBeNull();
        expect(r.last()).toMatch(why);
      } finally {
        r.restore();
      }
    };
    const parts = (xml: string) => {
      const signed = /<saml:Assertion\b[\s\S]*<\/saml:Assertion>/.exec(xml)?.[0] as string;
      return { signed, evil: signed.replace(/<ds:Signature\b[\s\S]*?<\/ds:Signature>/, '').replace(/ID="[^"]+"/, 'ID="_evil"').replaceAll('>bob<', '>alice<') };
    };
    await bent((xml) => {
      const { signed, evil } = parts(xml);
      return xml.replace(signed, `${evil}${signed}`);
    }, /assertion|signature/i);
    await bent((xml) => {
      const { signed, evil } = parts(xml);
      return xml.replace(signed, evil).replace(/(<samlp:Response\b[^>]*>\s*<saml:Issuer>[^<]*<\/saml:Issuer>)/, `$1<samlp:Extensions>${signed}</samlp:Extensions>`);
    }, /assertion|signature/i);
    await bent((xml) => `<?xml version="1.0"?><!DOCTYPE r [<!ENTITY x SYSTEM "file:///etc/passwd">]>${xml}`, /DOCTYPE/);
  });

  it('a setting or IdP naming the INTERNAL directory logs nobody in (service accounts are not for logins)', async () => {
    const ours = (await doors.client('/saml/saml/metadata', { Host: HOST })).text;
    idp.trust((await doors.client('/samlint/saml/metadata', { Host: HOST })).text);
    const r = reasons();
    try {
      const b = browser();
      const atIdp = await b.follow(`${PROXY}/samlint/hub/`);
      const post = await b.submit(atIdp, { login: 'alice', password: USERS.alice.password }, 0, isProxy);
      const page = await b.submit(post);
      expect(page.status).toBe(401);
      expect(b.cookies.get(HOST)?.get('X-Qlik-Session-samlint')).toBeUndefined();
      expect(r.last()).toMatch(/INTERNAL directory is reserved/);
    } finally {
      r.restore();
      idp.trust(ours);
    }
  });

  it('logout ends the session here and sends a LogoutRequest naming the user to the IdP', async () => {
    const b = browser();
    await login(b, '/saml/hub/', 'alice');
    const session = await sessionOf(b);
    expect(session).not.toBeNull();
    const out = await b.request(`${PROXY}/saml/samlauthn/logout`, 'POST', undefined, { Origin: PROXY });
    expect(out.status).toBe(303);
    expect(out.location?.startsWith(`${idp.ssoUrl.replace('/sso', '/slo')}?SAMLRequest=`)).toBe(true);
    expect(await doors.deps.sessions.get(session?.id as string)).toBeNull();
    await b.follow(out.location as string);
    expect(idp.logoutRequests.at(-1)).toMatch(/<saml:NameID[^>]*>alice<\/saml:NameID>/);
  });

  describe('IdP-initiated single logout (LogoutRequest by HTTP-POST to the SP metadata SingleLogoutService)', () => {
    const SLO = `${PROXY}/saml/samlauthn/loggedout`;
    const idOf = async (b: TestBrowser) => (await sessionOf(b))?.id as string;
    const deliver = (req: { action: string; form: URLSearchParams }) => browser().request(req.action, 'POST', req.form);
    const loggedIn = async (user: string) => {
      const b = browser();
      expect((await login(b, '/saml/hub/', user)).status).toBe(200);
      return { b, id: await idOf(b) };
    };

    it('the SP metadata announces the SingleLogoutService this endpoint serves, for the HTTP-POST binding', async () => {
      const md = (await doors.client('/saml/saml/metadata', { Host: HOST })).text;
      expect(md).toMatch(new RegExp(`<SingleLogoutService Binding="urn:oasis:names:tc:SAML:2.0:bindings:HTTP-POST" Location="${SLO}"`));
    });

    it('a signed LogoutRequest from the IdP for a real login ends that session (audited) and answers a LogoutResponse to the IdP; other sessions stay', async () => {
      const alice = await loggedIn('alice');
      const bob = await loggedIn('bob');
      const req = await idp.logoutRequest('alice', {}, 'rs-1');
      expect(req.action).toBe(SLO);
      const page = await deliver(req);
      expect(page.status).toBe(303);
      const to = new URL(page.location as string);
      expect(`${to.origin}${to.pathname}`).toBe(idp.ssoUrl.replace('/sso', '/slo'));
      expect(to.searchParams.get('RelayState')).toBe('rs-1');
      expect(await doors.deps.sessions.get(alice.id)).toBeNull();
      expect(await doors.deps.sessions.get(bob.id)).not.toBeNull();
      expect(doors.records.some((r) => r.action === 'session.end' && r.user === 'CORP\\alice' && (r.details as { via?: string }).via === 'saml-idp-logout')).toBe(true);
      await browser().follow(page.location as string);
      const answer = idp.logoutResponses.at(-1) as string;
      expect(answer).toContain(`InResponseTo="${req.id}"`);
      expect(answer).toContain('urn:oasis:names:tc:SAML:2.0:status:Success');
      expect(answer).toMatch(new RegExp(`<saml:Issuer>urn:trustzone:test-sp</saml:Issuer>`));
    });

    it('with a SessionIndex it ends only the session of that login; without one, every session of the NameID', async () => {
      const first = await loggedIn('alice');
      const firstIndex = idp.sessionIndexes.get('alice') as string;
      const second = await loggedIn('alice');
      expect((await deliver(await idp.logoutRequest('alice', { sessionIndex: firstIndex }))).status).toBe(303);
      expect(await doors.deps.sessions.get(first.id)).toBeNull();
      expect(await doors.deps.sessions.get(second.id)).not.toBeNull();
      const third = await loggedIn('alice');
      expect((await deliver(await idp.logoutRequest('alice', { sessionIndex: null }))).status).toBe(303);
      expect(await doors.deps.sessions.get(second.id)).toBeNull();
      expect(await doors.deps.sessions.get(third.id)).toBeNull();
    });

    const refusedLogout = async (make: () => Promise<{ action: string; form: URLSearchParams }>, why: RegExp) => {
      const alice = await loggedIn('alice');
      const r = reasons();
      const answers = idp.logoutResponses.length;
      try {
        const page = await deliver(await make());
        expect(page.status).toBe(400);
        expect(page.location).toBeUndefined();
        expect(r.last()).toMatch(why);
      } finally {
        r.restore();
      }
      expect(await doors.deps.sessions.get(alice.id)).not.toBeNull();
      expect(idp.logoutResponses.length).toBe(answers);
    };

    it('an unsigned LogoutRequest ends nothing', async () => {
      await refusedLogout(() => idp.logoutRequest('alice', { unsigned: true }), /not signed/);
    });

    it('a LogoutRequest signed by another key ends nothing', async () => {
      const other = createTestCertificate({ commonName: 'saml-test-idp' });
      await refusedLogout(() => idp.logoutRequest('alice', { signWith: other }), /signature/i);
    });

    it('an expired LogoutRequest (NotOnOrAfter passed) ends nothing', async () => {
      await refusedLogout(() => idp.logoutRequest('alice', { lifetimeSeconds: -60 }), /NotOnOrAfter|expired/i);
    });

    it('a LogoutRequest for another Destination ends nothing', async () => {
      await refusedLogout(() => idp.logoutRequest('alice', { destination: 'https://other.example/saml/samlauthn/loggedout' }), /Destination/);
    });

    it('a LogoutRequest with a DOCTYPE ends nothing', async () => {
      await refusedLogout(async () => {
        const req = await idp.logoutRequest('alice');
        const xml = Buffer.from(req.form.get('SAMLRequest') as string, 'base64').toString('utf8');
        req.form.set('SAMLRequest', Buffer.from(`<!DOCTYPE r [<!ENTITY x SYSTEM "file:///etc/passwd">]>${xml}`).toString('base64'));
        return req;
      }, /DOCTYPE/);
    });

    it('a LogoutRequest posted a second time (replayed ID) ends nothing, even a session made since', async () => {
      const req = await idp.logoutRequest('alice', { sessionIndex: null });
      expect((await deliver(req)).status).toBe(303);
      await refusedLogout(async () => req, /replayed/);
    });

    it('a LogoutRequest by the redirect binding is refused (only HTTP-POST is announced)', async () => {
      const alice = await loggedIn('alice');
      const req = await idp.logoutRequest('alice');
      const page = await browser().request(`${SLO}?${req.form.toString()}`);
      expect(page.status).toBe(400);
      expect(await doors.deps.sessions.get(alice.id)).not.toBeNull();
    });

    it('a valid LogoutRequest for another NameID ends none of this user’s sessions', async () => {
      const alice = await loggedIn('alice');
      const page = await deliver(await idp.logoutRequest('mallory', { sessionIndex: null }));
      expect(page.status).toBe(303);
      expect(await doors.deps.sessions.get(alice.id)).not.toBeNull();
    });
  });
});
