import { X509Certificate, createPrivateKey } from 'node:crypto';
import { readFileSync, statSync, writeFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { refreshCrl, retireDueCertificates, revokeCert } from './cert-revocation';
import { RETIREMENT_GRACE_SECONDS } from './cert-retirement';
import { rotateServiceCert } from './cert-rotation';
import { certsStatus } from './certs-status';
import { createCrl } from './crl-builder';
import { parseCrls } from './crl-reader';
import { exportIntegrationCert } from './integration-export';
import { readIssuedRegistry } from './issued-registry';
import { identityFromCertificate } from './peer-certificate';
import { normalizeSerial } from './pem';
import { loadCaFromFiles } from './site-ca';
import { loadTlsMaterial } from './tls-material';
import { TrustErrorCode } from './trust.error';
import { cloneTempSite, type TempSite } from './test-support/temp-site';

const DAY = 86_400_000;
let site: TempSite;
beforeEach(async () => {
  site = await cloneTempSite();
});
afterEach(() => site.cleanup());

const serialOf = (name: string) => normalizeSerial(new X509Certificate(readFileSync(site.paths.cert(name))).serialNumber);
const crlSerials = () => parseCrls(readFileSync(site.paths.crl, 'utf8'), [new X509Certificate(site.root.certPem)])[0]!.revokedSerials;

describe('rotateServiceCert', () => {
  it('replaces key and certificate, records the new one and schedules the old one for revocation after the grace period', async () => {
    const old = serialOf('engine');
    const crlNumber = readIssuedRegistry(site.paths.issued).crlNumber;
    const start = Date.now();
    const r = await rotateServiceCert(site.paths.dataDir, 'engine', { validityDays: 10 });
    expect(r.previousSerial).toBe(old);
    expect(serialOf('engine')).toBe(r.serial);
    const m = loadTlsMaterial({ certsDir: site.paths.certs, name: 'engine' }); // validates key/cert/CA/CRL as a set
    expect(m.serial).toBe(r.serial);
    expect(Math.round((r.notAfter.getTime() - Date.now()) / DAY)).toBe(10);
    expect(statSync(site.paths.key('engine')).mode & 0o777).toBe(0o600);
    const registry = readIssuedRegistry(site.paths.issued);
    expect(registry.certificates.filter((c) => c.name === 'engine').map((c) => c.serial)).toEqual([old, r.serial]);
    expect(registry.crlNumber).toBe(crlNumber + 1);
    // Still valid during the grace period (services switch over), then revoked as of its end.
    expect(r.retiring).toEqual([old]);
    expect(r.retireAt!.getTime() - start).toBeGreaterThanOrEqual(RETIREMENT_GRACE_SECONDS * 1000);
    expect(crlSerials().has(old)).toBe(false);
    expect(await retireDueCertificates(site.paths.dataDir, new Date(r.retireAt!.getTime() - 1))).toEqual([]);
    const retired = await retireDueCertificates(site.paths.dataDir, new Date(r.retireAt!.getTime() + 1));
    expect(retired.map((c) => c.serial)).toEqual([old]);
    expect(crlSerials().has(old)).toBe(true);
    const revokedAt = parseCrls(readFileSync(site.paths.crl, 'utf8'), [new X509Certificate(site.root.certPem)])[0]!.revokedAt.get(old);
    expect(Math.floor(revokedAt!.getTime() / 1000)).toBe(Math.floor(r.retireAt!.getTime() / 1000));
    expect(loadTlsMaterial({ certsDir: site.paths.certs, name: 'engine' }).serial).toBe(r.serial);
  });

  it('retires every older certificate of the name, and with no grace period at once; the client-facing one is only replaced', async () => {
    const first = serialOf('proxy');
    const second = await rotateServiceCert(site.paths.dataDir, 'proxy', { graceSeconds: 3600 });
    const third = await rotateServiceCert(site.paths.dataDir, 'proxy', { graceSeconds: 0 });
    expect(third.retired.map((c) => c.serial).sort()).toEqual([first, second.serial].sort());
    expect(third.retiring).toEqual([]);
    expect(crlSerials()).toEqual(new Set([first, second.serial]));
    expect(loadTlsMaterial({ certsDir: site.paths.certs, name: 'proxy' }).serial).toBe(third.serial);
    const cf = await rotateServiceCert(site.paths.dataDir, 'client-facing', { graceSeconds: 0 });
    expect(cf).toMatchObject({ retiring: [], retireAt: undefined });
    await expect(rotateServiceCert(site.paths.dataDir, 'engine', { graceSeconds: -1 })).rejects.toMatchObject({ code: TrustErrorCode.InvalidArgument });
  });

  it('a CRL written for any other reason revokes the retirements that are due', async () => {
    const old = serialOf('repository');
    const r = await rotateServiceCert(site.paths.dataDir, 'repository', { graceSeconds: 1 });
    await new Promise((done) => setTimeout(done, 1100));
    const refreshed = await refreshCrl(site.paths.dataDir);
    expect(refreshed.retired.map((c) => c.serial)).toEqual([old]);
    expect(crlSerials()).toEqual(new Set([old]));
    expect(r.serial).toBe(serialOf('repository'));
  });

  it('refuses an unknown target', async () => {
    await expect(rotateServiceCert(site.paths.dataDir, 'root' as never)).rejects.toMatchObject({ code: TrustErrorCode.InvalidArgument });
  });
});

describe('refreshCrl', () => {
  it('re-signs an expired CRL with the same revoked serials, and the site loads again', async () => {
    await revokeCert(site.paths.dataDir, 'engine', { includeCurrent: true });
    const revoked = crlSerials();
    expect(revoked.size).toBe(1);
    // The CRL a year after the last revoke: same entries, signed by the site CA, past its nextUpdate.
    const past = Date.now() - 2 * DAY;
    const entries = [...revoked].map((serial) => ({ serial, revokedAt: new Date(past - DAY) }));
    writeFileSync(site.paths.crl, createCrl(loadCaFromFiles(site.paths, 'root'), entries, { thisUpdate: new Date(past - DAY), nextUpdate: new Date(past), crlNumber: 1 }));
    expect(() => loadTlsMaterial({ certsDir: site.paths.certs, name: 'proxy' })).toThrow(/CRL expired/);
    expect(certsStatus(site.paths.dataDir).crlWarning).toMatch(/expired on .*tz certs refresh-crl/);

    const before = readIssuedRegistry(site.paths.issued).crlNumber;
    const { crlNumber } = await refreshCrl(site.paths.dataDir);
    expect(crlNumber).toBe(before + 1);
    expect(crlSerials()).toEqual(revoked);
    expect(loadTlsMaterial({ certsDir: site.paths.certs, name: 'proxy' }).serial).toBe(serialOf('proxy'));
    const status = certsStatus(site.paths.dataDir);
    expect(status.crlWarning).toBeUndefined();
    expect(Math.round((status.crlNextUpdate!.getTime() - Date.now()) / DAY)).toBe(365);
    // 30 days ahead of the new nextUpdate, status warns again.
    expect(certsStatus(site.paths.dataDir, new Date(Date.now() + 340 * DAY)).crlWarning).toMatch(/expires in 2[45] day\(s\).*tz certs refresh-crl/);
  });
});

describe('revokeCert', () => {
  it('revokes by serial and by name (every unrevoked cert of that name, the one in use only when asked)', async () => {
    const cliSerial = serialOf('cli');
    await revokeCert(site.paths.dataDir, cliSerial.toLowerCase(), { includeCurrent: true });
    expect(crlSerials()).toEqual(new Set([cliSerial]));

    const first = serialOf('proxy');
    const rotated = await rotateServiceCert(site.paths.dataDir, 'proxy', { graceSeconds: 3600 });
    const byName = await revokeCert(site.paths.dataDir, 'proxy');
    expect(byName.revoked.map((r) => r.serial)).toEqual([first]);
    expect(byName.keptInUse.map((r) => r.serial)).toEqual([rotated.serial]);
    expect(crlSerials()).toEqual(new Set([cliSerial, first]));
    const all = await revokeCert(site.paths.dataDir, 'proxy', { includeCurrent: true });
    expect(all.revoked.map((r) => r.serial)).toEqual([rotated.serial]);
    expect(crlSerials()).toEqual(new Set([cliSerial, first, rotated.serial]));
    expect(readIssuedRegistry(site.paths.issued).certificates.filter((c) => c.revokedAt).length).toBe(3);
  });

  it('refuses to revoke the certificate a service presents, by name or serial, unless asked', async () => {
    const engine = serialOf('engine');
    for (const target of ['engine', engine]) {
      await expect(revokeCert(site.paths.dataDir, target)).rejects.toMatchObject({ code: TrustErrorCode.CertInUse, message: expect.stringContaining('tz certs rotate engine') });
    }
    expect(crlSerials().size).toBe(0);
  });

  it('serializes concurrent revokes so neither is lost from the CRL', async () => {
    await Promise.all([revokeCert(site.paths.dataDir, 'engine', { includeCurrent: true }), revokeCert(site.paths.dataDir, 'repository', { includeCurrent: true })]);
    expect(crlSerials()).toEqual(new Set([serialOf('engine'), serialOf('repository')]));
  });

  it.each([
    ['an unknown name', 'nosuch', TrustErrorCode.UnknownCert],
    ['an unknown serial', 'DEADBEEFDEADBEEF', TrustErrorCode.UnknownCert],
    ['the site CA', 'root', TrustErrorCode.NotRevocable],
    ['the client-facing certificate', 'client-facing', TrustErrorCode.NotRevocable],
  ])('refuses %s', async (_label, target, code) => {
    await expect(revokeCert(site.paths.dataDir, target)).rejects.toMatchObject({ code });
  });

  it('says so when the certificate is already revoked', async () => {
    await revokeCert(site.paths.dataDir, 'engine', { includeCurrent: true });
    await expect(revokeCert(site.paths.dataDir, 'engine', { includeCurrent: true })).rejects.toThrow(/already revoked/);
  });
});

describe('exportIntegrationCert', () => {
  it('writes root.pem, client.pem and a 0600 client_key.pem for a revocable integration identity', async () => {
    const out = join(site.paths.dataDir, '..', 'export');
    const r = await exportIntegrationCert(site.paths.dataDir, 'portal', out);
    const client = new X509Certificate(readFileSync(r.files.client));
    const root = new X509Certificate(readFileSync(r.files.root));
    expect(root.fingerprint256).toBe(new X509Certificate(site.root.certPem).fingerprint256);
    expect(client.verify(root.publicKey)).toBe(true);
    expect(client.checkPrivateKey(createPrivateKey(readFileSync(r.files.clientKey)))).toBe(true);
    expect(identityFromCertificate(client)).toEqual({ kind: 'integration', siteId: site.manifest.siteId, name: 'portal' });
    expect(client.keyUsage).toEqual(['1.3.6.1.5.5.7.3.2']);
    expect(statSync(r.files.clientKey).mode & 0o777).toBe(0o600);
    expect(readIssuedRegistry(site.paths.issued).certificates.find((c) => c.name === 'portal')?.serial).toBe(r.serial);

    await expect(exportIntegrationCert(site.paths.dataDir, 'portal', join(out, 'again'))).rejects.toMatchObject({ code: TrustErrorCode.NameTaken });
    await revokeCert(site.paths.dataDir, 'portal');
    expect(crlSerials().has(r.serial)).toBe(true);
    await expect(exportIntegrationCert(site.paths.dataDir, 'portal', join(out, 'again'))).resolves.toMatchObject({ name: 'portal' });
  });

  it.each([
    ['a name outside [a-z0-9._-]', 'Portal!', TrustErrorCode.InvalidArgument],
    ['a service name', 'proxy', TrustErrorCode.NameTaken],
    ['the CLI identity', 'tz-cli', TrustErrorCode.NameTaken],
  ])('refuses %s', async (_label, name, code) => {
    await expect(exportIntegrationCert(site.paths.dataDir, name, join(site.paths.dataDir, '..', 'x'))).rejects.toMatchObject({ code });
  });

  it('does not overwrite existing files', async () => {
    const out = join(site.paths.dataDir, '..', 'busy');
    mkdirSync(out);
    writeFileSync(join(out, 'client_key.pem'), 'precious');
    await expect(exportIntegrationCert(site.paths.dataDir, 'portal', out)).rejects.toThrow(join(out, 'client_key.pem'));
    expect(readFileSync(join(out, 'client_key.pem'), 'utf8')).toBe('precious');
  });
});

describe('certsStatus', () => {
  it('reports every current certificate, days left, revocation and short-expiry warnings', async () => {
    const rotated = await rotateServiceCert(site.paths.dataDir, 'repository', { validityDays: 3 });
    await revokeCert(site.paths.dataDir, 'engine', { includeCurrent: true });
    await exportIntegrationCert(site.paths.dataDir, 'portal', join(site.paths.dataDir, '..', 'e'));
    const status = certsStatus(site.paths.dataDir);
    const byName = (n: string) => status.certificates.filter((c) => c.name === n && c.current);
    for (const n of ['root', 'client-facing-ca', 'client-facing', 'proxy', 'repository', 'engine', 'tz-cli']) expect(byName(n)).toHaveLength(1);
    const repo = byName('repository')[0]!;
    expect(repo.serial).toBe(serialOf('repository'));
    expect(repo.daysLeft).toBe(Math.floor((repo.notAfter.getTime() - Date.now()) / DAY));
    expect(repo.warning).toMatch(/expires in 2 day/);
    expect(byName('proxy')[0]!.warning).toBeUndefined();
    expect(byName('engine')[0]!.revoked).toBe(true);
    expect(byName('proxy')[0]!.identity).toBe(`urn:trustzone:${site.manifest.siteId}:proxy`);
    expect(status.certificates.find((c) => c.name === 'portal')).toMatchObject({ current: false, kind: 'integration', revoked: false });
    const replaced = status.certificates.filter((c) => c.name === 'repository' && !c.current);
    expect(replaced).toHaveLength(1);
    expect(replaced[0]).toMatchObject({ revoked: false, retireAt: rotated.retireAt });
    expect(replaced[0]!.warning).toBeUndefined();
    // Past its retirement time and still not on the CRL: status says so and what to run.
    const later = certsStatus(site.paths.dataDir, new Date(rotated.retireAt!.getTime() + 1000));
    expect(later.certificates.find((c) => c.serial === replaced[0]!.serial)?.warning).toMatch(/due for revocation.*tz certs refresh-crl/);
    expect(status.layoutWarning).toBeUndefined();
  });

  it('names the file when a certificate is malformed or missing', () => {
    writeFileSync(site.paths.cert('engine'), '-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n');
    expect(() => certsStatus(site.paths.dataDir)).toThrow(expect.objectContaining({ code: TrustErrorCode.PemInvalid, file: site.paths.cert('engine') }));
  });
});

describe('test fixture', () => {
  it('clones keep the modes the site was created with', () => {
    expect(statSync(site.paths.key('root')).mode & 0o777).toBe(0o600);
    expect(statSync(site.paths.certs).mode & 0o777).toBe(0o700);
  });
});
