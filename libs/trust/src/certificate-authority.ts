import { createPrivateKey, type KeyObject } from 'node:crypto';
import { buildAndSign, commonNameField, organizationField, resolveValidity, type Validity } from './certificate-builder';
import { generateRsaKeyPair, type KeyPair } from './key-pair';
import { certificateDate, normalizeSerial, parseCertificate } from './pem';
import { TrustError, TrustErrorCode } from './trust.error';

export const CA_VALIDITY_DAYS = 3650;

/** A certificate with its private key. A CA is one of these whose certificate says cA=TRUE. */
export interface CertifiedKey {
  certPem: string;
  keyPem: string;
  privateKey: KeyObject;
  serial: string;
  notBefore: Date;
  notAfter: Date;
}

export type CertificateAuthority = CertifiedKey;

export interface CreateCaOptions extends Validity {
  commonName: string;
  organization?: string;
  keyPair?: KeyPair;
}

/** Self-signed root: cA=TRUE, pathLen 0 (it signs leaves only), keyCertSign + cRLSign. */
export async function createCa(options: CreateCaOptions): Promise<CertificateAuthority> {
  const keys = options.keyPair ?? (await generateRsaKeyPair());
  const { notBefore, notAfter } = resolveValidity(options, CA_VALIDITY_DAYS);
  const name = [commonNameField(options.commonName), organizationField(options.organization ?? 'trustzone')];
  const signed = buildAndSign({
    subject: name,
    issuer: name,
    publicKeyPem: keys.publicKeyPem,
    signingKey: keys.privateKey,
    notBefore,
    notAfter,
    extensions: [
      { name: 'basicConstraints', cA: true, pathLenConstraint: 0, critical: true },
      { name: 'keyUsage', keyCertSign: true, cRLSign: true, critical: true },
      { name: 'subjectKeyIdentifier' },
    ],
  });
  return { ...signed, keyPem: keys.keyPem, privateKey: keys.privateKey, notBefore, notAfter };
}

/** Pairs a CA certificate with its key, refusing a key that does not belong to it or a non-CA cert. */
export function certificateAuthorityFromPem(certPem: string, keyPem: string, files: { cert?: string; key?: string } = {}): CertificateAuthority {
  const cert = parseCertificate(certPem, files.cert);
  if (!cert.ca) throw new TrustError(TrustErrorCode.PemInvalid, `${files.cert ?? 'certificate'}: not a CA certificate`, files.cert);
  const privateKey = privateKeyFromPem(keyPem, files.key);
  if (!cert.checkPrivateKey(privateKey)) {
    throw new TrustError(TrustErrorCode.KeyMismatch, `${files.key ?? 'key'} does not match ${files.cert ?? 'the CA certificate'}`, files.key);
  }
  return {
    certPem,
    keyPem,
    privateKey,
    serial: normalizeSerial(cert.serialNumber),
    notBefore: certificateDate(cert.validFrom),
    notAfter: certificateDate(cert.validTo),
  };
}

export function privateKeyFromPem(keyPem: string, file?: string): KeyObject {
  try {
    return createPrivateKey(keyPem);
  } catch {
    throw new TrustError(TrustErrorCode.PemInvalid, `${file ? `${file}: ` : ''}not a valid PEM private key`, file);
  }
}
