import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ErrorCode } from '@trustzone/contracts';
import { tailAuditLog } from '@trustzone/logging';
import { createTestSite, type TestSite } from '@trustzone/testing';
import { certificateAuthorityFromPem, createCa, issueCertificate, readSiteManifest, sitePaths } from '@trustzone/trust';
import { ADMIN, eventually, ok, startAttackSite, type AttackSite, type Cert } from '../test-support/attack-site';
import { hs256WithPublicKey, signedJwt, spkiPemOf, unsignedJwt } from '../test-support/jwt-forge';
import { describeResponseScan } from '../test-support/response-scan';
import { assertedUser, closeZoneStores, craftedTls, siteTls, zoneClients } from '../test-support/zone-client';

// Spoofing: pretending to be a service, an integration or a user. Every attack goes through the
// real site (processes, TLS listeners, mTLS gRPC); each has a control showing the same request with
// the genuine credential succeeds, so a refusal is caused by the forgery and nothing else.
let a: AttackSite;
let foreign: TestSite;
let jwtIssuer: { certPem: string; keyPem: string };
let jwtOther: { certPem: string; keyPem: string };

const ISS = 'https://idp.example.com/';
const names = (json: unknown) => (json as { name: string }[]).map((x) => x.name).sort();

/** The status of a request, or 'tls-refused' when the TLS handshake itself refused the client. */
async function statusOf(p: Promise<{ status: number }>): Promise<number | 'tls-refused'> {
  return p.then((r) => r.status, () => 'tls-refused' as const);
}

async function issuedBy(caName: 'root' | 'client-facing-ca', identity: 'proxy' | 'integration'): Promise<Cert> {
  const paths = sitePaths(a.site.dataDir);
  const siteId = readSiteManifest(paths.siteJson).siteId;
  const issued = await issueCertificate({
    ca: certificateAuthorityFromPem(readFileSync(paths.cert(caName), 'utf8'), readFileSync(paths.key(caName), 'utf8')),
    commonName: `forged-${identity}`,
    identity: identity === 'proxy' ? { kind: 'service', siteId, service: 'proxy' } : { kind: 'integration', siteId, name: 'portal' },
    dnsNames: ['localhost'],
    usage: ['clientAuth', 'serverAuth'],
  });
  return { cert: issued.certPem, key: issued.keyPem };
}

beforeAll(async () => {
  [a, foreign] = await Promise.all([startAttackSite({ TZ_TICKET_TTL_MS: '2000', TZ_REFUSAL_AUDIT_INTERVAL_MS: '500' }), createTestSite({ siteName: 'foreign' })]);
  [jwtIssuer, jwtOther] = await Promise.all([createCa({ commonName: 'jwt-issuer' }), createCa({ commonName: 'someone-else' })]);
  ok(await a.as(ADMIN, 'POST', '/qrs/virtualproxyconfig', { prefix: 'hdr', description: 'header', authenticationMethod: 'header-static', headerAuthenticationHeaderName: 'X-Trustzone-User', headerAuthenticationStaticUserDirectory: 'CORP' }), 'header vp');
  ok(await a.as(ADMIN, 'POST', '/qrs/virtualproxyconfig', { prefix: 'jwt', description: 'jwt', authenticationMethod: 'jwt', jwtPublicKeyCertificate: jwtIssuer.certPem, jwtAttributeUserId: 'sub', jwtAttributeUserDirectory: '[CORP]', jwtAudience: 'trustzone', jwtIssuer: ISS }), 'jwt vp');
  ok(await a.as(ADMIN, 'POST', '/qrs/virtualproxyconfig', { prefix: 'other', description: 'second ticket vp', authenticationMethod: 'ticket' }), 'ticket vp');
  await eventually(async () => (await a.client('/hdr/qrs/about', { headers: { 'X-Trustzone-User': 'bob' } })).status === 200, 'header virtual proxy');
  await eventually(async () => (await a.client('/jwt/qrs/about')).status === 401 && (await a.client('/other/qrs/about')).status === 401, 'jwt and second virtual proxies');
}, 120_000);

afterAll(async () => {
  closeZoneStores();
  await a?.stop();
  foreign?.cleanup();
});

describe('Spoofing', () => {
  it('a certificate of a foreign site is refused on the proxy API and on the repository and engine gRPC ports', async () => {
    const foreignCert = { cert: readFileSync(foreign.paths.cert('proxy'), 'utf8'), key: readFileSync(foreign.paths.key('proxy'), 'utf8') };
    expect(await statusOf(a.api('/qrs/about', { cert: foreignCert, headers: { 'X-Qlik-User': 'UserDirectory=CORP; UserId=admin' } }))).not.toBe(200);
    expect(await statusOf(a.api('/qrs/about', { headers: { 'X-Qlik-User': 'UserDirectory=CORP; UserId=admin' } }))).toBe(200); // control: the genuine portal
    const forged = zoneClients(a.site, craftedTls(siteTls(a.site, 'proxy'), foreignCert.cert, foreignCert.key));
    const genuine = zoneClients(a.site, siteTls(a.site, 'proxy'));
    try {
      await expect(forged.repository.unary('About', {}, { deadlineMs: 5000 })).rejects.toMatchObject({ code: expect.stringMatching(/UNAVAILABLE|UNAUTHENTICATED/) });
      await expect(forged.engine.unary('AppDataInfo', { appId: '00000000-0000-4000-8000-000000000000' }, { deadlineMs: 5000, user: assertedUser(ADMIN, 'hub') })).rejects.toMatchObject({ code: expect.stringMatching(/UNAVAILABLE|UNAUTHENTICATED/) });
      expect(JSON.parse((await genuine.repository.unary('About', {}, { deadlineMs: 5000 })).json)).toBeTypeOf('object');
    } finally {
      forged.close();
      genuine.close();
    }
  });

  it('a client-facing-CA certificate claiming the proxy identity is refused by the trust zone and the proxy API', async () => {
    const fake = await issuedBy('client-facing-ca', 'proxy');
    const fakePortal = await issuedBy('client-facing-ca', 'integration');
    expect(await statusOf(a.api('/qrs/about', { cert: fakePortal, headers: { 'X-Qlik-User': 'UserDirectory=CORP; UserId=admin' } }))).not.toBe(200);
    const forged = zoneClients(a.site, craftedTls(siteTls(a.site, 'proxy'), fake.cert, fake.key));
    try {
      await expect(forged.repository.unary('ListEntities', { type: 'app', filter: '', orderby: '', full: false, countOnly: false, privileges: false }, { deadlineMs: 5000, user: assertedUser(ADMIN) })).rejects.toMatchObject({ code: expect.stringMatching(/UNAVAILABLE|UNAUTHENTICATED/) });
    } finally {
      forged.close();
    }
    // Control: the same identity issued by the site CA is accepted (so only the issuer differs).
    const real = zoneClients(a.site, craftedTls(siteTls(a.site, 'proxy'), ...Object.values(await issuedBy('root', 'proxy')) as [string, string]));
    try {
      const list = await real.repository.unary('ListEntities', { type: 'stream', filter: '', orderby: '', full: false, countOnly: false, privileges: false }, { deadlineMs: 5000, user: assertedUser(ADMIN) });
      expect(names(JSON.parse(list.json))).toContain('Everyone');
    } finally {
      real.close();
    }
  });

  it('a service other than the proxy asserting an end user on gRPC is refused, changes nothing, and is audited', async () => {
    const engine = zoneClients(a.site, siteTls(a.site, 'engine'));
    const portalTls = craftedTls(siteTls(a.site, 'proxy'), a.portal.cert, a.portal.key);
    const portal = zoneClients(a.site, portalTls);
    try {
      const write = { type: 'stream', id: '', json: JSON.stringify({ name: 'Planted by the engine' }) };
      await expect(engine.repository.unary('CreateEntity', write, { deadlineMs: 5000, user: assertedUser(ADMIN) })).rejects.toMatchObject({ code: ErrorCode.PermissionDenied });
      await expect(portal.repository.unary('ListEntities', { type: 'app', filter: '', orderby: '', full: true, countOnly: false, privileges: false }, { deadlineMs: 5000, user: assertedUser(ADMIN) })).rejects.toMatchObject({ code: ErrorCode.PermissionDenied });
      await expect(portal.repository.unary('Authorize', { resourceType: 'App', resourceId: 'x', action: 'read' }, { deadlineMs: 5000, user: assertedUser(ADMIN) })).rejects.toMatchObject({ code: ErrorCode.PermissionDenied });
    } finally {
      engine.close();
      portal.close();
    }
    expect(names(ok(await a.as(ADMIN, 'GET', '/qrs/stream'), 'streams'))).not.toContain('Planted by the engine');
    // The repository records a refusal after answering it (the call already failed, best effort),
    // so the record may land a moment after the caller saw PermissionDenied: wait for both.
    const refusedMethods = async (): Promise<string[]> => {
      const refused = await tailAuditLog({ dir: join(a.site.dataDir, 'audit'), limit: 50, filter: { action: 'call.refused' } });
      return refused.entries.map((e) => ('details' in e ? String((e.details as { method?: string }).method) : ''));
    };
    await expect.poll(async () => (await refusedMethods()).map((m) => m.split('/').pop()), { timeout: 5000 }).toEqual(expect.arrayContaining(['CreateEntity', 'ListEntities']));
  });

  it('X-Qlik-User on the client-facing port neither logs in nor changes the session user, and is audited', async () => {
    const asAdmin = { 'X-Qlik-User': 'UserDirectory=CORP; UserId=admin' };
    expect((await a.client('/qrs/app', { headers: asAdmin })).status).toBe(401);
    const bob = await a.login('CORP\\bob');
    const me = await a.client('/qps/user', { headers: { Cookie: bob, ...asAdmin } });
    expect(me.json).toMatchObject({ userDirectory: 'CORP', userId: 'bob' });
    // Control: the admin really would see more than bob (an unpublished app of the admin's).
    ok(await a.as(ADMIN, 'POST', '/qrs/app', { name: 'Admin only' }), 'admin app');
    expect(names((await a.client('/qrs/app', { headers: { Cookie: bob, ...asAdmin } })).json)).not.toContain('Admin only');
    // Counted per source and interval (anyone can send it): one record carries how many were ignored.
    const ignored = async () => (await tailAuditLog({ dir: join(a.site.dataDir, 'audit'), limit: 10, filter: { action: 'auth.header-ignored' } })).entries
      .reduce((n, e) => n + Number(('details' in e ? (e.details as { count?: number } | undefined)?.count : 0) ?? 0), 0);
    await expect.poll(ignored, { timeout: 10_000 }).toBeGreaterThanOrEqual(3);
  });

  it('a redeemed ticket cannot be replayed', async () => {
    const issued = ok<{ Ticket: string }>(await a.api('/qps/ticket', { method: 'POST', body: { UserDirectory: 'CORP', UserId: 'carol' } }), 'ticket');
    const first = await a.client(`/hub/?qlikTicket=${issued.Ticket}`, { xrfkey: false });
    expect(first.status).toBe(303);
    const replay = await a.client(`/hub/?qlikTicket=${issued.Ticket}`, { xrfkey: false });
    expect(replay.status).toBe(401);
    expect(replay.headers['set-cookie'] ?? []).not.toEqual(expect.arrayContaining([expect.stringMatching(/^X-Qlik-Session=[^;]+;/)]));
  });

  it('an expired ticket is refused (TTL 2 s on this site)', async () => {
    const issued = ok<{ Ticket: string }>(await a.api('/qps/ticket', { method: 'POST', body: { UserDirectory: 'CORP', UserId: 'dave' } }), 'ticket');
    await new Promise((r) => setTimeout(r, 2_500));
    expect((await a.client(`/hub/?qlikTicket=${issued.Ticket}`, { xrfkey: false })).status).toBe(401);
  });

  it('a ticket issued for one virtual proxy cannot be redeemed on another', async () => {
    const issued = ok<{ Ticket: string }>(await a.api('/qps/other/ticket', { method: 'POST', body: { UserDirectory: 'CORP', UserId: 'erin' } }), 'ticket');
    expect((await a.client(`/hub/?qlikTicket=${issued.Ticket}`, { xrfkey: false })).status).toBe(401);
    // Consumed by the failed attempt: not redeemable on its own virtual proxy either.
    expect((await a.client(`/other/hub/?qlikTicket=${issued.Ticket}`, { xrfkey: false })).status).toBe(401);
  });

  it('a header credential on a ticket virtual proxy does not log in', async () => {
    expect((await a.client('/qrs/app', { headers: { 'X-Trustzone-User': 'admin' } })).status).toBe(401);
    expect((await a.client('/other/qrs/app', { headers: { 'X-Trustzone-User': 'admin' } })).status).toBe(401);
    expect((await a.client('/hdr/qrs/app', { headers: { 'X-Trustzone-User': 'admin' } })).status).toBe(200); // control
  });

  it('a JWT with alg "none" is refused', async () => {
    const claims = { sub: 'admin', iss: ISS, aud: 'trustzone', exp: Math.floor(Date.now() / 1000) + 300 };
    for (const token of [unsignedJwt(claims), unsignedJwt(claims, 'AAAA')]) {
      expect((await a.client('/jwt/qrs/app', { headers: { Authorization: `Bearer ${token}` } })).status).toBe(401);
    }
    expect((await a.client('/jwt/qrs/app', { headers: { Authorization: `Bearer ${signedJwt(jwtIssuer.keyPem, claims)}` } })).status).toBe(200); // control
  });

  it('a JWT signed with HS256 using the public key as the secret is refused (algorithm confusion)', async () => {
    const claims = { sub: 'admin', iss: ISS, aud: 'trustzone', exp: Math.floor(Date.now() / 1000) + 300 };
    for (const secret of [jwtIssuer.certPem, spkiPemOf(jwtIssuer.certPem)]) {
      expect((await a.client('/jwt/qrs/app', { headers: { Authorization: `Bearer ${hs256WithPublicKey(secret, claims)}` } })).status).toBe(401);
    }
  });

  it('a JWT signed with another key, or with good signature but expired or for another audience, is refused', async () => {
    const now = Math.floor(Date.now() / 1000);
    const forged = [signedJwt(jwtOther.keyPem, { sub: 'admin', iss: ISS, aud: 'trustzone', exp: now + 300 }), signedJwt(jwtIssuer.keyPem, { sub: 'admin', iss: ISS, aud: 'trustzone', exp: now - 120 }), signedJwt(jwtIssuer.keyPem, { sub: 'admin', iss: ISS, aud: 'elsewhere', exp: now + 300 })];
    for (const token of forged) expect((await a.client('/jwt/qrs/app', { headers: { Authorization: `Bearer ${token}` } })).status).toBe(401);
  });

  it('a session cookie of one virtual proxy is not honoured by another', async () => {
    const cookie = await a.login('CORP\\frank', [], 'other');
    const value = cookie.split('=')[1] as string;
    expect((await a.client('/other/qrs/about', { headers: { Cookie: cookie } })).status).toBe(200); // control
    expect((await a.client('/qrs/about', { headers: { Cookie: `X-Qlik-Session=${value}` } })).status).toBe(401);
  });
});

describeResponseScan(() => a);
