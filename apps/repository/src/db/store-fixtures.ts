// Test support: small builders over the real stores (unique names so tests can share a database).
import { randomBytes } from 'node:crypto';
import type { AppInput } from './app-store';
import type { RepositoryStores } from './repository-stores';
import type { UserInput } from './user-store';

export const ACTOR = 'INTERNAL\\sa_test';

export const unique = (prefix: string) => `${prefix}-${randomBytes(6).toString('hex')}`;

export function newUser(s: RepositoryStores, input: Partial<UserInput> = {}) {
  return s.users.create({ userDirectory: 'CORP', userId: unique('user'), ...input }, ACTOR);
}

export function newStream(s: RepositoryStores, name = unique('stream')) {
  return s.streams.create({ name }, ACTOR);
}

export async function newApp(s: RepositoryStores, input: Partial<AppInput> = {}) {
  const ownerId = input.ownerId ?? (await newUser(s)).id;
  return s.apps.create({ name: unique('app'), ...input, ownerId }, ACTOR);
}
