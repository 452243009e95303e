import { existsSync, renameSync, rmSync } from 'node:fs';
import { type IssuedCertificate } from './certificate-issuer';
import { recordOf } from './issued-registry';
import { normalizeSerial, parseCertificate } from './pem';
import { isServiceName, type ServiceName } from './service-identity';
import { loadCaFromFiles, openSite, writeRegistryAndCrl } from './site-ca';
import { CLI_INTEGRATION_NAME, issueClientFacingCertificate, issueIntegrationCertificate, issueServiceCertificate } from './site-certificates';
import { readSmallFile, writeFileAtomic } from './site-files';
import { CERT_FILE_MODE, KEY_FILE_MODE, type SitePaths } from './site-layout';
import { withSiteLock } from './site-lock';
import { TrustError, TrustErrorCode } from './trust.error';

export type RotatableCert = ServiceName | 'cli' | 'client-facing';

export interface RotationResult {
  name: RotatableCert;
  serial: string;
  previousSerial: string | undefined;
  notAfter: Date;
}

export function isRotatable(name: string): name is RotatableCert {
  return isServiceName(name) || name === 'cli' || name === 'client-facing';
}

/**
 * Issues a fresh key and certificate for one on-disk identity and swaps them in. Both files are
 * fully written under temp names first, then renamed back to back; a TrustStore that catches the
 * instant between the two renames sees a key/cert mismatch and retries instead of failing. The old
 * certificate is not revoked: it simply stops being presented. The CRL is re-signed on the way,
 * which keeps its nextUpdate fresh on every routine rotation.
 */
export async function rotateServiceCert(dataDir: string, name: RotatableCert, opts: { validityDays?: number } = {}): Promise<RotationResult> {
  if (!isRotatable(name)) throw new TrustError(TrustErrorCode.InvalidArgument, `cannot rotate '${String(name)}': expected proxy, repository, engine, cli or client-facing`);
  const site = openSite(dataDir);
  return withSiteLock(site.paths.lock, async () => {
    const { paths, manifest } = site;
    const registry = openSite(dataDir).registry; // re-read under the lock
    const root = loadCaFromFiles(paths, 'root');
    const days = opts.validityDays === undefined ? {} : { validityDays: opts.validityDays };
    let issued: IssuedCertificate;
    if (name === 'client-facing') issued = await issueClientFacingCertificate(loadCaFromFiles(paths, 'client-facing-ca'), manifest, days);
    else if (name === 'cli') issued = await issueIntegrationCertificate(root, manifest, CLI_INTEGRATION_NAME, days);
    else issued = await issueServiceCertificate(root, manifest, name, days);

    const previousSerial = currentSerial(paths, name);
    const recordName = name === 'cli' ? CLI_INTEGRATION_NAME : name;
    const kind = name === 'client-facing' ? 'client-facing' : name === 'cli' ? 'integration' : 'service';
    const record = recordOf(recordName, kind, name === 'client-facing' ? 'client-facing-ca' : 'root', issued, issued.identity);
    writeRegistryAndCrl(paths, root, { ...registry, certificates: [...registry.certificates, record] });
    swapPair(paths, name, issued);
    return { name, serial: issued.serial, previousSerial, notAfter: issued.notAfter };
  });
}

function currentSerial(paths: SitePaths, name: string): string | undefined {
  try {
    return normalizeSerial(parseCertificate(readSmallFile(paths.cert(name)), paths.cert(name)).serialNumber);
  } catch {
    return undefined;
  }
}

function swapPair(paths: SitePaths, name: string, issued: IssuedCertificate): void {
  const keyTmp = `${paths.key(name)}.rotating`;
  const certTmp = `${paths.cert(name)}.rotating`;
  try {
    writeFileAtomic(keyTmp, issued.keyPem, KEY_FILE_MODE);
    writeFileAtomic(certTmp, issued.certPem, CERT_FILE_MODE);
    renameSync(keyTmp, paths.key(name));
    renameSync(certTmp, paths.cert(name));
  } finally {
    for (const f of [keyTmp, certTmp]) if (existsSync(f)) rmSync(f, { force: true });
  }
}
