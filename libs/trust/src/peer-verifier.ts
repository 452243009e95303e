import { type X509Certificate } from 'node:crypto';
import { identityFromCertificate, toX509, type CertificateInput } from './peer-certificate';
import { certificateDate, normalizeSerial, parseCertificateBundle } from './pem';
import { identityToString, type ServiceIdentity } from './service-identity';
import { TrustError, TrustErrorCode } from './trust.error';

const EKU_OID = { serverAuth: '1.3.6.1.5.5.7.3.1', clientAuth: '1.3.6.1.5.5.7.3.2' } as const;

export interface PeerVerifyOptions {
  /** Site CAs (several during a CA rotation overlap); pass parsed certs on hot paths. */
  trustedCas: readonly X509Certificate[] | string;
  revokedSerials: ReadonlySet<string>;
  siteId: string;
  now?: Date;
  allowed?: (identity: ServiceIdentity) => boolean;
  /** The role the peer plays towards us: a server checks its clients for `clientAuth`. */
  purpose?: keyof typeof EKU_OID;
}

export type PeerVerification =
  | { ok: true; identity: ServiceIdentity; serial: string }
  | { ok: false; code: TrustErrorCode; reason: string };

/**
 * Defence in depth behind the TLS handshake, run per call: chain (issuer + signature) to a site
 * CA, validity window, revocation, an identity URI of this site, and the callee's allow-list.
 * Never throws: every failure, including garbage input, is a denial with a code.
 */
export function verifyPeerCertificate(cert: CertificateInput, options: PeerVerifyOptions): PeerVerification {
  try {
    return verify(cert, options);
  } catch (e) {
    if (e instanceof TrustError) return deny(e.code, e.message);
    return deny(TrustErrorCode.PeerUntrusted, 'certificate could not be verified');
  }
}

function deny(code: TrustErrorCode, reason: string): PeerVerification {
  return { ok: false, code, reason };
}

function verify(cert: CertificateInput, options: PeerVerifyOptions): PeerVerification {
  const x = toX509(cert);
  const now = options.now ?? new Date();
  const serial = normalizeSerial(x.serialNumber);
  if (x.ca) return deny(TrustErrorCode.PeerUntrusted, 'a CA certificate cannot be a peer');
  const cas = typeof options.trustedCas === 'string' ? parseCertificateBundle(options.trustedCas) : options.trustedCas;
  const issuer = cas.find((ca) => ca.ca && x.checkIssued(ca) && x.verify(ca.publicKey));
  if (!issuer) return deny(TrustErrorCode.PeerUntrusted, `certificate ${serial} is not signed by a site CA`);
  if (!within(issuer, now)) return deny(TrustErrorCode.PeerUntrusted, `the CA that signed ${serial} is outside its validity period`);
  if (now < certificateDate(x.validFrom)) return deny(TrustErrorCode.PeerNotYetValid, `certificate ${serial} is not valid before ${x.validFrom}`);
  if (now > certificateDate(x.validTo)) return deny(TrustErrorCode.PeerExpired, `certificate ${serial} expired ${x.validTo}`);
  if (options.revokedSerials.has(serial)) return deny(TrustErrorCode.PeerRevoked, `certificate ${serial} is revoked`);
  if (options.purpose && !(x.keyUsage ?? []).includes(EKU_OID[options.purpose])) {
    return deny(TrustErrorCode.PeerUntrusted, `certificate ${serial} is not valid for ${options.purpose}`);
  }
  const identity = identityFromCertificate(x);
  if (identity.siteId !== options.siteId) return deny(TrustErrorCode.IdentityWrongSite, `certificate ${serial} belongs to another site`);
  if (options.allowed && !options.allowed(identity)) {
    return deny(TrustErrorCode.IdentityNotAllowed, `identity ${identityToString(identity)} is not allowed here`);
  }
  return { ok: true, identity, serial };
}

function within(x: X509Certificate, now: Date): boolean {
  return now >= certificateDate(x.validFrom) && now <= certificateDate(x.validTo);
}
