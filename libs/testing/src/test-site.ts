import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  certificateAuthorityFromPem,
  initSite,
  issueCertificate,
  openTrustStore,
  type CertificateAuthority,
  type InitializedSite,
  type ServiceIdentity,
  type TrustStore,
} from '@trustzone/trust';

export interface TestSite extends InitializedSite {
  dataDir: string;
  siteId: string;
  rootCa: CertificateAuthority;
  clientFacingCa: CertificateAuthority;
  /** A TrustStore for one of the site's cert names (proxy, repository, engine, cli, …); closed by cleanup(). */
  store(name: string, certsDir?: string): TrustStore;
  cleanup(): void;
}

/** A real site (real CA, real keys, real file modes) in a temp dir. */
export async function createTestSite(options: { siteName?: string; admin?: string } = {}): Promise<TestSite> {
  const base = mkdtempSync(join(tmpdir(), 'tz-site-'));
  const dataDir = join(base, 'data');
  const site = await initSite({ dataDir, siteName: options.siteName ?? 'test', hosts: ['tz.test'], admin: options.admin ?? 'CORP\\admin' });
  const ca = (name: string) => certificateAuthorityFromPem(readFileSync(site.paths.cert(name), 'utf8'), readFileSync(site.paths.key(name), 'utf8'));
  const stores: TrustStore[] = [];
  return {
    ...site,
    dataDir,
    siteId: site.manifest.siteId,
    rootCa: ca('root'),
    clientFacingCa: ca('client-facing-ca'),
    store(name, certsDir = site.paths.certs) {
      const s = openTrustStore({ certsDir, name, pollMs: 100 });
      stores.push(s);
      return s;
    },
    cleanup() {
      for (const s of stores) s.close();
      rmSync(base, { recursive: true, force: true });
    },
  };
}

/** Issues a leaf certificate from `ca` into `dir` as `<name>.pem` / `<name>_key.pem` (mode 0600), e.g. expired ones. */
export async function writeTestCert(
  dir: string,
  name: string,
  ca: CertificateAuthority,
  options: { identity?: ServiceIdentity; notBefore?: Date; notAfter?: Date; usage?: ('serverAuth' | 'clientAuth')[] },
): Promise<void> {
  const { writeFileSync, mkdirSync } = await import('node:fs');
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const issued = await issueCertificate({
    ca,
    commonName: name,
    ...(options.identity ? { identity: options.identity } : {}),
    dnsNames: ['localhost'],
    ipAddresses: ['127.0.0.1'],
    usage: options.usage ?? ['serverAuth', 'clientAuth'],
    ...(options.notBefore ? { notBefore: options.notBefore } : {}),
    ...(options.notAfter ? { notAfter: options.notAfter } : {}),
  });
  writeFileSync(join(dir, `${name}.pem`), issued.certPem, { mode: 0o644 });
  writeFileSync(join(dir, `${name}_key.pem`), issued.keyPem, { mode: 0o600 });
}
