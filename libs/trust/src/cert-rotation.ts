import { existsSync, renameSync, rmSync } from 'node:fs';
import { type IssuedCertificate } from './certificate-issuer';
import { MAX_RETIREMENT_GRACE_SECONDS, RETIREMENT_GRACE_SECONDS, scheduleRetirement } from './cert-retirement';
import { recordOf, type IssuedRecord } from './issued-registry';
import { normalizeSerial, parseCertificate } from './pem';
import { isServiceName, type ServiceName } from './service-identity';
import { loadCaFromFiles, openSite, writeRegistryAndCrl } from './site-ca';
import { CLI_INTEGRATION_NAME, issueClientFacingCertificate, issueIntegrationCertificate, issueServiceCertificate } from './site-certificates';
import { ensureDir, readSmallFile, writeFileAtomic } from './site-files';
import { CERT_FILE_MODE, KEY_FILE_MODE, SITE_DIRS, type SitePaths } from './site-layout';
import { withSiteLock } from './site-lock';
import { TrustError, TrustErrorCode } from './trust.error';

export type RotatableCert = ServiceName | 'cli' | 'client-facing';

export interface RotationResult {
  name: RotatableCert;
  serial: string;
  previousSerial: string | undefined;
  notAfter: Date;
  /** The certificates this one replaces, revoked at `retireAt` (none for client-facing). */
  retiring: string[];
  retireAt: Date | undefined;
  /** Earlier replaced certificates whose grace period was over: this rotation's CRL revoked them. */
  retired: IssuedRecord[];
}

export interface RotationOptions {
  validityDays?: number;
  /** Seconds the replaced certificates stay valid (default RETIREMENT_GRACE_SECONDS). */
  graceSeconds?: number;
  now?: Date;
}

export function isRotatable(name: string): name is RotatableCert {
  return isServiceName(name) || name === 'cli' || name === 'client-facing';
}

/**
 * Issues a fresh key and certificate for one on-disk identity and swaps them in. Both files are
 * fully written under temp names first, then renamed back to back; a TrustStore that catches the
 * instant between the two renames sees a key/cert mismatch and retries instead of failing. The
 * certificates it replaces are scheduled for revocation after the grace period (cert-retirement.ts):
 * whoever stole the old key loses it with the rotation. The client-facing certificate is not on the
 * site CRL (another CA), so it is only replaced. The CRL is re-signed on the way, which keeps its
 * nextUpdate fresh on every routine rotation.
 */
export async function rotateServiceCert(dataDir: string, name: RotatableCert, opts: RotationOptions = {}): Promise<RotationResult> {
  if (!isRotatable(name)) throw new TrustError(TrustErrorCode.InvalidArgument, `cannot rotate '${String(name)}': expected proxy, repository, engine, cli or client-facing`);
  const grace = opts.graceSeconds ?? RETIREMENT_GRACE_SECONDS;
  if (!Number.isInteger(grace) || grace < 0 || grace > MAX_RETIREMENT_GRACE_SECONDS) {
    throw new TrustError(TrustErrorCode.InvalidArgument, `the grace period must be 0..${MAX_RETIREMENT_GRACE_SECONDS} seconds, got ${String(grace)}`);
  }
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
    const now = opts.now ?? new Date();
    const retireAt = new Date(now.getTime() + grace * 1000);
    const added = { ...registry, certificates: [...registry.certificates, record] };
    const { registry: scheduledRegistry, scheduled } = kind === 'client-facing' ? { registry: added, scheduled: [] } : scheduleRetirement(added, record, retireAt);
    // The new pair goes in first: a crash between the two steps must not leave the old certificate
    // on disk scheduled for revocation (the service would present a revoked certificate). The other
    // way round it leaves a new certificate that `tz certs status` reports as not recorded.
    swapPair(paths, name, issued);
    const { retired } = writeRegistryAndCrl(paths, root, scheduledRegistry, now);
    const retiring = scheduled.map((r) => r.serial).filter((s) => !retired.some((r) => r.serial === s));
    return { name, serial: issued.serial, previousSerial, notAfter: issued.notAfter, retiring, retireAt: retiring.length > 0 ? retireAt : undefined, retired };
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
  ensureDir(paths.private, SITE_DIRS.private);
  ensureDir(paths.keyDir(name), SITE_DIRS.private);
  try {
    writeFileAtomic(keyTmp, issued.keyPem, KEY_FILE_MODE);
    writeFileAtomic(certTmp, issued.certPem, CERT_FILE_MODE);
    renameSync(keyTmp, paths.key(name));
    renameSync(certTmp, paths.cert(name));
    // A site not yet moved by `tz site upgrade`: the replaced key must not stay behind in certs/.
    rmSync(paths.legacyKey(name), { force: true });
  } finally {
    for (const f of [keyTmp, certTmp]) if (existsSync(f)) rmSync(f, { force: true });
  }
}
