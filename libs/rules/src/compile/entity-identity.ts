import type { Resource, UserRef } from '../model/subject';
import { RulesError, RulesErrorCode } from '../rules.error';
import type { EvalScope } from './eval-scope';
import { userIdentity } from './prepared-user';
import type { ResolvedPath } from './property-path';

export type IdentityGetter = (s: EvalScope) => string | undefined;

/**
 * `resource.owner = user`, `resource.stream = resource.app.stream`: entities compare by identity.
 * Users are directory\userId; resources are type + id; a resource of type User (with userId and
 * userDirectory properties) is the same principal as that user, so `resource = user` works on
 * User resources. Identity ignores case, so `==` on entities behaves like `=`.
 */
export function identityGetter(path: Exclude<ResolvedPath, { kind: 'values' } | { kind: 'error' }>): IdentityGetter {
  switch (path.kind) {
    case 'user':
      return (s) => path.get(s).identity;
    case 'userRef':
      return (s) => refIdentity(path.get(s));
    case 'resource':
      return (s) => resourceIdentity(path.get(s));
  }
}

function refIdentity(ref: UserRef | null | undefined): string | undefined {
  if (ref === null || ref === undefined) return undefined;
  if (typeof ref.userId !== 'string' || typeof ref.userDirectory !== 'string') {
    throw new RulesError(RulesErrorCode.INVALID_INPUT, 'owner without userId/userDirectory');
  }
  return userIdentity(ref.userDirectory, ref.userId);
}

export function resourceIdentity(resource: Resource | null | undefined): string | undefined {
  if (resource === null || resource === undefined) return undefined;
  if (typeof resource.resourcetype !== 'string' || typeof resource.id !== 'string') {
    throw new RulesError(RulesErrorCode.INVALID_INPUT, 'resource without resourcetype/id');
  }
  const type = resource.resourcetype.toLowerCase();
  if (type === 'user') {
    const props = resource.properties;
    const directory = props && Object.hasOwn(props, 'userDirectory') ? props['userDirectory']?.[0] : undefined;
    const userId = props && Object.hasOwn(props, 'userId') ? props['userId']?.[0] : undefined;
    if (typeof directory === 'string' && typeof userId === 'string') return userIdentity(directory, userId);
  }
  return `r\u0000${type}\u0000${resource.id.toLowerCase()}`;
}
