import { type IssuedRecord } from './issued-registry';
import { nextRetirement } from './cert-retirement';
import { looksLikeSerial, normalizeSerial, parseCertificate } from './pem';
import { loadCaFromFiles, openSite, writeRegistryAndCrl } from './site-ca';
import { CLI_INTEGRATION_NAME } from './site-certificates';
import { readSmallFile } from './site-files';
import { type SitePaths } from './site-layout';
import { withSiteLock } from './site-lock';
import { TrustError, TrustErrorCode } from './trust.error';

export interface RevocationResult {
  revoked: IssuedRecord[];
  /** Certificates the target named that were left alone because a service presents them now. */
  keptInUse: IssuedRecord[];
  /** Replaced certificates whose retirement was due and that this CRL write revoked too. */
  retired: IssuedRecord[];
}

export interface RevokeOptions {
  /** Revoke the certificate a service presents right now too (it stops working at once). */
  includeCurrent?: boolean;
  now?: Date;
}

/** The certificate files services present: revoking one of them takes that service down. */
const IN_USE_FILES = ['proxy', 'repository', 'engine', 'cli'] as const;

/**
 * Puts certificates on the site CRL. `target` is a serial (one certificate) or a name (every
 * unrevoked certificate of that name: the older rotated ones still within their validity and, only
 * with `includeCurrent`, the one in use). `integration:<name>` is accepted as a name. A certificate
 * in use named by its serial is refused without `includeCurrent` too: the usual intent is "kill the
 * old key", and the safe way to kill the current one is `tz certs rotate`. CAs and the client-facing
 * certificate are not on the site CRL's issuer, so they are refused rather than silently ignored.
 */
export async function revokeCert(dataDir: string, target: string, options: RevokeOptions = {}): Promise<RevocationResult> {
  const site = openSite(dataDir);
  return withSiteLock(site.paths.lock, async () => {
    const registry = openSite(dataDir).registry;
    const matches = select(registry.certificates, target.trim());
    const refused = matches.find((r) => r.kind === 'ca' || r.kind === 'client-facing');
    if (refused) throw new TrustError(TrustErrorCode.NotRevocable, `'${refused.name}' (${refused.serial}) is not issued by the site CA and cannot be revoked; recreate the site or replace it instead`);
    const live = matches.filter((r) => r.revokedAt === undefined);
    if (live.length === 0) {
      throw new TrustError(TrustErrorCode.UnknownCert, matches.length > 0 ? `'${target}' is already revoked` : `no certificate named or numbered '${target}' in ${site.paths.issued}`);
    }
    const inUse = currentSerials(site.paths);
    const keptInUse = options.includeCurrent ? [] : live.filter((r) => inUse.has(r.serial));
    const pending = live.filter((r) => !keptInUse.includes(r));
    if (pending.length === 0) {
      const r = keptInUse[0] as IssuedRecord;
      throw new TrustError(TrustErrorCode.CertInUse, `'${r.name}' ${r.serial} is the certificate the service presents now; 'tz certs rotate ${r.name === CLI_INTEGRATION_NAME ? 'cli' : r.name}' replaces it (and revokes it after the grace period), or pass --include-current to revoke it at once`);
    }
    const at = (options.now ?? new Date()).toISOString();
    const serials = new Set(pending.map((r) => r.serial));
    const certificates = registry.certificates.map((r) => (serials.has(r.serial) ? { ...r, revokedAt: at } : r));
    const written = writeRegistryAndCrl(site.paths, loadCaFromFiles(site.paths, 'root'), { ...registry, certificates }, options.now);
    return { revoked: written.certificates.filter((r) => serials.has(r.serial)), keptInUse, retired: written.retired };
  });
}

/**
 * Re-signs the site CRL with the same revoked entries and a fresh validity (CRL_VALIDITY_DAYS).
 * Listeners refuse every peer once the CRL is past its nextUpdate (fail closed), so a site where
 * nothing is revoked or rotated for a year needs this; `tz certs status` and `tz site status`
 * warn 30 days ahead. Running listeners pick the new file up through their certificate watch.
 */
export async function refreshCrl(dataDir: string): Promise<{ crlNumber: number; retired: IssuedRecord[] }> {
  const site = openSite(dataDir);
  return withSiteLock(site.paths.lock, async () => {
    const next = writeRegistryAndCrl(site.paths, loadCaFromFiles(site.paths, 'root'), openSite(dataDir).registry);
    return { crlNumber: next.crlNumber, retired: next.retired };
  });
}

/**
 * Revokes the certificates whose retirement after a rotation is due. Cheap when nothing is due
 * (reads issued.json, takes no lock, writes nothing), so the repository can call it on a timer.
 */
export async function retireDueCertificates(dataDir: string, now = new Date()): Promise<IssuedRecord[]> {
  const due = nextRetirement(openSite(dataDir).registry);
  if (due === undefined || due.getTime() > now.getTime()) return [];
  const site = openSite(dataDir);
  return withSiteLock(site.paths.lock, async () => {
    const registry = openSite(dataDir).registry;
    const again = nextRetirement(registry);
    if (again === undefined || again.getTime() > now.getTime()) return []; // done by someone else meanwhile
    return writeRegistryAndCrl(site.paths, loadCaFromFiles(site.paths, 'root'), registry, now).retired;
  });
}

function currentSerials(paths: SitePaths): Set<string> {
  const out = new Set<string>();
  for (const name of IN_USE_FILES) {
    try {
      out.add(normalizeSerial(parseCertificate(readSmallFile(paths.cert(name)), paths.cert(name)).serialNumber));
    } catch {
      // A missing or broken file presents nothing; status reports it.
    }
  }
  return out;
}

function select(records: readonly IssuedRecord[], target: string): IssuedRecord[] {
  const bare = target.startsWith('integration:') ? target.slice('integration:'.length) : target;
  const name = bare === 'cli' ? CLI_INTEGRATION_NAME : bare;
  const byName = records.filter((r) => r.name === name);
  if (byName.length > 0) return byName;
  if (!looksLikeSerial(target)) return [];
  const serial = normalizeSerial(target);
  return records.filter((r) => r.serial === serial);
}
