import { createServer, type Server } from 'node:https';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestCertificate } from '@trustzone/testing';
import { startSamlTestIdp, TestBrowser, type SamlTestIdp } from '@trustzone/site-harness';
import { startDoors, type Doors } from '../pipeline/test-support/door-fixture';
import { parseVirtualProxyConfig } from '../virtual-proxy/virtual-proxy-config.schema';
import { IdpMetadataSource } from './saml-metadata-source';

// `samlMetadataIDP` as a URL: the test IdP's metadata served over real HTTPS (its own certificate,
// trusted through the proxy's metadata CA option), fetched by the proxy, used for a real login; a
// URL that fails, serves too much or serves no metadata refuses logins (fail closed), and the
// document is fetched again after the refresh interval.
const HOST = 'tz.test';
const PROXY = `https://${HOST}`;
const tls = createTestCertificate({ commonName: 'localhost' });
let idp: SamlTestIdp;
let doors: Doors;
let server: Server;
let base: string;
const fetches: string[] = [];
const USER = { password: 'pw', email: 'alice@corp.example', groups: ['Sales'] };

beforeAll(async () => {
  idp = await startSamlTestIdp(createTestCertificate({ commonName: 'saml-url-idp' }));
  idp.users.set('alice', USER);
  server = createServer({ cert: tls.certPem, key: tls.keyPem }, (req, res) => {
    fetches.push(req.url ?? '');
    if (req.url === '/metadata') return void res.end(idp.metadataXml);
    if (req.url === '/huge') return void res.end(`<x>${'a'.repeat(300 * 1024)}</x>`);
    if (req.url === '/not-metadata') return void res.end('<html>login page</html>');
    res.statusCode = 500;
    res.end('down');
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  base = `https://localhost:${(server.address() as AddressInfo).port}`;
  const vp = (prefix: string, path: string) => ({ prefix, authenticationMethod: 'saml' as const, samlMetadataIDP: `${base}${path}`, samlHostUri: PROXY, samlEntityId: `urn:trustzone:${prefix}`, samlAttributeUserId: 'uid', samlAttributeUserDirectory: '[CORP]', samlAttributeMap: { mail: 'email', groups: 'group' }, websocketCrossOriginWhiteList: [HOST] });
  doors = await startDoors({
    virtualProxies: [{}, vp('samlurl', '/metadata'), vp('samldown', '/down'), vp('samlhuge', '/huge'), vp('samlhtml', '/not-metadata')],
    idp: { saml: { metadata: { ca: tls.certPem } } },
  });
}, 60_000);

afterAll(async () => {
  await doors?.close();
  await idp?.close();
  await new Promise((r) => server?.close(r));
});

const browser = () => new TestBrowser(HOST, (path, headers, method, body) => doors.client(path, headers, method, body));
const isProxy = (url: string) => new URL(url).host === HOST;

describe('samlMetadataIDP as an https URL', () => {
  it('the proxy fetches the IdP metadata over https and a login through it completes (fetched once for many requests)', async () => {
    const md = await doors.client('/samlurl/saml/metadata', { Host: HOST });
    expect(md.status).toBe(200);
    idp.trust(md.text);
    const b = browser();
    const atIdp = await b.follow(`${PROXY}/samlurl/hub/`);
    expect(atIdp.url.startsWith(idp.ssoUrl)).toBe(true);
    const post = await b.submit(atIdp, { login: 'alice', password: USER.password }, 0, isProxy);
    const landed = await b.submit(post);
    expect(landed.status).toBe(200);
    expect(landed.json).toMatchObject({ user: 'CORP\\alice', anonymous: false });
    expect(fetches.filter((f) => f === '/metadata')).toHaveLength(1);
  });

  it('fails closed with a clear error: an unreachable, oversized or non-metadata document refuses the login and sends nobody to an IdP', async () => {
    for (const [prefix, path, why] of [['samldown', '/down', 'HTTP 500'], ['samlhuge', '/huge', 'larger than'], ['samlhtml', '/not-metadata', 'must be an md:EntityDescriptor']] as const) {
      const r = await doors.client(`/${prefix}/hub/`, { Host: HOST, Accept: 'text/html' });
      expect(r.status).toBe(503);
      expect(r.headers['location']).toBeUndefined();
      expect(r.json).toMatchObject({ error: { code: 'EDGE_IDP_UNAVAILABLE' } });
      expect((r.json as { error: { message: string } }).error.message).toContain('samlMetadataIDP');
      // The reason (for the operator's log) is the fetch's own: the same source answers it, without fetching again.
      const before = fetches.length;
      await expect(doors.deps.idp.saml.metadata.document(`${base}${path}`)).rejects.toThrow(why);
      expect(fetches.length).toBe(before);
      // Neither are the IdP-facing routes served from nothing.
      expect((await doors.client(`/${prefix}/saml/metadata`, { Host: HOST })).status).toBe(503);
    }
  });

  it('validates the URL when stored: https only (http to loopback), no credentials, naming the field', () => {
    const base = { prefix: 'x', authenticationMethod: 'saml', samlHostUri: PROXY, samlEntityId: 'urn:x', samlAttributeUserDirectory: '[CORP]' };
    const problem = (samlMetadataIDP: string) => {
      try {
        parseVirtualProxyConfig({ ...base, samlMetadataIDP });
        return null;
      } catch (e) {
        return String((e as { field?: string }).field ?? '') + ' ' + (e instanceof Error ? e.message : String(e));
      }
    };
    expect(problem('http://idp.example.com/metadata')).toMatch(/samlMetadataIDP.*https/);
    expect(problem('https://user:pw@idp.example.com/metadata')).toMatch(/samlMetadataIDP.*credentials/);
    expect(problem('https://idp.example.com/metadata')).toBeNull();
    expect(problem('http://127.0.0.1:8080/metadata')).toBeNull();
  });
});

describe('IdpMetadataSource', () => {
  it('refetches after the refresh interval, and refuses (no stale copy) while a refresh fails, retrying only after the retry interval', async () => {
    let now = 1_000_000;
    let serve = true;
    const hits: number[] = [];
    const s2 = createServer({ cert: tls.certPem, key: tls.keyPem }, (_req, res) => {
      hits.push(now);
      if (serve) res.end(idp.metadataXml);
      else {
        res.statusCode = 503;
        res.end();
      }
    });
    await new Promise<void>((r) => s2.listen(0, '127.0.0.1', r));
    try {
      const url = `https://localhost:${(s2.address() as AddressInfo).port}/md`;
      const source = new IdpMetadataSource({ ca: tls.certPem, refreshMs: 60_000, retryMs: 10_000, now: () => now });
      expect(await source.document(url)).toBe(idp.metadataXml);
      now += 59_000;
      expect(await source.document(url)).toBe(idp.metadataXml);
      expect(hits).toHaveLength(1);
      now += 2_000; // past the refresh interval: fetched again
      serve = false;
      await expect(source.document(url)).rejects.toThrow(/HTTP 503/);
      expect(hits).toHaveLength(2);
      now += 5_000; // within the retry interval: refused without asking
      await expect(source.document(url)).rejects.toThrow(/HTTP 503/);
      expect(hits).toHaveLength(2);
      serve = true;
      now += 6_000;
      expect(await source.document(url)).toBe(idp.metadataXml);
      expect(hits).toHaveLength(3);
      // A document given inline is returned as it is, without any fetch.
      expect(await source.document(idp.metadataXml)).toBe(idp.metadataXml);
      expect(hits).toHaveLength(3);
    } finally {
      await new Promise((r) => s2.close(r));
    }
  });

  it('does not trust a certificate it was not told to trust', async () => {
    const source = new IdpMetadataSource({ timeoutMs: 5_000 });
    await expect(source.document(`${base}/metadata`)).rejects.toThrow(/self.signed|certificate/i);
  });
});
