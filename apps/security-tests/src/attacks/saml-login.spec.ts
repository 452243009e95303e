import { createServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { inflateRawSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestCertificate } from '@trustzone/testing';
import { httpRequest, startSamlTestIdp, TestBrowser, type Page, type ResponseTweaks, type SamlTestIdp } from '@trustzone/site-harness';
import { ADMIN, ok, startAttackSite, type AttackSite } from '../test-support/attack-site';

// Issue 19: SAML 2.0 virtual proxies, attacked on a running site with samlify's IdP side as the
// identity provider. Each refusal here is a row of docs/threat-model.md (S, T).
let a: AttackSite;
let idp: SamlTestIdp;
let origin: string;
let host: string;
const PASSWORD = 'pw-of-the-test-idp';

beforeAll(async () => {
  a = await startAttackSite();
  host = `localhost:${a.site.ports.proxy}`;
  origin = `https://${host}`;
  idp = await startSamlTestIdp(createTestCertificate({ commonName: 'saml-attack-idp' }));
  for (const u of ['alice', 'mallory']) idp.users.set(u, { password: PASSWORD, email: `${u}@corp.example`, groups: u === 'alice' ? ['Admins'] : ['Guests'] });
  ok(await a.as(ADMIN, 'POST', '/qrs/virtualproxyconfig', {
    prefix: 'saml', description: 'saml', authenticationMethod: 'saml', samlMetadataIDP: idp.metadataXml, samlHostUri: origin,
    samlEntityId: 'urn:trustzone:attack-sp', samlAttributeUserId: 'uid', samlAttributeUserDirectory: '[CORP]', samlAttributeMap: { groups: 'group' },
    websocketCrossOriginWhiteList: [host],
  }), 'create saml virtual proxy');
  let md = await a.client('/saml/saml/metadata', { xrfkey: false });
  for (let i = 0; i < 50 && md.status === 404; i++) {
    await new Promise((r) => setTimeout(r, 300));
    md = await a.client('/saml/saml/metadata', { xrfkey: false });
  }
  expect(md.status).toBe(200);
  idp.trust(md.text);
}, 180_000);

afterAll(async () => {
  await a?.stop();
  await idp?.close();
});

const ACS = () => `${origin}/saml/samlauthn/`;
const browser = () => new TestBrowser(host, (path, headers, method, body) => httpRequest(a.site, a.site.ports.proxy, path, { method, headers, xrfkey: false, ...(body === undefined ? {} : { raw: body }) }));
const hasSession = (b: TestBrowser) => /X-Qlik-Session[^=]*=./.test(b.cookieHeader(host));

/** A browser lands on the hub: the AuthnRequest id and RelayState the proxy issued it. */
async function started(b: TestBrowser): Promise<{ requestId: string; relayState: string }> {
  const first = await b.request(`${origin}/saml/hub/`);
  const u = new URL(first.location as string);
  const xml = inflateRawSync(Buffer.from(u.searchParams.get('SAMLRequest') ?? '', 'base64')).toString('utf8');
  return { requestId: /\bID="([^"]+)"/.exec(xml)?.[1] as string, relayState: u.searchParams.get('RelayState') as string };
}
const post = (b: TestBrowser, response: string, relayState: string): Promise<Page> =>
  b.request(ACS(), 'POST', new URLSearchParams({ SAMLResponse: response, RelayState: relayState }));
const decode = (b64: string) => Buffer.from(b64, 'base64').toString('utf8');
const encode = (xml: string) => Buffer.from(xml, 'utf8').toString('base64');

/** A fresh login for `user` whose IdP response the attacker may bend before the browser posts it. */
async function attempt(user: string, tweaks: ResponseTweaks = {}, bend: (xml: string) => string = (x) => x): Promise<{ b: TestBrowser; page: Page }> {
  const b = browser();
  const { requestId, relayState } = await started(b);
  const response = await idp.respond(requestId, user, tweaks);
  return { b, page: await post(b, encode(bend(decode(response))), relayState) };
}

describe('Spoofing › SAML login', () => {
  it('control: an honest signed response for the request this browser started logs in', async () => {
    const { b, page } = await attempt('mallory');
    expect(page.status).toBe(303);
    expect(hasSession(b)).toBe(true);
  });

  it('an unsigned response is refused', async () => {
    const { b, page } = await attempt('alice', { unsigned: true });
    expect(page.status).toBe(401);
    expect(hasSession(b)).toBe(false);
  });

  it('an unsigned assertion inside a signed response is refused', async () => {
    const { b, page } = await attempt('alice', { responseSignedOnly: true });
    expect(page.status).toBe(401);
    expect(hasSession(b)).toBe(false);
  });

  it('an assertion for another service provider (audience) is refused', async () => {
    const { b, page } = await attempt('alice', { audience: 'urn:another-sp' });
    expect(page.status).toBe(401);
    expect(hasSession(b)).toBe(false);
  });

  it('an assertion for another recipient is refused', async () => {
    const { b, page } = await attempt('alice', { recipient: 'https://evil.example/saml/samlauthn/' });
    expect(page.status).toBe(401);
    expect(hasSession(b)).toBe(false);
  });

  it('an expired assertion (NotOnOrAfter passed) is refused', async () => {
    const { b, page } = await attempt('alice', { lifetimeSeconds: -300 });
    expect(page.status).toBe(401);
    expect(hasSession(b)).toBe(false);
  });

  it('replay: the same response posted again (same browser, or a thief) logs nobody in', async () => {
    const b = browser();
    const { requestId, relayState } = await started(b);
    const response = await idp.respond(requestId, 'mallory');
    expect((await post(b, response, relayState)).status).toBe(303);
    const thief = browser();
    expect((await post(thief, response, relayState)).status).toBe(401);
    expect(hasSession(thief)).toBe(false);
    expect((await post(b, response, relayState)).status).toBe(401);
  });

  it('replay: an assertion id already used is refused inside a new response for a new request', async () => {
    const id = `_seen${Date.now()}`;
    expect((await attempt('mallory', { assertionId: id })).page.status).toBe(303);
    const again = await attempt('mallory', { assertionId: id });
    expect(again.page.status).toBe(401);
    expect(hasSession(again.b)).toBe(false);
  });

  it("login CSRF: a response for the attacker's own login delivered to a victim's browser is refused", async () => {
    const attacker = browser();
    const { requestId, relayState } = await started(attacker);
    const response = await idp.respond(requestId, 'mallory');
    const victim = browser();
    expect((await post(victim, response, relayState)).status).toBe(401);
    expect(hasSession(victim)).toBe(false);
  });

  it('a response answering another request (InResponseTo) is refused', async () => {
    const b = browser();
    const mine = await started(b);
    const other = await started(browser());
    const response = await idp.respond(other.requestId, 'mallory');
    expect((await post(b, response, mine.relayState)).status).toBe(401);
    expect(hasSession(b)).toBe(false);
  });
});

describe('Tampering › SAML login', () => {
  // XML signature wrapping (Somorovsky et al., "On Breaking SAML", 2012): the signed assertion for
  // mallory stays in the document so its signature still verifies, and an unsigned assertion naming
  // alice is put where a careless reader would look.
  const forged = (xml: string) => {
    const signed = /<saml:Assertion\b[\s\S]*<\/saml:Assertion>/.exec(xml)?.[0] as string;
    const evil = signed.replace(/<ds:Signature\b[\s\S]*?<\/ds:Signature>/, '').replace(/ID="[^"]+"/, 'ID="_evil"').replaceAll('mallory', 'alice').replaceAll('Guests', 'Admins');
    return { signed, evil };
  };

  it('wrapping 1: an unsigned assertion for alice before the signed one for mallory is refused', async () => {
    const { b, page } = await attempt('mallory', {}, (xml) => {
      const { signed, evil } = forged(xml);
      return xml.replace(signed, `${evil}${signed}`);
    });
    expect(page.status).toBe(401);
    expect(hasSession(b)).toBe(false);
  });

  it('wrapping 2: the signed assertion moved into Extensions and a forged one in its place is refused', async () => {
    const { b, page } = await attempt('mallory', {}, (xml) => {
      const { signed, evil } = forged(xml);
      return xml.replace(signed, evil).replace(/(<samlp:Response\b[^>]*>\s*<saml:Issuer>[^<]*<\/saml:Issuer>)/, `$1<samlp:Extensions>${signed}</samlp:Extensions>`);
    });
    expect(page.status).toBe(401);
    expect(hasSession(b)).toBe(false);
  });

  it('wrapping 3: the forged assertion carrying the signed one inside its own Signature/Object is refused', async () => {
    const { b, page } = await attempt('mallory', {}, (xml) => {
      const { signed, evil } = forged(xml);
      const holder = evil.replace(/(<saml:Issuer>[^<]*<\/saml:Issuer>)/, `$1<ds:Signature xmlns:ds="http://www.w3.org/2000/09/xmldsig#"><ds:Object>${signed}</ds:Object></ds:Signature>`);
      return xml.replace(signed, holder);
    });
    expect(page.status).toBe(401);
    expect(hasSession(b)).toBe(false);
  });

  it('XXE: a response with a DOCTYPE declaring an external entity is refused before any XML parser resolves it', async () => {
    const { b, page } = await attempt('mallory', {}, (xml) => `<?xml version="1.0"?><!DOCTYPE r [<!ENTITY x SYSTEM "file:///etc/passwd">]>${xml.replace('mallory', '&x;')}`);
    expect(page.status).toBe(401);
    expect(page.text).not.toContain('root:');
    expect(hasSession(b)).toBe(false);
  });

  it('XXE: IdP metadata with a DOCTYPE is refused by /qrs, naming the field', async () => {
    const r = await a.as(ADMIN, 'POST', '/qrs/virtualproxyconfig', {
      prefix: 'samlxxe', authenticationMethod: 'saml', samlMetadataIDP: `<!DOCTYPE m [<!ENTITY x SYSTEM "file:///etc/passwd">]>${idp.metadataXml}`,
      samlHostUri: origin, samlEntityId: 'urn:x', samlAttributeUserDirectory: '[CORP]', websocketCrossOriginWhiteList: [host],
    });
    expect(r.status).toBe(400);
    expect(r.text).toContain('samlMetadataIDP');
  });

  it('open redirect: a login asking to return off-site is refused; a hub landing returns only to this origin', async () => {
    const evil = await browser().request(`${origin}/saml/samlauthn/login?returnTo=${encodeURIComponent('https://evil.example/saml/hub/')}`);
    expect(evil.status).toBe(400);
    const slashes = await browser().request(`${origin}/saml/samlauthn/login?returnTo=${encodeURIComponent('//evil.example/saml/hub/')}`);
    expect(slashes.status).toBe(400);
    const b = browser();
    const atIdp = await b.follow(`${origin}/saml/hub/?x=1`);
    const autoPost = await b.submit(atIdp, { login: 'mallory', password: PASSWORD }, 0, (u) => new URL(u).host === host);
    const landed = await b.submit(autoPost, {}, 0, () => true);
    expect(landed.status).toBe(303);
    expect(landed.location).toBe(`${origin}/saml/hub/?x=1`);
  });
});

describe('Spoofing › SAML IdP-initiated logout (LogoutRequest to the SingleLogoutService)', () => {
  /** A logged-in browser for `user`, and whether its session still works at the proxy. */
  const loggedIn = async (user: string) => {
    const { b, page } = await attempt(user);
    expect(page.status).toBe(303);
    const cookie = b.cookieHeader(host);
    return { alive: async () => (await httpRequest(a.site, a.site.ports.proxy, '/saml/qps/user', { headers: { Cookie: cookie } })).status === 200 };
  };
  const deliver = (req: { action: string; form: URLSearchParams }) => browser().request(req.action, 'POST', req.form);

  it('control: a LogoutRequest signed by the IdP ends that login and gets a LogoutResponse', async () => {
    const alice = await loggedIn('alice');
    expect(await alice.alive()).toBe(true);
    const page = await deliver(await idp.logoutRequest('alice'));
    expect(page.status).toBe(303);
    expect(page.location).toMatch(/\/slo\?SAMLResponse=/);
    expect(await alice.alive()).toBe(false);
  });

  it('an unsigned LogoutRequest ends nothing', async () => {
    const alice = await loggedIn('alice');
    expect((await deliver(await idp.logoutRequest('alice', { unsigned: true }))).status).toBe(400);
    expect(await alice.alive()).toBe(true);
  });

  it('a LogoutRequest signed by another key under the IdP entity id ends nothing', async () => {
    const alice = await loggedIn('alice');
    const forger = createTestCertificate({ commonName: 'saml-attack-idp' });
    expect((await deliver(await idp.logoutRequest('alice', { signWith: forger }))).status).toBe(400);
    expect(await alice.alive()).toBe(true);
  });

  it('a replayed LogoutRequest (same ID) ends nothing, not even a session made after the first one', async () => {
    const req = await idp.logoutRequest('alice', { sessionIndex: null });
    expect((await deliver(req)).status).toBe(303);
    const alice = await loggedIn('alice');
    expect((await deliver(req)).status).toBe(400);
    expect(await alice.alive()).toBe(true);
  });

  it("a valid LogoutRequest for another NameID ends none of alice's sessions", async () => {
    const alice = await loggedIn('alice');
    expect((await deliver(await idp.logoutRequest('mallory', { sessionIndex: null }))).status).toBe(303);
    expect(await alice.alive()).toBe(true);
  });

  it('a LogoutRequest with a DOCTYPE, or by the redirect binding, ends nothing', async () => {
    const alice = await loggedIn('alice');
    const req = await idp.logoutRequest('alice');
    const xml = Buffer.from(req.form.get('SAMLRequest') as string, 'base64').toString('utf8');
    const doctype = new URLSearchParams({ SAMLRequest: Buffer.from(`<!DOCTYPE r [<!ENTITY x SYSTEM "file:///etc/passwd">]>${xml}`).toString('base64') });
    expect((await browser().request(req.action, 'POST', doctype)).status).toBe(400);
    expect((await browser().request(`${req.action}?${req.form.toString()}`)).status).toBe(400);
    expect(await alice.alive()).toBe(true);
  });
});

describe('Spoofing › SAML IdP metadata by URL (samlMetadataIDP)', () => {
  it('metadata served by a server the proxy does not trust (a man in the middle) is not taken: logins are refused, nobody is sent to its IdP', async () => {
    // A well-formed metadata document naming the attacker's own signing certificate, over https with
    // a certificate no CA the proxy trusts has signed.
    const evil = await startSamlTestIdp(createTestCertificate({ commonName: 'evil-idp' }));
    const tls = createTestCertificate({ commonName: 'localhost' });
    let served = 0;
    const server = createServer({ cert: tls.certPem, key: tls.keyPem }, (_req, res) => {
      served += 1;
      res.end(evil.metadataXml);
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    try {
      const url = `https://localhost:${(server.address() as AddressInfo).port}/metadata`;
      ok(await a.as(ADMIN, 'POST', '/qrs/virtualproxyconfig', {
        prefix: 'samlmitm', description: 'samlmitm', authenticationMethod: 'saml', samlMetadataIDP: url, samlHostUri: origin,
        samlEntityId: 'urn:trustzone:mitm-sp', samlAttributeUserId: 'uid', samlAttributeUserDirectory: '[CORP]', websocketCrossOriginWhiteList: [host],
      }), 'create saml virtual proxy with a metadata URL');
      let r = await a.client('/samlmitm/hub/', { xrfkey: false, headers: { Accept: 'text/html' } });
      for (let i = 0; i < 50 && r.status === 404; i++) {
        await new Promise((res) => setTimeout(res, 300));
        r = await a.client('/samlmitm/hub/', { xrfkey: false, headers: { Accept: 'text/html' } });
      }
      expect(r.status).toBe(503);
      expect(r.headers['location']).toBeUndefined();
      expect(r.json).toMatchObject({ error: { code: 'EDGE_IDP_UNAVAILABLE' } });
      expect(served).toBe(0); // the TLS handshake failed: no request was ever answered
    } finally {
      await new Promise((r) => server.close(r));
      await evil.close();
    }
  });

  it('a metadata URL over plain http to another host, or carrying credentials, is refused by /qrs, naming the field', async () => {
    for (const samlMetadataIDP of ['http://idp.example.com/metadata', 'https://user:secret@idp.example.com/metadata']) {
      const r = await a.as(ADMIN, 'POST', '/qrs/virtualproxyconfig', {
        prefix: 'samlbadurl', description: 'x', authenticationMethod: 'saml', samlMetadataIDP, samlHostUri: origin,
        samlEntityId: 'urn:trustzone:bad-url', samlAttributeUserDirectory: '[CORP]',
      });
      expect(r.status).toBe(400);
      expect(r.text).toContain('samlMetadataIDP');
    }
  });
});
