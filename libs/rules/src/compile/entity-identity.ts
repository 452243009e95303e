import type { Resource, UserRef } from '../model/subject';
import { RulesError, RulesErrorCode } from '../rules.error';
import type { EvalScope } from './eval-scope';
import { userIdentity } from './prepared-user';
import type { ResolvedPath } from './property-path';
import { equalsIgnoreCase } from './value-compare';

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

type EntityPath = Exclude<ResolvedPath, { kind: 'values' } | { kind: 'error' }>;

/**
 * Identity comparison between two entity paths. The frequent `resource.owner = user` compares the
 * directory and user id fields directly (no key string per evaluation); everything else compares
 * identity keys. A missing entity makes every operator false.
 */
export function identityTest(op: '=' | '!=' | '==' | '!==', left: EntityPath, right: EntityPath): (s: EvalScope) => boolean {
  const equal = op === '=' || op === '==';
  if (left.kind === 'userRef' && right.kind === 'user') return ownerTest(left.get, equal);
  if (left.kind === 'user' && right.kind === 'userRef') return ownerTest(right.get, equal);
  const [l, r] = [identityGetter(left), identityGetter(right)];
  return (s) => {
    const [a, b] = [l(s), r(s)];
    if (a === undefined || b === undefined) return false;
    return (a === b) === equal;
  };
}

function ownerTest(get: (s: EvalScope) => UserRef | null | undefined, equal: boolean): (s: EvalScope) => boolean {
  return (s) => {
    const ref = get(s);
    if (ref === null || ref === undefined) return false;
    if (typeof ref.userId !== 'string' || typeof ref.userDirectory !== 'string') {
      throw new RulesError(RulesErrorCode.INVALID_INPUT, 'owner without userId/userDirectory');
    }
    const user = s.user.raw;
    return (equalsIgnoreCase(ref.userId, user.userId) && equalsIgnoreCase(ref.userDirectory, user.userDirectory)) === equal;
  };
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
