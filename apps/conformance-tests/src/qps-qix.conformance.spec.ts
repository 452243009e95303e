import { createServer, request, type Server } from 'node:https';
import type { AddressInfo } from 'node:net';
import { createRequire } from 'node:module';
import { readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import WebSocket from 'ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { httpRequest, sessionCookie, ticketLogin } from '@trustzone/site-harness';
import { createTestCertificate } from '@trustzone/testing';
import { startConformanceSite, type ConformanceSite } from './test-support/conformance-site';

// Issue 16, QPS and QIX wire details with unmodified clients from npm:
//  - qlik-auth (braathen): the authentication module of Qlik's portal samples. Its requestTicket()
//    reads proxyRestUri and targetId from the redirect, asks the proxy for a ticket with the site's
//    client certificate, and redirects the browser to TargetUri with QlikTicket.
//  - enigma.js on Qlik's URL forms: /app/engineData and /app/<id>/identity/<name>.
// Expected values come from the inputs (paths, ports, the inline rows).
const require = createRequire(import.meta.url);
const qlikAuth = require('qlik-auth') as { requestTicket(req: unknown, res: unknown, profile: { UserDirectory: string; UserId: string; Attributes?: object[] }, options: object): void };

let s: ConformanceSite;
let portal: Server;
let portalCa: string;
let appId: string;
const PREFIX = 'sso';
const ROWS: [string, number][] = [['north', 3], ['south', 5], ['east', 11]];

beforeAll(async () => {
  s = await startConformanceSite();
  // The portal: an HTTPS page that logs everyone in as CORP\carol through qlik-auth, as its README shows.
  const tls = createTestCertificate({ commonName: 'localhost' });
  portalCa = tls.certPem;
  portal = createServer({ cert: tls.certPem, key: tls.keyPem }, (req, res) => {
    qlikAuth.requestTicket(req, res, { UserDirectory: 'CORP', UserId: 'carol', Attributes: [{ group: 'Portal' }] }, { Certificate: s.certs.certFile, CertificateKey: s.certs.keyFile });
  });
  await new Promise<void>((r) => portal.listen(0, '127.0.0.1', r));
  const portalUrl = `https://localhost:${(portal.address() as AddressInfo).port}/login`;
  expect((await s.admin('POST', '/qrs/virtualproxyconfig', { prefix: PREFIX, authenticationMethod: 'ticket', authenticationModuleRedirectUri: portalUrl, websocketCrossOriginWhiteList: [`localhost:${s.site.ports.proxy}`] })).status).toBe(201);
  for (let i = 0; i < 60 && (await httpRequest(s.site, s.site.ports.proxy, `/${PREFIX}/hub/`, { xrfkey: false })).status === 404; i++) await new Promise((r) => setTimeout(r, 250));
  appId = ((await s.admin('POST', '/qrs/app', { name: 'Regions' })).json as { id: string }).id;
  const script = `T: LOAD * INLINE [\nREGION, AMOUNT\n${ROWS.map((r) => r.join(', ')).join('\n')}\n];`;
  expect((await s.admin('PUT', `/qrs/app/${appId}/script`, { script })).status).toBe(200);
  expect((await s.admin('POST', `/qrs/app/${appId}/reload`)).status).toBe(200);
}, 180_000);

afterAll(async () => {
  await new Promise((r) => portal?.close(r));
  await s?.stop();
});

/** A GET as a browser would send it to the portal (its own certificate), answering status and Location. */
function portalGet(url: string): Promise<{ status: number; location: string | undefined }> {
  return new Promise((resolve, reject) => {
    const u = new URL(url);
    const req = request({ host: u.hostname, port: u.port, path: `${u.pathname}${u.search}`, ca: portalCa, servername: 'localhost' }, (res) => {
      res.resume();
      resolve({ status: res.statusCode ?? 0, location: res.headers.location });
    });
    req.on('error', reject);
    req.end();
  });
}

describe('qlik-auth: the authentication-module redirect', () => {
  it('proxy → portal (qlik-auth requestTicket) → proxy with QlikTicket lands the user where they started', async () => {
    const deepLink = `/${PREFIX}/hub/my/work?tab=2`;
    const first = await httpRequest(s.site, s.site.ports.proxy, deepLink, { xrfkey: false });
    expect(first.status).toBe(302);
    const atPortal = await portalGet(String(first.headers['location']));
    expect(atPortal.status).toBe(302);
    const back = new URL(String(atPortal.location));
    expect(`${back.origin}${back.pathname}`).toBe(`https://localhost:${s.site.ports.proxy}/${PREFIX}/hub/my/work`);
    expect(back.searchParams.get('tab')).toBe('2');
    const landed = await httpRequest(s.site, s.site.ports.proxy, `${back.pathname}${back.search}`, { xrfkey: false });
    expect(landed.status).toBe(303);
    expect(landed.headers['location']).toBe(deepLink);
    const cookie = sessionCookie(landed)!;
    const me = await httpRequest(s.site, s.site.ports.proxy, `/${PREFIX}/qps/user`, { headers: { Cookie: cookie } });
    expect(me.json).toMatchObject({ userDirectory: 'CORP', userId: 'carol' });
  });
});

interface Doc { getField(n: string): Promise<{ selectValues(v: { qText: string }[]): Promise<boolean> }>; evaluate(e: string): Promise<string> }
interface Global { openDoc(id: string): Promise<Doc>; getDocList(): Promise<{ qDocId: string }[]> }

function newestSchema(): object {
  const dir = join(dirname(require.resolve('enigma.js/package.json')), 'schemas');
  const key = (f: string) => f.replace('.json', '').split('.').map(Number);
  const files = readdirSync(dir).filter((f) => f.endsWith('.json')).sort((a, b) => {
    const [x, y] = [key(a), key(b)];
    for (let i = 0; i < Math.max(x.length, y.length); i++) if ((x[i] ?? 0) !== (y[i] ?? 0)) return (x[i] ?? 0) - (y[i] ?? 0);
    return 0;
  });
  return require(join(dir, files.at(-1) as string)) as object;
}

describe('enigma.js on Qlik\'s QIX URL forms', () => {
  async function open(cookie: string, path: string): Promise<{ global: Global; session: { close(): Promise<void>; on(e: string, f: (p: unknown) => void): void } }> {
    const me = await httpRequest(s.site, s.site.ports.proxy, '/qps/user', { headers: { Cookie: cookie } });
    const token = (me.json as { csrfToken: string }).csrfToken;
    const enigma = require('enigma.js') as { create(c: object): { open(): Promise<Global>; close(): Promise<void>; on(e: string, f: (p: unknown) => void): void } };
    const session = enigma.create({
      schema: newestSchema(),
      url: `wss://localhost:${s.site.ports.proxy}${path}?qlik-csrf-token=${encodeURIComponent(token)}`,
      createSocket: (url: string) => new WebSocket(url, { ca: s.site.clientFacingCa, headers: { Cookie: cookie, Origin: `https://localhost:${s.site.ports.proxy}` } }),
    });
    const auth = new Promise((resolve) => session.on('notification:OnAuthenticationInformation', resolve));
    const global = await session.open();
    expect(await auth).toMatchObject({ userDirectory: 'CORP', mustAuthenticate: false });
    return { global, session };
  }
  const total = ROWS.reduce((n, [, v]) => n + v, 0);

  it('/app/engineData: the doc list, then OpenDoc of any app the user may read', async () => {
    const { cookie } = await ticketLogin(s.site, s.certs, { userDirectory: 'CORP', userId: 'admin' });
    const { global, session } = await open(cookie, '/app/engineData');
    try {
      expect((await global.getDocList()).map((d) => d.qDocId)).toContain(appId);
      expect(Number(await (await global.openDoc(appId)).evaluate('Sum(AMOUNT)'))).toBe(total);
    } finally {
      await session.close();
    }
  });

  it('/app/<id>/identity/<name>: two sessions of one user share selections; without the identity they do not', async () => {
    const { cookie } = await ticketLogin(s.site, s.certs, { userDirectory: 'CORP', userId: 'admin' });
    const [a, b, plain] = [await open(cookie, `/app/${appId}/identity/report`), await open(cookie, `/app/${appId}/identity/report`), await open(cookie, `/app/${appId}`)];
    try {
      const [docA, docB, docPlain] = [await a.global.openDoc(appId), await b.global.openDoc(appId), await plain.global.openDoc(appId)];
      const [pick, value] = ROWS[1]!;
      expect(await (await docA.getField('REGION')).selectValues([{ qText: pick }])).toBe(true);
      expect(Number(await docB.evaluate('Sum(AMOUNT)'))).toBe(value);
      expect(Number(await docPlain.evaluate('Sum(AMOUNT)'))).toBe(total);
    } finally {
      await Promise.all([a.session.close(), b.session.close(), plain.session.close()]);
    }
  });
});
