import { X509Certificate, createPublicKey } from 'node:crypto';
import type { KeyObject } from 'node:crypto';

/**
 * The verification key for a JWT virtual proxy, from its `jwtPublicKeyCertificate` (an X.509
 * certificate PEM, or a bare SPKI public key PEM). Only RSA ≥ 2048 bits: the accepted algorithms are
 * RS256/384/512 and NIST SP 800-131A disallows shorter RSA keys for signatures.
 * Parsed keys are cached by PEM text so requests never re-parse certificates.
 */
export const MIN_RSA_BITS = 2048;
const MAX_PEM_LENGTH = 16 * 1024;
const CACHE_LIMIT = 64;
const cache = new Map<string, KeyObject>();

export type JwtKeyResult = { ok: true; key: KeyObject } | { ok: false; reason: string };

function parse(pem: string): JwtKeyResult {
  if (pem.length > MAX_PEM_LENGTH) return { ok: false, reason: 'PEM is too large' };
  let key: KeyObject;
  try {
    key = pem.includes('-----BEGIN CERTIFICATE-----') ? new X509Certificate(pem).publicKey : createPublicKey({ key: pem, format: 'pem' });
  } catch {
    return { ok: false, reason: 'not a PEM certificate or public key' };
  }
  if (key.asymmetricKeyType !== 'rsa') return { ok: false, reason: 'key must be RSA (RS256/RS384/RS512)' };
  const bits = key.asymmetricKeyDetails?.modulusLength ?? 0;
  if (bits < MIN_RSA_BITS) return { ok: false, reason: `RSA key must have at least ${MIN_RSA_BITS} bits` };
  return { ok: true, key };
}

export function jwtPublicKey(pem: string): JwtKeyResult {
  const cached = cache.get(pem);
  if (cached) return { ok: true, key: cached };
  const result = parse(pem);
  if (result.ok) {
    if (cache.size >= CACHE_LIMIT) {
      const oldest = cache.keys().next();
      if (!oldest.done) cache.delete(oldest.value);
    }
    cache.set(pem, result.key);
  }
  return result;
}
