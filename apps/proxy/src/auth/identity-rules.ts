import { EdgeError, EdgeErrorCode } from '../edge/edge.error';
import type { SessionAttributes } from './authenticated-user';

/**
 * Allow-list rules shared by every way a user identity enters the proxy (ticket body, header, JWT).
 * They match what @trustzone/contracts accepts in a user assertion (no `\ ; =`, no control characters,
 * ≤ 256 chars), so an identity accepted here can always be asserted to the services.
 */
export const IDENTITY_MAX_LENGTH = 256;
export const ATTRIBUTE_NAME_PATTERN = /^[A-Za-z_][A-Za-z0-9_-]{0,127}$/;
export const ATTRIBUTE_VALUE_MAX_LENGTH = 1024;
export const ATTRIBUTES_MAX_COUNT = 64;
export const ATTRIBUTE_VALUES_MAX_COUNT = 64;

// The proxy itself sets these environment values from the request (security-rules.md); a login
// attribute with the same name would let a portal or token spoof e.g. user.environment.context.
const RESERVED_ATTRIBUTE_NAMES = new Set(['context', 'ip', 'browser', 'os', 'device', 'securerequest']);

const FORBIDDEN_IDENTITY_CHARS = /[\\;=\u0000-\u001f\u007f]/;

/** Null when the (already trimmed) identity part is acceptable, else the reason. */
export function identityProblem(value: string): string | null {
  if (value.length === 0) return 'must not be empty';
  if (value.length > IDENTITY_MAX_LENGTH) return `longer than ${IDENTITY_MAX_LENGTH} characters`;
  if (FORBIDDEN_IDENTITY_CHARS.test(value)) return 'contains a forbidden character (\\ ; = or a control character)';
  if (value.trim() !== value) return 'must not start or end with whitespace';
  return null;
}

/**
 * The INTERNAL directory holds Qlik's service accounts (INTERNAL\sa_api, sa_repository,
 * sa_scheduler), root administrators by a shipped rule. Only an integration certificate on the API
 * port acts as one; no login (ticket, session API, header, JWT) may name that directory, in any case.
 */
export const RESERVED_LOGIN_DIRECTORY = 'INTERNAL';

/** Null when a login may use this (trimmed) directory, else the reason. */
export function loginDirectoryProblem(userDirectory: string): string | null {
  return userDirectory.toUpperCase() === RESERVED_LOGIN_DIRECTORY ? `the ${RESERVED_LOGIN_DIRECTORY} directory is reserved for service accounts` : null;
}

export function attributeNameProblem(name: string): string | null {
  if (!ATTRIBUTE_NAME_PATTERN.test(name)) return 'must match [A-Za-z_][A-Za-z0-9_-]{0,127}';
  if (RESERVED_ATTRIBUTE_NAMES.has(name.toLowerCase())) return 'is reserved for values the proxy sets itself';
  return null;
}

/**
 * Groups name/value pairs into session attributes (repeated names collect their values), enforcing
 * the bounds. Throws EdgeError(InvalidRequest) naming `field` when a bound or name rule is broken.
 */
export function buildAttributes(pairs: ReadonlyArray<readonly [string, string]>, field: string): SessionAttributes {
  const grouped = new Map<string, string[]>();
  for (const [name, value] of pairs) {
    const problem = attributeNameProblem(name);
    if (problem) throw new EdgeError(EdgeErrorCode.InvalidRequest, `${field}: attribute name '${name.slice(0, 64)}' ${problem}`, { field });
    if (value.length > ATTRIBUTE_VALUE_MAX_LENGTH) {
      throw new EdgeError(EdgeErrorCode.InvalidRequest, `${field}: value of '${name}' is too long`, { field });
    }
    const values = grouped.get(name) ?? [];
    if (values.length >= ATTRIBUTE_VALUES_MAX_COUNT) throw new EdgeError(EdgeErrorCode.InvalidRequest, `${field}: too many values for '${name}'`, { field });
    values.push(value);
    grouped.set(name, values);
    if (grouped.size > ATTRIBUTES_MAX_COUNT) throw new EdgeError(EdgeErrorCode.InvalidRequest, `${field}: too many attributes`, { field });
  }
  // fromEntries defines own data properties, so a name can never reach Object.prototype.
  return Object.fromEntries(grouped);
}
