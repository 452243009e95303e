import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { X509Certificate } from 'node:crypto';
import { identityAllowList, loadTlsMaterial, readSiteManifest, verifyPeerCertificate, type SitePaths } from '@trustzone/trust';

/** Where the repository archives every certificate it has signed audit checkpoints with. */
export const signersDir = (paths: SitePaths): string => join(paths.audit, 'signers');

/**
 * The certificates whose checkpoint signatures `tz audit verify` accepts: the repository's current
 * one plus the archived ones (rotation changes the key). Each must chain to this site's CA and carry
 * the repository identity, so a forged checkpoint signed by a self-made key is never trusted, even
 * if someone drops its certificate into the archive. Validity is checked at the certificate's own
 * lifetime: an expired signer still vouches for the checkpoints it signed while it was valid.
 */
export function trustedAuditSigners(paths: SitePaths): string[] {
  const site = readSiteManifest(paths.siteJson);
  const material = loadTlsMaterial({ certsDir: paths.certs, name: 'repository' });
  const candidates = [material.certPem];
  const dir = signersDir(paths);
  if (existsSync(dir)) for (const f of readdirSync(dir).filter((n) => n.endsWith('.pem')).sort()) candidates.push(readFileSync(join(dir, f), 'utf8'));
  const allowed = identityAllowList(['repository']);
  return candidates.filter((pem) => {
    let x: X509Certificate;
    try {
      x = new X509Certificate(pem);
    } catch {
      return false;
    }
    const during = new Date((Date.parse(x.validFrom) + Date.parse(x.validTo)) / 2);
    return verifyPeerCertificate(x, { trustedCas: material.trustedCas, revokedSerials: new Set(), siteId: site.siteId, allowed, now: during }).ok;
  });
}
