import { X509Certificate } from 'node:crypto';
import { parseCertificate } from './pem';
import { parseIdentityUri, type ServiceIdentity } from './service-identity';
import { TrustError, TrustErrorCode } from './trust.error';

/** What callers hold: PEM text, DER bytes, a parsed cert, or node's `tls` peer certificate (`raw`). */
export type CertificateInput = string | Buffer | X509Certificate | { raw: Buffer };

export function toX509(cert: CertificateInput): X509Certificate {
  if (cert instanceof X509Certificate) return cert;
  if (typeof cert === 'string') return parseCertificate(cert);
  const der = Buffer.isBuffer(cert) ? cert : cert.raw;
  if (!Buffer.isBuffer(der) || der.length === 0) throw new TrustError(TrustErrorCode.PemInvalid, 'no certificate presented');
  try {
    return new X509Certificate(der);
  } catch {
    throw new TrustError(TrustErrorCode.PemInvalid, 'not a valid X.509 certificate');
  }
}

/**
 * The identity in the certificate's one `urn:trustzone:` URI SAN. Node quotes SAN values that
 * contain separators ("URI:\"a, b\""), so a crafted value fails the strict URI parse instead of
 * being split into a forged entry. Zero or several trust-zone URIs: no identity (ambiguity denies).
 */
export function identityFromCertificate(cert: CertificateInput): ServiceIdentity {
  const x = toX509(cert);
  const entries = (x.subjectAltName ?? '').split(', ');
  const zone = entries.filter((e) => e.startsWith('URI:') && e.includes('urn:trustzone:'));
  if (zone.length !== 1) {
    throw new TrustError(TrustErrorCode.IdentityMissing, zone.length === 0 ? 'certificate carries no trust-zone identity' : 'certificate carries several trust-zone identities');
  }
  return parseIdentityUri(zone[0]!.slice('URI:'.length));
}
