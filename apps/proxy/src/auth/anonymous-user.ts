import { randomUUID } from 'node:crypto';
import type { AuthenticatedUser } from './authenticated-user';

/** Directory of generated anonymous users (rules test `user.IsAnonymous()` / this directory). */
export const ANONYMOUS_DIRECTORY = 'ANONYMOUS';

/** A fresh anonymous identity: each anonymous visitor is a distinct user with no attributes. */
export function anonymousUser(): AuthenticatedUser {
  return { userDirectory: ANONYMOUS_DIRECTORY, userId: `anon-${randomUUID()}`, attributes: {}, anonymous: true };
}
