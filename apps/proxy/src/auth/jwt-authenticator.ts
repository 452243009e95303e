import { EdgeErrorCode, isEdgeError } from '../edge/edge.error';
import type { VirtualProxyConfig } from '../virtual-proxy/virtual-proxy-config.schema';
import { NONE, reject } from './auth-result';
import type { AuthResult } from './auth-result';
import type { SessionAttributes } from './authenticated-user';
import { buildAttributes, identityProblem } from './identity-rules';
import { jwtPublicKey } from './jwt-public-key';
import { verifyJwt } from './jwt-verifier';
import type { JwtClaims } from './jwt-verifier';
import type { RequestFacts } from './request-facts';
import { singleHeader } from './request-facts';

type JwtConfig = Pick<
  VirtualProxyConfig,
  'authenticationMethod' | 'jwtPublicKeyCertificate' | 'jwtAttributeUserId' | 'jwtAttributeUserDirectory' | 'jwtAudience' | 'jwtIssuer' | 'jwtAttributeMap'
>;

export interface JwtAuthOptions {
  nowMs?: number;
  clockSkewSeconds?: number;
}

export const MISSING_ISSUER_OR_AUDIENCE = 'virtual proxy has no jwtIssuer or no jwtAudience: JWT logins are refused until both are configured';

// `[CORP]` in jwtAttributeUserDirectory is a constant directory rather than a claim name, as in Qlik.
const CONSTANT = /^\[(.+)\]$/;

function claimString(claims: JwtClaims, name: string): string | null {
  const v = claims[name];
  return typeof v === 'string' ? v : typeof v === 'number' && Number.isFinite(v) ? String(v) : null;
}

function scalar(v: unknown): string | null {
  if (typeof v === 'string') return v;
  if ((typeof v === 'number' && Number.isFinite(v)) || typeof v === 'boolean') return String(v);
  return null;
}

/** Mapped claims → attributes. A mapped claim of an unsupported type fails the token (fail closed). */
function mapAttributes(claims: JwtClaims, map: Record<string, string>): SessionAttributes | string {
  const pairs: Array<[string, string]> = [];
  for (const [claim, attribute] of Object.entries(map)) {
    if (!Object.hasOwn(claims, claim)) continue;
    const raw = claims[claim];
    const values = Array.isArray(raw) ? raw.map(scalar) : [scalar(raw)];
    if (values.some((v) => v === null)) return `claim ${claim} has an unsupported type`;
    for (const v of values) pairs.push([attribute, v as string]);
  }
  try {
    return buildAttributes(pairs, 'jwt');
  } catch (e) {
    return isEdgeError(e) ? e.message : 'attributes invalid';
  }
}

/** `Authorization: Bearer <jwt>` on a JWT virtual proxy. */
export function authenticateJwt(facts: RequestFacts, config: JwtConfig, options: JwtAuthOptions = {}): AuthResult {
  if (config.authenticationMethod !== 'jwt') return NONE;
  const header = singleHeader(facts, 'authorization');
  if (header.kind === 'absent') return NONE;
  if (header.kind === 'many') return reject(EdgeErrorCode.JwtInvalid, 'Authorization sent more than once');
  const m = /^Bearer +([^ ]+) *$/i.exec(header.value);
  if (!m || m[1] === undefined) return NONE;
  if (!config.jwtPublicKeyCertificate || !config.jwtAttributeUserId || !config.jwtAttributeUserDirectory) {
    return reject(EdgeErrorCode.JwtInvalid, 'virtual proxy has no complete JWT configuration');
  }
  // Fail closed: a token is only as good as who issued it and whom it is for. A virtual proxy stored
  // before both were required refuses every token until an admin sets them.
  if (!config.jwtIssuer || !config.jwtAudience) return reject(EdgeErrorCode.JwtInvalid, MISSING_ISSUER_OR_AUDIENCE);
  const key = jwtPublicKey(config.jwtPublicKeyCertificate);
  if (!key.ok) return reject(EdgeErrorCode.JwtInvalid, `configured key unusable: ${key.reason}`);
  const verified = verifyJwt(m[1], {
    key: key.key,
    issuer: config.jwtIssuer,
    audience: config.jwtAudience,
    ...(options.nowMs === undefined ? {} : { nowMs: options.nowMs }),
    ...(options.clockSkewSeconds === undefined ? {} : { clockSkewSeconds: options.clockSkewSeconds }),
  });
  if (!verified.ok) return reject(EdgeErrorCode.JwtInvalid, verified.reason);
  const { claims } = verified;
  const userId = claimString(claims, config.jwtAttributeUserId);
  const constant = CONSTANT.exec(config.jwtAttributeUserDirectory);
  const userDirectory = constant?.[1] ?? claimString(claims, config.jwtAttributeUserDirectory);
  if (userId === null || userDirectory === null) return reject(EdgeErrorCode.JwtInvalid, 'user id or directory claim missing');
  const problem = identityProblem(userDirectory) ?? identityProblem(userId);
  if (problem) return reject(EdgeErrorCode.JwtInvalid, `user in token ${problem}`);
  const attributes = mapAttributes(claims, config.jwtAttributeMap);
  if (typeof attributes === 'string') return reject(EdgeErrorCode.JwtInvalid, attributes);
  return { kind: 'authenticated', user: { userDirectory, userId, attributes, anonymous: false }, via: 'jwt' };
}
