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

/**
 * A certificate (or bare public key) whose checkpoint signatures are accepted. `revokedAt`: the key
 * was revoked then (its certificate is on the site CRL), so only checkpoints from before that time
 * count — see verifyCheckpointSignature.
 */
export interface TrustedSigner {
  pem: string;
  revokedAt?: Date;
}

export interface TrustedKey {
  key: KeyObject;
  /** Certificate thumbprint, matched against a checkpoint's `signer`; absent for bare public keys. */
  thumbprint?: string;
  revokedAt?: Date;
}

/** Trusted verification keys from certificates or public keys (several, to span key rotations). */
export function loadTrustedKeys(pems: string | readonly (string | TrustedSigner)[]): TrustedKey[] {
  const list = (typeof pems === 'string' ? [pems] : pems).map((p) => (typeof p === 'string' ? { pem: p } : p));
  if (list.length === 0) throw new LoggingError(LoggingErrorCode.InvalidOption, 'no trusted certificate given for audit verification');
  return list.map(({ pem, revokedAt }) => {
    try {
      const revoked = revokedAt ? { revokedAt } : {};
      if (!pem.includes('CERTIFICATE')) return { key: createPublicKey(pem), ...revoked };
      const cert = new X509Certificate(pem);
      return { key: cert.publicKey, thumbprint: certThumbprint(cert), ...revoked };
    } catch {
      throw new LoggingError(LoggingErrorCode.InvalidOption, 'a trusted audit certificate or public key is not valid PEM');
    }
  });
}

export type SignatureCheck = { ok: true } | { ok: false; revokedAt?: Date };

/**
 * Whether a trusted key signed `message`, and signed it while it was still valid. A key revoked at
 * time R vouches only for checkpoints of a log that had not yet reached R: `latest` is the latest
 * time of any entry up to and including this checkpoint. Looking at the whole chain, not the
 * checkpoint's own claim, is what stops a thief from back-dating a checkpoint made with a stolen
 * key after the records that followed the revocation. (A thief who rewrites everything after R
 * with back-dated times is not caught by this; what was signed before R stays valid, as it must.)
 */
export function verifyCheckpointSignature(keys: readonly TrustedKey[], message: Buffer, sigBase64: string, signer: string, latest: number): SignatureCheck {
  const sig = Buffer.from(sigBase64, 'base64');
  let revokedAt: Date | undefined;
  for (const k of keys) {
    if (k.thumbprint !== undefined && k.thumbprint !== signer) continue;
    let good = false;
    try {
      good = verify('sha256', message, k.key, sig);
    } catch {
      good = false;
    }
    if (!good) continue;
    if (k.revokedAt === undefined || latest < k.revokedAt.getTime()) return { ok: true };
    revokedAt = k.revokedAt;
  }
  return revokedAt ? { ok: false, revokedAt } : { ok: false };
}
