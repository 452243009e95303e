import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { recordOf, writeIssuedRegistry } from './issued-registry';
import { INTEGRATION_NAME } from './service-identity';
import { loadCaFromFiles, openSite } from './site-ca';
import { issueIntegrationCertificate } from './site-certificates';
import { ensureDir, writeFileAtomic } from './site-files';
import { CERT_FILE_MODE, KEY_FILE_MODE } from './site-layout';
import { withSiteLock } from './site-lock';
import { TrustError, TrustErrorCode } from './trust.error';

export interface ExportResult {
  name: string;
  serial: string;
  notAfter: Date;
  files: { root: string; client: string; clientKey: string };
}

/**
 * Qlik's certificate export: `root.pem`, `client.pem`, `client_key.pem` for a named integration
 * identity (`urn:trustzone:<site>:integration:<name>`), recorded in issued.json and revocable by
 * name. The key is written only to `outDir` (0600), never kept in the site. Existing files are not
 * overwritten, and a name already held by a live certificate is refused.
 */
export async function exportIntegrationCert(dataDir: string, name: string, outDir: string, opts: { validityDays?: number } = {}): Promise<ExportResult> {
  if (!INTEGRATION_NAME.test(name)) {
    throw new TrustError(TrustErrorCode.InvalidArgument, `integration name must match [a-z0-9][a-z0-9._-]{0,63}: ${JSON.stringify(name.slice(0, 80))}`);
  }
  const out = resolve(outDir);
  const files = { root: join(out, 'root.pem'), client: join(out, 'client.pem'), clientKey: join(out, 'client_key.pem') };
  const site = openSite(dataDir);
  return withSiteLock(site.paths.lock, async () => {
    const registry = openSite(dataDir).registry;
    const taken = registry.certificates.find((r) => r.name === name && (r.kind !== 'integration' || r.revokedAt === undefined));
    if (taken) throw new TrustError(TrustErrorCode.NameTaken, `the name '${name}' is already used by ${taken.kind} certificate ${taken.serial}`);
    for (const f of Object.values(files)) {
      if (existsSync(f)) throw new TrustError(TrustErrorCode.InvalidArgument, `${f}: already exists; choose an empty directory`, f);
    }
    const root = loadCaFromFiles(site.paths, 'root');
    const issued = await issueIntegrationCertificate(root, site.manifest, name, opts.validityDays === undefined ? {} : { validityDays: opts.validityDays });
    if (!existsSync(out)) ensureDir(out, 0o700);
    writeFileAtomic(files.root, root.certPem, CERT_FILE_MODE);
    writeFileAtomic(files.client, issued.certPem, CERT_FILE_MODE);
    writeFileAtomic(files.clientKey, issued.keyPem, KEY_FILE_MODE);
    writeIssuedRegistry(site.paths.issued, { ...registry, certificates: [...registry.certificates, recordOf(name, 'integration', 'root', issued, issued.identity)] });
    return { name, serial: issued.serial, notAfter: issued.notAfter, files };
  });
}
