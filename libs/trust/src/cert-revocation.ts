import { type IssuedRecord } from './issued-registry';
import { looksLikeSerial, normalizeSerial } from './pem';
import { loadCaFromFiles, openSite, writeRegistryAndCrl } from './site-ca';
import { CLI_INTEGRATION_NAME } from './site-certificates';
import { withSiteLock } from './site-lock';
import { TrustError, TrustErrorCode } from './trust.error';

export interface RevocationResult {
  revoked: IssuedRecord[];
}

/**
 * Puts certificates on the site CRL. `target` is a serial (one certificate) or a name (every
 * unrevoked certificate of that name: the current one and any older rotated ones still within
 * their validity). `integration:<name>` is accepted as a name. CAs and the client-facing
 * certificate are not on the site CRL's issuer, so they are refused rather than silently ignored.
 */
export async function revokeCert(dataDir: string, target: string, now = new Date()): Promise<RevocationResult> {
  const site = openSite(dataDir);
  return withSiteLock(site.paths.lock, async () => {
    const registry = openSite(dataDir).registry;
    const matches = select(registry.certificates, target.trim());
    const refused = matches.find((r) => r.kind === 'ca' || r.kind === 'client-facing');
    if (refused) throw new TrustError(TrustErrorCode.NotRevocable, `'${refused.name}' (${refused.serial}) is not issued by the site CA and cannot be revoked; recreate the site or replace it instead`);
    const pending = matches.filter((r) => r.revokedAt === undefined);
    if (pending.length === 0) {
      throw new TrustError(TrustErrorCode.UnknownCert, matches.length > 0 ? `'${target}' is already revoked` : `no certificate named or numbered '${target}' in ${site.paths.issued}`);
    }
    const at = now.toISOString();
    const serials = new Set(pending.map((r) => r.serial));
    const certificates = registry.certificates.map((r) => (serials.has(r.serial) ? { ...r, revokedAt: at } : r));
    writeRegistryAndCrl(site.paths, loadCaFromFiles(site.paths, 'root'), { ...registry, certificates });
    return { revoked: certificates.filter((r) => serials.has(r.serial)) };
  });
}

/**
 * Re-signs the site CRL with the same revoked entries and a fresh validity (CRL_VALIDITY_DAYS).
 * Listeners refuse every peer once the CRL is past its nextUpdate (fail closed), so a site where
 * nothing is revoked or rotated for a year needs this; `tz certs status` and `tz site status`
 * warn 30 days ahead. Running listeners pick the new file up through their certificate watch.
 */
export async function refreshCrl(dataDir: string): Promise<{ crlNumber: number }> {
  const site = openSite(dataDir);
  return withSiteLock(site.paths.lock, async () => {
    const next = writeRegistryAndCrl(site.paths, loadCaFromFiles(site.paths, 'root'), openSite(dataDir).registry);
    return { crlNumber: next.crlNumber };
  });
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
