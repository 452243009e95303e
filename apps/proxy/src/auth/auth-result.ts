import { EdgeError, EdgeErrorCode } from '../edge/edge.error';
import { httpStatusFor } from '../edge/http-error.mapper';
import type { AuthVia, AuthenticatedUser } from './authenticated-user';

/**
 * The closed outcome of an authentication method. `none` means "no credential of mine here" (another
 * method or anonymous access may apply); `rejected` means a credential was presented and is bad, which
 * never falls back to anonymous. `reason` is for logs; clients get a generic message per code.
 */
export type AuthResult =
  | { kind: 'authenticated'; user: AuthenticatedUser; via: AuthVia; targetId?: string }
  | { kind: 'none' }
  | { kind: 'rejected'; status: 401 | 403; code: EdgeErrorCode; reason: string };

export type AuthRejection = Extract<AuthResult, { kind: 'rejected' }>;

export const NONE: AuthResult = { kind: 'none' };

/** A rejection whose status is the mapper's for the code (only 401/403 codes are used here). */
export function reject(code: EdgeErrorCode, reason: string): AuthRejection {
  const status = httpStatusFor(code);
  return { kind: 'rejected', status: status === 403 ? 403 : 401, code, reason };
}

const PUBLIC_MESSAGES: Partial<Record<EdgeErrorCode, string>> = {
  [EdgeErrorCode.TicketInvalid]: 'the ticket is invalid, expired or already used',
  [EdgeErrorCode.HeaderCredentialInvalid]: 'the authentication header is invalid',
  [EdgeErrorCode.HeaderSourceUntrusted]: 'the authentication header is not accepted from this address',
  [EdgeErrorCode.JwtInvalid]: 'the bearer token is invalid',
  [EdgeErrorCode.SessionLimitReached]: 'too many sessions for this user',
};

/** A rejection as an error for the HTTP error mapper: generic public message, reason kept internal. */
export function rejectionError(r: AuthRejection): EdgeError {
  return new EdgeError(r.code, PUBLIC_MESSAGES[r.code] ?? 'authentication failed', { internalDetail: r.reason });
}

export function assertNever(x: never): never {
  throw new Error(`unexpected value ${String(x)}`);
}
