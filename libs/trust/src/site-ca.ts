import { existsSync } from 'node:fs';
import { privateKeyFromPem, certificateAuthorityFromPem, type CertificateAuthority } from './certificate-authority';
import { createCrl } from './crl-builder';
import { parseCrls } from './crl-reader';
import { applyDueRetirements } from './cert-retirement';
import { readIssuedRegistry, writeIssuedRegistry, type IssuedRecord, type IssuedRegistry } from './issued-registry';
import { assertPrivateKeyFileSafe } from './key-file-permissions';
import { parseCertificateBundle, pemBlocks } from './pem';
import { readSmallFile, writeFileAtomic } from './site-files';
import { CERT_FILE_MODE, siteKeyFile, sitePaths, type SitePaths } from './site-layout';
import { readSiteManifest, type SiteManifest } from './site-manifest';
import { TrustError, TrustErrorCode } from './trust.error';

export interface OpenSite {
  paths: SitePaths;
  manifest: SiteManifest;
  registry: IssuedRegistry;
}

/** site.json + issued.json, each validated; errors name the file. */
export function openSite(dataDir: string): OpenSite {
  const paths = sitePaths(dataDir);
  if (!existsSync(dataDir)) throw new TrustError(TrustErrorCode.SiteMissing, `${dataDir}: no such data directory; run 'tz init' first`, dataDir);
  const manifest = readSiteManifest(paths.siteJson);
  return { paths, manifest, registry: readIssuedRegistry(paths.issued) };
}

/**
 * Loads a CA key pair from `<name>.pem` / `<name>_key.pem`. The cert file may be a bundle (CA
 * rotation overlap); the signing CA is the one the key belongs to.
 */
export function loadCaFromFiles(paths: SitePaths, name: 'root' | 'client-facing-ca'): CertificateAuthority {
  const certFile = paths.cert(name);
  const keyFile = siteKeyFile(paths, name);
  assertPrivateKeyFileSafe(keyFile);
  const keyPem = readSmallFile(keyFile, 'CA private key');
  const certText = readSmallFile(certFile, 'CA certificate');
  const certs = parseCertificateBundle(certText, certFile);
  const key = privateKeyFromPem(keyPem, keyFile);
  const index = certs.findIndex((c) => c.checkPrivateKey(key));
  const block = pemBlocks(certText).filter((b) => b.type === 'CERTIFICATE')[index];
  if (index < 0 || !block) throw new TrustError(TrustErrorCode.KeyMismatch, `${keyFile} does not match any certificate in ${certFile}`, keyFile);
  return certificateAuthorityFromPem(block.pem, keyPem, { cert: certFile, key: keyFile });
}

/**
 * Records the registry first, then re-signs the CRL from it: if the process dies in between, the
 * registry still says "revoked" and the next CRL write includes it (the reverse order could lose
 * a revocation). CRLs of other CAs in crl.pem (a CA rotation overlap) are kept verbatim. Every
 * write also revokes the certificates whose retirement is due (cert-retirement.ts), so a rotation
 * whose own retirement step never ran is completed by the next CA operation.
 */
export function writeRegistryAndCrl(paths: SitePaths, ca: CertificateAuthority, registry: IssuedRegistry, now = new Date()): IssuedRegistry & { retired: IssuedRecord[] } {
  const due = applyDueRetirements(registry, now);
  const next: IssuedRegistry = { ...due.registry, crlNumber: registry.crlNumber + 1 };
  writeIssuedRegistry(paths.issued, next);
  const revoked = next.certificates
    .filter((r) => r.issuer === 'root' && r.revokedAt !== undefined)
    .map((r) => ({ serial: r.serial, revokedAt: new Date(r.revokedAt!) }));
  const own = createCrl(ca, revoked, { crlNumber: next.crlNumber });
  writeFileAtomic(paths.crl, own + otherCasCrls(paths, ca), CERT_FILE_MODE);
  return { ...next, retired: due.retired };
}

function otherCasCrls(paths: SitePaths, ca: CertificateAuthority): string {
  if (!existsSync(paths.crl)) return '';
  try {
    const text = readSmallFile(paths.crl, 'CRL');
    const cas = parseCertificateBundle(readSmallFile(paths.cert('root'), 'CA certificate'), paths.cert('root'));
    const parsed = parseCrls(text, cas, paths.crl);
    const blocks = pemBlocks(text).filter((b) => b.type === 'X509 CRL');
    const own = parseCertificateBundle(ca.certPem)[0]!.fingerprint256;
    return blocks.filter((_, i) => parsed[i] !== undefined && parsed[i].issuer.fingerprint256 !== own).map((b) => b.pem).join('');
  } catch {
    // A damaged crl.pem is what this write repairs; the CA's own list comes from the registry.
    return '';
  }
}
