import { X509Certificate } from 'node:crypto';
import { existsSync, rmSync } from 'node:fs';
import { createCa, type CertificateAuthority } from './certificate-authority';
import { buildAndSign, resolveValidity, subjectKeyIdOf, subjectOf } from './certificate-builder';
import { recordOf } from './issued-registry';
import { loadCaFromFiles, openSite, writeRegistryAndCrl } from './site-ca';
import { ensureDir, readSmallFile, writeFileAtomic } from './site-files';
import { CERT_FILE_MODE, KEY_FILE_MODE, SITE_DIRS } from './site-layout';
import { withSiteLock } from './site-lock';

export interface CaRotationResult {
  /** SHA-256 fingerprints, as `tz certs status` and the services' logs print them. */
  previous: string;
  next: string;
  serial: string;
  notAfter: Date;
}

/**
 * Starts a site CA rotation (operations.md "Rotating the site CA"): a new CA that the running
 * services will trust without a restart because the current CA endorses it. In this order, so no
 * watcher ever sees the new CA without its endorsement:
 * 1. a cross-certificate (the new CA's subject and key, signed by the current CA key) is appended
 *    to `root-endorsements.pem` — what a service that pinned the old CA accepts (anchor-pinning.ts);
 * 2. the new CA is appended to `root.pem` (old first): both are trusted during the overlap;
 * 3. its key becomes the signing key, and the CRL is re-signed by it (the old CA's CRL is kept).
 * Leaf certificates are not touched: `tz certs rotate-ca` rotates them next.
 */
export async function rotateSiteCa(dataDir: string, opts: { validityDays?: number } = {}): Promise<CaRotationResult> {
  const site = openSite(dataDir);
  return withSiteLock(site.paths.lock, async () => {
    const { paths, manifest } = site;
    const current = loadCaFromFiles(paths, 'root');
    // The current CA's CRL is kept verbatim from now on (it stops signing), so re-sign it from the
    // registry first: whatever crl.pem holds now (an older CRL put back, say) must not live on.
    const registry = writeRegistryAndCrl(paths, current, openSite(dataDir).registry);
    const next = await createCa({ commonName: `${manifest.siteName}-CA`, ...(opts.validityDays === undefined ? {} : { validityDays: opts.validityDays }) });
    const endorsed = existsSync(paths.endorsements) ? readSmallFile(paths.endorsements, 'CA endorsements') : '';
    writeFileAtomic(paths.endorsements, endorsed + crossCertify(current, next), CERT_FILE_MODE);
    writeFileAtomic(paths.cert('root'), readSmallFile(paths.cert('root'), 'CA certificate') + next.certPem, CERT_FILE_MODE);
    ensureDir(paths.keyDir('root'), SITE_DIRS.private);
    writeFileAtomic(paths.key('root'), next.keyPem, KEY_FILE_MODE);
    rmSync(paths.legacyKey('root'), { force: true });
    writeRegistryAndCrl(paths, next, { version: registry.version, crlNumber: registry.crlNumber, certificates: [...registry.certificates, recordOf('root', 'ca', 'root', next)] });
    return { previous: fingerprint(current.certPem), next: fingerprint(next.certPem), serial: next.serial, notAfter: next.notAfter };
  });
}

/**
 * A CA certificate for `subject`'s name and key, issued by `issuer`: the statement "the holder of
 * the issuer key vouches for this CA". Valid no longer than either CA.
 */
export function crossCertify(issuer: CertificateAuthority, subject: CertificateAuthority): string {
  const { notBefore } = resolveValidity({}, 1);
  const notAfter = new Date(Math.min(issuer.notAfter.getTime(), subject.notAfter.getTime()));
  return buildAndSign({
    subject: subjectOf(subject.certPem),
    issuer: subjectOf(issuer.certPem),
    publicKeyPem: new X509Certificate(subject.certPem).publicKey.export({ type: 'spki', format: 'pem' }).toString(),
    signingKey: issuer.privateKey,
    notBefore,
    notAfter,
    extensions: [
      { name: 'basicConstraints', cA: true, pathLenConstraint: 0, critical: true },
      { name: 'keyUsage', keyCertSign: true, cRLSign: true, critical: true },
      { name: 'subjectKeyIdentifier' },
      { name: 'authorityKeyIdentifier', keyIdentifier: subjectKeyIdOf(issuer.certPem) },
    ],
  }).certPem;
}

function fingerprint(pem: string): string {
  return new X509Certificate(pem).fingerprint256;
}
