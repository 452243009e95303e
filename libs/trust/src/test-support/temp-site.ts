import { cpSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { certificateAuthorityFromPem, type CertificateAuthority } from '../certificate-authority';
import { initSite, type InitializedSite } from '../site-init';
import { sitePaths } from '../site-layout';

export interface TempSite extends InitializedSite {
  root: CertificateAuthority;
  clientFacingCa: CertificateAuthority;
  cleanup(): void;
}

/** A real site in a fresh temp dir (real files, real modes), for tests only. */
export async function createTempSite(options: { hosts?: string[]; serviceValidityDays?: number } = {}): Promise<TempSite> {
  const dataDir = join(mkdtempSync(join(tmpdir(), 'tz-trust-')), 'data');
  const site = await initSite({
    dataDir,
    siteName: 'test-site',
    hosts: options.hosts ?? ['tz.test'],
    admin: 'CORP\\admin',
    ...(options.serviceValidityDays ? { serviceValidityDays: options.serviceValidityDays } : {}),
  });
  const ca = (name: string) => certificateAuthorityFromPem(readFileSync(site.paths.cert(name), 'utf8'), readFileSync(site.paths.key(name), 'utf8'));
  return {
    ...site,
    root: ca('root'),
    clientFacingCa: ca('client-facing-ca'),
    cleanup: () => rmSync(join(dataDir, '..'), { recursive: true, force: true }),
  };
}

let template: Promise<TempSite> | undefined;

/**
 * A private copy (files and modes) of one site generated once per test file: each test gets its
 * own real files to mutate without paying for seven RSA keys every time. Copies share the site id
 * and keys, which no test relies on being unique.
 */
export async function cloneTempSite(): Promise<TempSite> {
  template ??= createTempSite().then((t) => {
    process.once('exit', () => t.cleanup());
    return t;
  });
  const t = await template;
  const dataDir = join(mkdtempSync(join(tmpdir(), 'tz-trust-')), 'data');
  cpSync(t.paths.dataDir, dataDir, { recursive: true, preserveTimestamps: true });
  return { ...t, paths: sitePaths(dataDir), cleanup: () => rmSync(join(dataDir, '..'), { recursive: true, force: true }) };
}
