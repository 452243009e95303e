import { X509Certificate } from 'node:crypto';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { parseCrls } from './crl-reader';
import { readIssuedRegistry } from './issued-registry';
import { identityFromCertificate } from './peer-certificate';
import { normalizeSerial } from './pem';
import { initSite } from './site-init';
import { sitePaths } from './site-layout';
import { readSiteManifest } from './site-manifest';
import { loadTlsMaterial } from './tls-material';
import { TrustErrorCode } from './trust.error';
import { snapshotTree } from './test-support/tree-snapshot';

const DAY = 86_400_000;
let base: string;
let dataDir: string;
const input = { siteName: 'Acme Prod', hosts: ['TZ.example.com', '10.0.0.5'], admin: 'CORP\\admin' };

beforeEach(() => {
  base = mkdtempSync(join(tmpdir(), 'tz-init-'));
  dataDir = join(base, 'data');
});
afterEach(() => rmSync(base, { recursive: true, force: true }));

const mode = (p: string) => statSync(p).mode & 0o777;

describe('initSite', () => {
  it('lays out the site with the documented files, modes and contents', async () => {
    const started = Date.now();
    const site = await initSite({ dataDir, ...input });
    expect(Date.now() - started).toBeLessThan(5000);
    const p = sitePaths(dataDir);

    const manifest = readSiteManifest(p.siteJson);
    expect(manifest).toEqual({ version: 1, siteId: site.manifest.siteId, siteName: 'Acme Prod', createdAt: site.manifest.createdAt, hosts: ['tz.example.com', '10.0.0.5'], admin: 'CORP\\admin' });
    for (const [dir, m] of [[p.certs, 0o700], [p.private, 0o700], [p.db, 0o700], [p.apps, 0o700], [p.logs, 0o750], [p.audit, 0o700], [p.keys, 0o700]] as const) expect(mode(dir)).toBe(m);
    const names = ['root', 'client-facing-ca', 'client-facing', 'proxy', 'repository', 'engine', 'cli'];
    for (const n of names) {
      expect(mode(p.cert(n))).toBe(0o644);
      expect(mode(p.keyDir(n))).toBe(0o700);
      expect(mode(p.key(n))).toBe(0o600);
      expect(readdirSync(p.keyDir(n))).toEqual([`${n}_key.pem`]); // each key alone: a deployment can mount one folder per service
    }
    // certs/ holds public material only.
    expect(readdirSync(p.certs).filter((f) => f.includes('_key'))).toEqual([]);

    const root = new X509Certificate(readFileSync(p.cert('root')));
    const cfCa = new X509Certificate(readFileSync(p.cert('client-facing-ca')));
    expect(root.subject).toContain('CN=Acme Prod-CA');
    expect(root.fingerprint256).not.toBe(cfCa.fingerprint256);
    for (const service of ['proxy', 'repository', 'engine'] as const) {
      const m = loadTlsMaterial({ certsDir: p.certs, name: service });
      expect(m.identity).toEqual({ kind: 'service', siteId: manifest.siteId, service });
      const x = new X509Certificate(m.certPem);
      for (const host of [service, 'tz.example.com', 'localhost']) expect(x.checkHost(host)).toBe(host);
      for (const ip of ['127.0.0.1', '10.0.0.5']) expect(x.checkIP(ip)).toBe(ip);
      expect(x.keyUsage).toEqual(expect.arrayContaining(['1.3.6.1.5.5.7.3.1', '1.3.6.1.5.5.7.3.2']));
      expect(Math.round((m.notAfter.getTime() - new Date(x.validFrom).getTime()) / DAY)).toBe(30);
    }
    const cli = new X509Certificate(readFileSync(p.cert('cli')));
    expect(identityFromCertificate(cli)).toEqual({ kind: 'integration', siteId: manifest.siteId, name: 'tz-cli' });
    expect(cli.keyUsage).toEqual(['1.3.6.1.5.5.7.3.2']);
    const cf = new X509Certificate(readFileSync(p.cert('client-facing')));
    expect(cf.checkIssued(cfCa) && cf.verify(cfCa.publicKey)).toBe(true);
    expect(cf.verify(root.publicKey)).toBe(false);
    expect(cf.checkHost('tz.example.com')).toBe('tz.example.com');
    expect(cf.subjectAltName).not.toContain('urn:trustzone');

    const [crl] = parseCrls(readFileSync(p.crl, 'utf8'), [root]);
    expect(crl!.revokedSerials.size).toBe(0);
    const registry = readIssuedRegistry(p.issued);
    const onDisk = names.map((n) => normalizeSerial(new X509Certificate(readFileSync(p.cert(n))).serialNumber));
    expect(registry.certificates.map((r) => r.serial).sort()).toEqual([...onDisk].sort());
    expect(registry.certificates.find((r) => r.name === 'proxy')?.identity).toBe(`urn:trustzone:${manifest.siteId}:proxy`);
  });

  it('refuses a second init without --force and leaves every file byte-identical', async () => {
    await initSite({ dataDir, ...input });
    const before = snapshotTree(dataDir);
    await expect(initSite({ dataDir, ...input, siteName: 'other' })).rejects.toMatchObject({ code: TrustErrorCode.SiteExists });
    expect(snapshotTree(dataDir)).toEqual(before);
  });

  it('recreates the site with --force: new site id, new CA, no leftovers', async () => {
    const first = await initSite({ dataDir, ...input });
    const oldRoot = readFileSync(sitePaths(dataDir).cert('root'), 'utf8');
    const second = await initSite({ dataDir, ...input, force: true });
    expect(second.manifest.siteId).not.toBe(first.manifest.siteId);
    expect(readFileSync(sitePaths(dataDir).cert('root'), 'utf8')).not.toBe(oldRoot);
    expect(readSiteManifest(sitePaths(dataDir).siteJson).siteId).toBe(second.manifest.siteId);
    expect(loadTlsMaterial({ certsDir: sitePaths(dataDir).certs, name: 'engine' }).identity?.siteId).toBe(second.manifest.siteId);
    expect(snapshotTree(base).size).toBe(snapshotTree(dataDir).size + 1); // only data/ itself beside it
  });

  it.each([
    ['a bad site name', { siteName: 'a/b' }],
    ['a bad host', { hosts: ['not a host'] }],
    ['an admin without a directory', { admin: 'admin' }],
  ])('refuses %s before creating anything', async (_label, extra) => {
    await expect(initSite({ dataDir, ...input, ...extra })).rejects.toMatchObject({ code: TrustErrorCode.InvalidArgument });
    expect(existsSync(dataDir)).toBe(false);
  });
});
