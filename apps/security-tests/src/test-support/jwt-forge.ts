import { createHmac, createPrivateKey, createPublicKey, sign } from 'node:crypto';

/** Compact JWS pieces, built by hand so an attack can forge any header/signature combination. */
const b64 = (v: object | Buffer) => Buffer.from(v instanceof Buffer ? v : JSON.stringify(v)).toString('base64url');

export function signedJwt(keyPem: string, payload: Record<string, unknown>, alg = 'RS256'): string {
  const head = `${b64({ alg, typ: 'JWT' })}.${b64(payload)}`;
  return `${head}.${sign('sha256', Buffer.from(head), createPrivateKey(keyPem)).toString('base64url')}`;
}

/** RFC 8725 §2.1: "alg":"none" with an empty (or arbitrary) signature. */
export function unsignedJwt(payload: Record<string, unknown>, signature = ''): string {
  return `${b64({ alg: 'none', typ: 'JWT' })}.${b64(payload)}.${signature}`;
}

/**
 * Algorithm confusion (RFC 8725 §2.1): HS256 keyed with the verifier's *public* key, which an
 * attacker knows. A verifier that lets the token choose the algorithm would accept it. Both common
 * spellings of the public key are tried by the caller (the certificate PEM and the SPKI PEM).
 */
export function hs256WithPublicKey(publicKeyText: string, payload: Record<string, unknown>): string {
  const head = `${b64({ alg: 'HS256', typ: 'JWT' })}.${b64(payload)}`;
  return `${head}.${createHmac('sha256', publicKeyText).update(head).digest('base64url')}`;
}

export function spkiPemOf(certPem: string): string {
  return createPublicKey(certPem).export({ type: 'spki', format: 'pem' }).toString();
}
