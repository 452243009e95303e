import { TrustError, TrustErrorCode } from './trust.error';

export const SERVICE_NAMES = ['proxy', 'repository', 'engine'] as const;
export type ServiceName = (typeof SERVICE_NAMES)[number];

/** Who a certificate speaks for. Closed union: handlers switch on `kind` and end in assertNever. */
export type ServiceIdentity =
  | { kind: 'service'; siteId: string; service: ServiceName }
  | { kind: 'integration'; siteId: string; name: string };

/** Integration names end up in a URI SAN and in file listings: keep them to a small, safe alphabet. */
export const INTEGRATION_NAME = /^[a-z0-9][a-z0-9._-]{0,63}$/;
const SITE_ID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const URN_PREFIX = 'urn:trustzone:';

export function isServiceName(value: string): value is ServiceName {
  return (SERVICE_NAMES as readonly string[]).includes(value);
}

export function isSiteId(value: string): boolean {
  return SITE_ID.test(value);
}

/**
 * Parses `urn:trustzone:<siteId>:<service>` or `urn:trustzone:<siteId>:integration:<name>` (the
 * SPIFFE habit: identity in a URI SAN). Anything else, including upper case, is refused: identities
 * are compared as strings elsewhere and must have exactly one spelling.
 */
export function parseIdentityUri(uri: string): ServiceIdentity {
  const bad = () => new TrustError(TrustErrorCode.IdentityMissing, `not a trust-zone identity URI: ${JSON.stringify(uri.slice(0, 200))}`);
  if (uri.length > 200 || !uri.startsWith(URN_PREFIX)) throw bad();
  const parts = uri.slice(URN_PREFIX.length).split(':');
  const [siteId, first, second] = parts;
  if (siteId === undefined || !SITE_ID.test(siteId)) throw bad();
  if (parts.length === 2 && first !== undefined && isServiceName(first)) return { kind: 'service', siteId, service: first };
  if (parts.length === 3 && first === 'integration' && second !== undefined && INTEGRATION_NAME.test(second)) {
    return { kind: 'integration', siteId, name: second };
  }
  throw bad();
}

export function identityToUri(id: ServiceIdentity): string {
  return `${URN_PREFIX}${id.siteId}:${identityToString(id)}`;
}

/** Short, site-less form used in allow-lists and logs: `proxy`, `integration:portal`. */
export function identityToString(id: ServiceIdentity): string {
  switch (id.kind) {
    case 'service':
      return id.service;
    case 'integration':
      return `integration:${id.name}`;
    default:
      return assertNever(id);
  }
}

export function assertNever(value: never): never {
  throw new Error(`unexpected value: ${JSON.stringify(value)}`);
}

/** Allow-list predicate from short names, e.g. `identityAllowList(['proxy', 'integration:portal'])`. */
export function identityAllowList(names: readonly string[]): (id: ServiceIdentity) => boolean {
  const allowed = new Set(names);
  return (id) => allowed.has(identityToString(id));
}
