import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { X509Certificate } from 'node:crypto';
import { auditSignersDir, type TrustedSigner } from '@trustzone/logging';
import { identityAllowList, loadTlsMaterial, normalizeSerial, readSiteManifest, verifyPeerCertificate, type SitePaths } from '@trustzone/trust';

/**
 * The certificates whose checkpoint signatures `tz audit verify` and the console's chain check
 * (the repository's VerifyAudit) accept: the repository's current
 * one plus the archived ones (rotation changes the key). Each must chain to this site's CA and carry
 * the repository identity, so a forged checkpoint signed by a self-made key is never trusted, even
 * if someone drops its certificate into the archive. Validity is checked at the certificate's own
 * lifetime: an expired signer still vouches for the checkpoints it signed while it was valid. A
 * signer on the site CRL carries its revocation date (from the CA-signed CRL, not issued.json):
 * it vouches only for checkpoints from before it (a rotated key is revoked when its grace ends).
 */
export function trustedAuditSigners(paths: SitePaths): TrustedSigner[] {
  const site = readSiteManifest(paths.siteJson);
  const material = loadTlsMaterial({ certsDir: paths.certs, name: 'repository' });
  const candidates = [material.certPem];
  const dir = auditSignersDir(paths);
  if (existsSync(dir)) for (const f of readdirSync(dir).filter((n) => n.endsWith('.pem')).sort()) candidates.push(readFileSync(join(dir, f), 'utf8'));
  const allowed = identityAllowList(['repository']);
  const out: TrustedSigner[] = [];
  for (const pem of candidates) {
    let x: X509Certificate;
    try {
      x = new X509Certificate(pem);
    } catch {
      continue;
    }
    const during = new Date((Date.parse(x.validFrom) + Date.parse(x.validTo)) / 2);
    if (!verifyPeerCertificate(x, { trustedCas: material.trustedCas, revokedSerials: new Set(), siteId: site.siteId, allowed, now: during }).ok) continue;
    const revokedAt = material.revokedAt.get(normalizeSerial(x.serialNumber));
    out.push(revokedAt ? { pem, revokedAt } : { pem });
  }
  return out;
}
