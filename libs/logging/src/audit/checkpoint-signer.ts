import { X509Certificate, createPrivateKey, createPublicKey, sign, verify } from 'node:crypto';
import type { KeyObject } from 'node:crypto';
import { LoggingError, LoggingErrorCode } from '../logging.error';

export interface AuditSignerPem {
  keyPem: string;
  certPem: string;
}

export interface CheckpointSigner {
  /** SHA-256 thumbprint of the signing certificate, lower-case hex. */
  thumbprint: string;
  sign(message: Buffer): string;
}

/** What a checkpoint signature covers; a domain prefix keeps it from being valid for anything else. */
export function checkpointMessage(seq: number, upTo: number, prev: string, time: string): Buffer {
  return Buffer.from(`trustzone-audit-checkpoint/v1\n${seq}\n${upTo}\n${prev}\n${time}`, 'utf8');
}

export const certThumbprint = (cert: X509Certificate): string => cert.fingerprint256.replace(/:/g, '').toLowerCase();

export function createCheckpointSigner(pem: AuditSignerPem): CheckpointSigner {
  let key: KeyObject;
  let cert: X509Certificate;
  try {
    key = createPrivateKey(pem.keyPem);
    cert = new X509Certificate(pem.certPem);
  } catch {
    throw new LoggingError(LoggingErrorCode.SignerInvalid, 'audit signer key or certificate is not valid PEM');
  }
  if (!cert.checkPrivateKey(key)) throw new LoggingError(LoggingErrorCode.SignerInvalid, 'audit signer key does not match its certificate');
  return { thumbprint: certThumbprint(cert), sign: (message) => sign('sha256', message, key).toString('base64') };
}

/** Trusted verification keys from certificates or public keys (several, to span key rotations). */
export function loadTrustedKeys(pems: string | readonly string[]): KeyObject[] {
  const list = typeof pems === 'string' ? [pems] : pems;
  if (list.length === 0) throw new LoggingError(LoggingErrorCode.InvalidOption, 'no trusted certificate given for audit verification');
  return list.map((pem) => {
    try {
      return pem.includes('CERTIFICATE') ? new X509Certificate(pem).publicKey : createPublicKey(pem);
    } catch {
      throw new LoggingError(LoggingErrorCode.InvalidOption, 'a trusted audit certificate or public key is not valid PEM');
    }
  });
}

export function verifyCheckpointSignature(keys: readonly KeyObject[], message: Buffer, sigBase64: string): boolean {
  const sig = Buffer.from(sigBase64, 'base64');
  return keys.some((key) => {
    try {
      return verify('sha256', message, key, sig);
    } catch {
      return false;
    }
  });
}
