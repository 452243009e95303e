import { createHash, sign, X509Certificate } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { request } from 'node:https';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { encodeAppPackage, openKeyStore, parseAppPackage } from '@trustzone/app-store';
import { encodeDataModel, buildDataModel } from '@trustzone/data-model';
import { createCa, issueCertificate, readSiteManifest, sitePaths } from '@trustzone/trust';
import { createTestCertificate } from '@trustzone/testing';
import { ADMIN, ok, startAttackSite, type AttackSite } from '../test-support/attack-site';

// Tampering / spoofing › app uploads. The site's app encryption certificate is public, so anyone can
// build a package the site can decrypt: what makes an upload acceptable is the signature of an
// engine of a trusted site. A package an attacker signed with a CA of their own, even one claiming
// this site's id and engine identity, and a real export whose bytes were changed, are refused and
// create nothing; the refusal is audited.
let a: AttackSite;
let encryptionCert: string;

beforeAll(async () => {
  a = await startAttackSite();
  const key = createTestCertificate({ commonName: 'app encryption' });
  const store = await openKeyStore(sitePaths(a.site.dataDir).keys, { watch: false });
  await store.addKey(key.certPem, key.keyPem);
  store.close();
  encryptionCert = key.certPem;
  await sleep(2_500); // the engine polls its key store
}, 180_000);

afterAll(async () => {
  await a?.stop();
});

/** A package as an attacker makes it: a model without any section access, for the site's public certificate. */
async function forged(siteId: string): Promise<Buffer> {
  const ca = await createCa({ commonName: 'attacker CA' });
  const engine = await issueCertificate({ ca, commonName: 'engine', identity: { kind: 'service', siteId, service: 'engine' }, usage: ['serverAuth', 'clientAuth'] });
  const cert = new X509Certificate(encryptionCert);
  const model = buildDataModel({ tables: [{ name: 'Salaries', fields: ['NAME', 'SALARY'], columns: [['boss'], [1_000_000]] }], sectionAccess: null, variables: {} });
  return encodeAppPackage({ name: 'innocent', description: '', script: '', exportedBy: 'CORP\\admin' }, encodeDataModel(model), {
    exportedAt: new Date(),
    source: { siteId, siteName: 'e2e', appId: '00000000-0000-4000-8000-000000000000' },
    recipients: [{ thumbprint: createHash('sha256').update(cert.raw).digest('hex'), publicKey: cert.publicKey }],
    signer: { certificate: engine.certPem, sign: (b) => sign('sha256', b, engine.privateKey) },
  });
}

const upload = (file: Buffer, name: string) =>
  a.api(`/qrs/app/upload?name=${name}`, { method: 'POST', headers: { 'X-Qlik-User': 'UserDirectory=CORP; UserId=admin', 'Content-Type': 'application/vnd.qlik.sense.app' }, raw: file });

/** A download as bytes (the harness reads answers as text). */
function download(path: string): Promise<{ status: number; body: Buffer }> {
  const key = 'abcdefghijklmnop';
  return new Promise((resolve, reject) => {
    const req = request({ host: 'localhost', port: a.site.ports.proxyApi, path: `${path}?xrfkey=${key}`, ca: readFileSync(join(a.site.dataDir, 'certs', 'root.pem')), ...a.portal, headers: { 'X-Qlik-Xrfkey': key, 'X-Qlik-User': 'UserDirectory=CORP; UserId=admin' } }, (res) => {
      const parts: Buffer[] = [];
      res.on('data', (c: Buffer) => parts.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(parts) }));
    });
    req.on('error', reject);
    req.end();
  });
}

describe('Tampering › app uploads', () => {
  it('a package signed by an attacker\'s CA, claiming this site and an engine identity, is refused and creates nothing', async () => {
    const siteId = readSiteManifest(sitePaths(a.site.dataDir).siteJson).siteId;
    const before = ok<{ value: number }>(await a.as(ADMIN, 'GET', '/qrs/app/count'), 'count').value;
    const file = await forged(siteId);
    // It really is decryptable by the site: only the signature gives it away.
    expect(parseAppPackage(file).header.encryption?.recipients).toHaveLength(1);
    const r = await upload(file, 'forged');
    expect(r.status).toBe(400);
    expect(r.text).toMatch(/does not trust/);
    expect(ok<{ value: number }>(await a.as(ADMIN, 'GET', '/qrs/app/count'), 'count').value).toBe(before);
    const audit = ok<{ records: { action: string; outcome: string; reason?: string }[] }>(await a.as(ADMIN, 'GET', '/qrs/audit?action=app.import&outcome=denied'), 'audit');
    expect(audit.records.some((x) => /does not trust/.test(x.reason ?? ''))).toBe(true);
  });

  it('a real export of this site with one byte changed is refused as changed', async () => {
    const app = ok<{ id: string }>(await a.as(ADMIN, 'POST', '/qrs/app', { name: 'genuine' }), 'app');
    ok(await a.as(ADMIN, 'PUT', `/qrs/app/${app.id}/script`, { script: 'T: LOAD * INLINE [\nA\n1\n2\n];' }), 'script');
    ok(await a.as(ADMIN, 'POST', `/qrs/app/${app.id}/reload`), 'reload');
    const link = ok<{ downloadPath: string }>(await a.as(ADMIN, 'POST', `/qrs/app/${app.id}/export/0c1e5b2a-3b4c-4d5e-8f90-a1b2c3d4e5f6`, {}), 'export');
    const file = await download(link.downloadPath);
    expect(file.status).toBe(200);
    const bytes = Buffer.from(file.body);
    expect(bytes.subarray(0, 4).toString()).toBe('TZAX');
    bytes[bytes.length - 40] = (bytes[bytes.length - 40] as number) ^ 0x80;
    const r = await upload(bytes, 'changed');
    expect(r.status).toBe(400);
    expect(r.text).toMatch(/changed after it was exported/);
    // The link was single use.
    expect((await download(link.downloadPath)).status).toBe(404);
    expect(readFileSync(join(a.site.dataDir, 'apps', `${app.id}.tzapp`)).length).toBeGreaterThan(0);
  });
});
