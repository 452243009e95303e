import { createHash } from 'node:crypto';

/**
 * The S256 code challenge of RFC 7636 §4.2: BASE64URL(SHA-256(ASCII(code_verifier))). Computed
 * here synchronously rather than by openid-client's calculatePKCECodeChallenge, which goes through
 * WebCrypto's asynchronous digest (a thread-pool round trip per login, for 43 bytes of input).
 */
export function pkceChallenge(codeVerifier: string): string {
  return createHash('sha256').update(codeVerifier, 'ascii').digest('base64url');
}
