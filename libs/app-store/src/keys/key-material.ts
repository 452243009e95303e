import { X509Certificate, createPrivateKey } from 'node:crypto';
import type { KeyObject } from 'node:crypto';
import { AppStoreError, AppStoreErrorCode } from '../app-store.error';

export const MIN_RSA_BITS = 2048;

/** A usable encryption key pair from the key store. */
export interface KeyEntry {
  thumbprint: string;
  cert: X509Certificate;
  publicKey: KeyObject;
  privateKey: KeyObject;
}

export interface KeyInfo {
  /** SHA-256 of the certificate (DER), lower-case hex: the name used in file headers and the CLI. */
  thumbprint: string;
  subject: string;
  notAfter: Date;
  active: boolean;
}

export const thumbprintOf = (cert: X509Certificate): string => cert.fingerprint256.replace(/:/g, '').toLowerCase();
export const THUMBPRINT = /^[0-9a-f]{64}$/;

/**
 * Parses and checks an encryption certificate and its private key: both valid PEM, an RSA key of at
 * least 2048 bits (RSA-OAEP wraps the data keys), and the key matching the certificate.
 */
export function loadKeyPair(certPem: string, keyPem: string): KeyEntry {
  let cert: X509Certificate;
  try {
    cert = new X509Certificate(certPem);
  } catch {
    throw new AppStoreError(AppStoreErrorCode.KeyInvalid, 'the encryption certificate is not a valid PEM certificate');
  }
  let privateKey: KeyObject;
  try {
    privateKey = createPrivateKey(keyPem);
  } catch {
    throw new AppStoreError(AppStoreErrorCode.KeyInvalid, 'the private key is not valid unencrypted PEM');
  }
  const thumbprint = thumbprintOf(cert);
  const publicKey = cert.publicKey;
  if (publicKey.asymmetricKeyType !== 'rsa' || privateKey.asymmetricKeyType !== 'rsa') {
    throw new AppStoreError(AppStoreErrorCode.KeyInvalid, `key ${thumbprint}: encryption keys must be RSA`, { thumbprint });
  }
  const bits = publicKey.asymmetricKeyDetails?.modulusLength ?? 0;
  if (bits < MIN_RSA_BITS) throw new AppStoreError(AppStoreErrorCode.KeyTooWeak, `key ${thumbprint}: RSA key has ${bits} bits; at least ${MIN_RSA_BITS} are required`, { thumbprint });
  if (!cert.checkPrivateKey(privateKey)) throw new AppStoreError(AppStoreErrorCode.KeyMismatch, `key ${thumbprint}: the private key does not match the certificate`, { thumbprint });
  return { thumbprint, cert, publicKey, privateKey };
}

export function keyInfo(entry: KeyEntry, active: boolean): KeyInfo {
  return { thumbprint: entry.thumbprint, subject: entry.cert.subject.replace(/\n/g, ', '), notAfter: new Date(entry.cert.validTo), active };
}
