import { constants, verify } from 'node:crypto';
import type { KeyObject } from 'node:crypto';

/**
 * Compact JWS verification for RS256/RS384/RS512 only (RFC 7515, RFC 7519), against one configured key.
 * The algorithm allow-list is the defence against the classic JWT attacks: `alg:none` (RFC 8725 §2.1)
 * and HS256 signed with the public key as the HMAC secret (RFC 8725 §2.1, "algorithm confusion").
 * `exp` is required: a token without one would be valid forever. `iss` and `aud` are compared
 * exactly when configured (RFC 7519 §4.1.1, §4.1.3: case-sensitive strings; `aud` may be a list).
 */
export type JwtAlgorithm = 'RS256' | 'RS384' | 'RS512';
const HASH: Record<JwtAlgorithm, string> = { RS256: 'sha256', RS384: 'sha384', RS512: 'sha512' };

export interface JwtVerifyOptions {
  key: KeyObject;
  /** When set, `aud` (string or array) must contain it. */
  audience?: string;
  /** When set, `iss` must be exactly this string. */
  issuer?: string;
  nowMs?: number;
  clockSkewSeconds?: number;
  maxLength?: number;
}

export type JwtClaims = Record<string, unknown>;
export type JwtVerifyResult = { ok: true; algorithm: JwtAlgorithm; claims: JwtClaims } | { ok: false; reason: string };

export const DEFAULT_JWT_MAX_LENGTH = 8 * 1024;
const SEGMENT = /^[A-Za-z0-9_-]+$/;

function decodeJsonObject(segment: string): Record<string, unknown> | null {
  try {
    const value: unknown = JSON.parse(Buffer.from(segment, 'base64url').toString('utf8'));
    return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : null;
  } catch {
    return null;
  }
}

function isAlgorithm(alg: unknown): alg is JwtAlgorithm {
  return alg === 'RS256' || alg === 'RS384' || alg === 'RS512';
}

function checkTimes(claims: JwtClaims, nowS: number, skew: number): string | null {
  const { exp, nbf, iat } = claims;
  if (typeof exp !== 'number' || !Number.isFinite(exp)) return 'exp missing or not a number';
  if (nowS >= exp + skew) return 'token expired';
  if (nbf !== undefined && (typeof nbf !== 'number' || !Number.isFinite(nbf))) return 'nbf not a number';
  if (typeof nbf === 'number' && nowS + skew < nbf) return 'token not yet valid';
  if (iat !== undefined && (typeof iat !== 'number' || nowS + skew < iat)) return 'iat invalid or in the future';
  return null;
}

function checkAudience(aud: unknown, expected: string): string | null {
  const list = typeof aud === 'string' ? [aud] : Array.isArray(aud) ? aud : null;
  if (!list || !list.some((a) => a === expected)) return 'audience mismatch';
  return null;
}

export function verifyJwt(token: string, options: JwtVerifyOptions): JwtVerifyResult {
  const fail = (reason: string): JwtVerifyResult => ({ ok: false, reason });
  if (token.length > (options.maxLength ?? DEFAULT_JWT_MAX_LENGTH)) return fail('token too long');
  const parts = token.split('.');
  if (parts.length !== 3 || !parts.every((p) => SEGMENT.test(p))) return fail('not a compact JWS');
  const [h, p, s] = parts as [string, string, string];
  const header = decodeJsonObject(h);
  if (!header) return fail('header is not a JSON object');
  if (!isAlgorithm(header['alg'])) return fail(`algorithm ${JSON.stringify(header['alg'])?.slice(0, 20) ?? 'missing'} not allowed`);
  // RFC 7515 §4.1.11: extensions listed in crit must be understood; we understand none.
  if (header['crit'] !== undefined) return fail('crit header not supported');
  if (header['typ'] !== undefined && (typeof header['typ'] !== 'string' || header['typ'].toUpperCase() !== 'JWT')) return fail('typ is not JWT');
  const alg = header['alg'];
  const signature = Buffer.from(s, 'base64url');
  const modulusBytes = (options.key.asymmetricKeyDetails?.modulusLength ?? 0) / 8;
  if (signature.length !== modulusBytes) return fail('signature length does not match the key');
  const valid = verify(HASH[alg], Buffer.from(`${h}.${p}`, 'ascii'), { key: options.key, padding: constants.RSA_PKCS1_PADDING }, signature);
  if (!valid) return fail('bad signature');
  // Claims are read only after the signature holds: nothing unauthenticated is interpreted.
  const claims = decodeJsonObject(p);
  if (!claims) return fail('payload is not a JSON object');
  const timeProblem = checkTimes(claims, Math.floor((options.nowMs ?? Date.now()) / 1000), options.clockSkewSeconds ?? 30);
  if (timeProblem) return fail(timeProblem);
  if (options.issuer !== undefined && claims['iss'] !== options.issuer) return fail(typeof claims['iss'] === 'string' ? 'issuer mismatch' : 'iss missing or not a string');
  if (options.audience !== undefined) {
    const audProblem = checkAudience(claims['aud'], options.audience);
    if (audProblem) return fail(audProblem);
  }
  return { ok: true, algorithm: alg, claims };
}
