import { X509Certificate } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { httpRequest, integrationCert } from '@trustzone/site-harness';
import { normalizeSerial, sitePaths } from '@trustzone/trust';
import { ADMIN, eventually, ok, startAttackSite, type AttackSite, type Cert } from '../test-support/attack-site';
import { auditRecords } from '../test-support/audit-trail';
import { closeZoneStores } from '../test-support/zone-client';
import { zoneAccepts } from '../test-support/zone-probe';

// The console's certificate actions on a real site (issue 22): POST /qrs/sitecertificates/revoke
// and /rotate, run by the repository (the holder of the site CA key). Who may (Update on the
// Certificate resource: RootAdmin only), the confirmation (a stale or wrong page is refused), and
// the effect on the wire: a revoked integration certificate is refused by the proxy's API port in a
// real TLS handshake; a rotated service keeps serving while its stolen old key dies.
let a: AttackSite;
let victim: Cert;
const BOB = 'CORP\\bob';
const AUDITOR = 'CORP\\auditor';

interface Row { name: string; kind: string; serial: string; fingerprint: string | null; current: boolean; revoked: boolean }

const serialOf = (pem: string) => normalizeSerial(new X509Certificate(pem).serialNumber);
const fingerprintOf = (name: 'proxy' | 'repository' | 'engine') => new X509Certificate(readFileSync(sitePaths(a.site.dataDir).cert(name))).fingerprint256;

/** A ticket request on the proxy API port with `cert`: 201, or the TLS/HTTP failure as a string. */
async function ticketWith(cert: Cert): Promise<number | string> {
  try {
    const r = await httpRequest(a.site, a.site.ports.proxyApi, '/qps/ticket', { method: 'POST', cert, body: { UserDirectory: 'CORP', UserId: 'carol', Attributes: [] } });
    return r.status;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code ?? String(e);
  }
}

async function inventory(): Promise<Row[]> {
  return ok<{ certificates: Row[] }>(await a.as(ADMIN, 'GET', '/qrs/sitecertificates'), 'inventory').certificates;
}

beforeAll(async () => {
  a = await startAttackSite();
  victim = await integrationCert(a.site, 'victim');
  ok(await a.client('/qrs/app', { headers: { Cookie: await a.login(BOB) } }), 'bob exists');
}, 180_000);

afterAll(async () => {
  closeZoneStores();
  await a?.stop();
});

describe('Elevation of privilege › console certificate actions', { timeout: 60_000 }, () => {
  it('certificate actions: a user without RootAdmin cannot revoke or rotate a certificate (403, audited, nothing changes), not even an AuditAdmin', async () => {
    const before = readFileSync(sitePaths(a.site.dataDir).issued, 'utf8');
    const revoke = await a.as(BOB, 'POST', '/qrs/sitecertificates/revoke', { serial: serialOf(victim.cert), name: 'victim' });
    const rotate = await a.as(BOB, 'POST', '/qrs/sitecertificates/rotate', { name: 'engine', fingerprint: fingerprintOf('engine') });
    expect([revoke.status, rotate.status]).toEqual([403, 403]);
    expect(readFileSync(sitePaths(a.site.dataDir).issued, 'utf8')).toBe(before);
    expect(await ticketWith(victim)).toBe(201);
    const denials = (await auditRecords(a.site, 'access.denied')).filter((r) => r.actor.user === BOB);
    expect(denials.map((r) => (r.details as { operation?: string }).operation)).toEqual(expect.arrayContaining(['RevokeSiteCertificate', 'RotateSiteCertificate']));

    // AuditAdmin reads the inventory (Read on Certificate) but may not act on it (no Update).
    ok(await a.client('/qrs/app', { headers: { Cookie: await a.login(AUDITOR) } }), 'the auditor exists');
    const id = (ok<{ id: string }[]>(await a.as(ADMIN, 'GET', `/qrs/user?filter=${encodeURIComponent("userId eq 'auditor'")}`), 'auditor id')[0] as { id: string }).id;
    const user = ok<Record<string, unknown>>(await a.as(ADMIN, 'GET', `/qrs/user/${id}`), 'auditor');
    ok(await a.as(ADMIN, 'PUT', `/qrs/user/${id}`, { ...user, roles: ['AuditAdmin'] }), 'make the auditor an AuditAdmin');
    expect((await a.as(AUDITOR, 'GET', '/qrs/sitecertificates')).status).toBe(200);
    expect((await a.as(AUDITOR, 'POST', '/qrs/sitecertificates/revoke', { serial: serialOf(victim.cert), name: 'victim' })).status).toBe(403);
    expect((await a.as(AUDITOR, 'POST', '/qrs/sitecertificates/rotate', { name: 'engine', fingerprint: fingerprintOf('engine') })).status).toBe(403);
    expect(readFileSync(sitePaths(a.site.dataDir).issued, 'utf8')).toBe(before);
    expect(await ticketWith(victim)).toBe(201);
  });
});

describe('Tampering › console certificate actions', { timeout: 60_000 }, () => {
  it('certificate actions: a wrong or stale confirmation (fingerprint, name, serial) is refused and changes nothing', async () => {
    const paths = sitePaths(a.site.dataDir);
    const before = readFileSync(paths.issued, 'utf8');
    const engineFp = fingerprintOf('engine');
    // The engine's fingerprint offered for the proxy: a page showing another certificate.
    const wrong = await a.as(ADMIN, 'POST', '/qrs/sitecertificates/rotate', { name: 'proxy', fingerprint: engineFp });
    expect(wrong.status).toBe(409);
    expect(wrong.text).toMatch(/fingerprint/);
    // The portal's name with the victim's serial: the confirmation must name the same certificate.
    const mismatch = await a.as(ADMIN, 'POST', '/qrs/sitecertificates/revoke', { serial: serialOf(victim.cert), name: 'portal' });
    expect(mismatch.status).toBe(409);
    // A service certificate cannot be revoked from the console (it would take the service down).
    const service = await a.as(ADMIN, 'POST', '/qrs/sitecertificates/revoke', { serial: serialOf(readFileSync(paths.cert('proxy'), 'utf8')), name: 'proxy' });
    expect(service.status).toBe(409);
    expect(service.text).toMatch(/not an exported integration certificate/);
    const malformed = await a.as(ADMIN, 'POST', '/qrs/sitecertificates/rotate', { name: 'engine', fingerprint: 'not-a-fingerprint' });
    expect(malformed.status).toBe(400);
    expect(malformed.text).toMatch(/body\.fingerprint/);
    expect(readFileSync(paths.issued, 'utf8')).toBe(before);
    expect(fingerprintOf('proxy')).not.toBe(engineFp);

    // Stale: after a rotation, the fingerprint the page showed before is refused.
    const rotated = await a.as(ADMIN, 'POST', '/qrs/sitecertificates/rotate', { name: 'engine', fingerprint: engineFp });
    expect(rotated.status, rotated.text).toBe(200);
    const again = await a.as(ADMIN, 'POST', '/qrs/sitecertificates/rotate', { name: 'engine', fingerprint: engineFp });
    expect(again.status).toBe(409);
  });
});

describe('Spoofing › console certificate actions', { timeout: 90_000 }, () => {
  it('certificate actions: an integration certificate revoked in the console cannot get tickets at the proxy API any more; others still can', async () => {
    expect(await ticketWith(victim)).toBe(201); // control
    const serial = serialOf(victim.cert);
    const shown = (await inventory()).find((c) => c.serial === serial);
    expect(shown).toMatchObject({ name: 'victim', kind: 'integration', revoked: false });
    const r = await a.as(ADMIN, 'POST', '/qrs/sitecertificates/revoke', { serial, name: 'victim' });
    expect(r.status, r.text).toBe(200);
    // Every listener picks a CRL change up within about 2 s (file poll + reload): bounded poll.
    await eventually(async () => (await ticketWith(victim)) !== 201, 'the proxy API to refuse the revoked certificate', 10_000);
    const refused = await ticketWith(victim);
    expect(typeof refused === 'string' || refused === 401 || refused === 403, String(refused)).toBe(true);
    expect(await ticketWith(a.portal)).toBe(201);
    expect((await inventory()).find((c) => c.serial === serial)?.revoked).toBe(true);
    const rec = (await auditRecords(a.site, 'certificate.revoke')).find((x) => x.target?.id === serial);
    expect(rec).toMatchObject({ actor: { user: ADMIN }, outcome: 'success', details: { name: 'victim', via: 'console' } });
    // Revoking it again is a stale action.
    expect((await a.as(ADMIN, 'POST', '/qrs/sitecertificates/revoke', { serial, name: 'victim' })).status).toBe(409);
  });

  it('certificate actions: a service rotated in the console keeps serving, and its stolen old key dies after the grace period', async () => {
    const paths = sitePaths(a.site.dataDir);
    const stolen = { cert: readFileSync(paths.cert('repository'), 'utf8'), key: readFileSync(paths.key('repository'), 'utf8') };
    expect(await zoneAccepts(a.site, stolen)).toMatchObject({ engine: true }); // control
    const r = await a.as(ADMIN, 'POST', '/qrs/sitecertificates/rotate', { name: 'repository', fingerprint: fingerprintOf('repository'), graceSeconds: 1 });
    const body = ok<{ rotated: { serial: string; previousSerial: string; fingerprint: string } }>(r, 'rotate');
    expect(body.rotated.previousSerial).toBe(serialOf(stolen.cert));
    expect(body.rotated.fingerprint).toBe(fingerprintOf('repository'));
    // The running repository's retirement timer puts the old one on the CRL after the grace period.
    await eventually(async () => (await zoneAccepts(a.site, stolen)).engine === false, 'the replaced repository certificate to be refused', 20_000);
    // The repository presents the new certificate (its own health answer) and keeps answering.
    await eventually(async () => {
      const s = ok<{ services: { service: string; status: string; certificateSerial?: string }[] }>(await a.as(ADMIN, 'GET', '/qrs/sitestatus'), 'status');
      return s.services.some((x) => x.service === 'repository' && x.status === 'ok' && x.certificateSerial !== undefined && normalizeSerial(x.certificateSerial) === body.rotated.serial);
    }, 'the repository to present its new certificate', 10_000);
    expect(a.site.ports.proxyApi).toBeGreaterThan(0);
    expect(await ticketWith(a.portal)).toBe(201);
    expect((await a.as(ADMIN, 'GET', '/qrs/app')).status).toBe(200);
    const issued = (await auditRecords(a.site, 'certificate.issue')).find((x) => x.target?.id === body.rotated.serial);
    expect(issued).toMatchObject({ actor: { user: ADMIN }, details: { name: 'repository', via: 'console', replaces: body.rotated.previousSerial } });
  });
});
