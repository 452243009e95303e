import type { CallContext } from '@trustzone/contracts';
import { identityKey, LIMITS } from '../db';
import { callActor } from '../audit/repository-audit';
import { viaDb } from '../errors/db-error.mapper';
import { invalid, notFound } from '../errors/service-errors';
import type { RepositoryCore } from '../repository-core';
import { SYSTEM_ACTOR } from '../security/acting-user';

export interface ResolveUserIn {
  userDirectory: string;
  userId: string;
  createIfMissing: boolean;
  name: string;
}

const identityPart = (value: string, field: string) => {
  if (value.length === 0 || value.length > LIMITS.identity || /[\\;=\u0000-\u001f]/.test(value)) throw invalid(field, 'must be 1-256 characters without \\ ; = or control characters');
  return value;
};

/** Finds (or, when asked, creates) a user by directory identity, for the proxy's user lookups. */
export async function resolveUser(core: RepositoryCore, req: ResolveUserIn, ctx: CallContext): Promise<string> {
  const dir = identityPart(req.userDirectory, 'userDirectory');
  const uid = identityPart(req.userId, 'userId');
  if (req.name.length > LIMITS.name) throw invalid('name', `must be at most ${LIMITS.name} characters`);
  await core.cache.load(['User']);
  const id = core.cache.userIdByIdentity(dir, uid);
  let user = id !== undefined ? core.cache.records('User').get(id) : undefined;
  let created = false;
  if (!user) {
    if (!req.createIfMissing) throw notFound('User');
    user = await viaDb(() => core.stores.users.create({ userDirectory: dir, userId: uid, name: req.name || uid }, SYSTEM_ACTOR));
    core.cache.put('User', user);
    created = true;
    await core.audit.record({ actor: callActor(ctx), action: 'entity.create', outcome: 'success', target: { type: 'User', id: user.id }, reason: 'resolved by the proxy', details: { identity: identityKey(dir, uid), after: user.modifiedDate.toISOString() } });
  }
  return JSON.stringify({ id: user.id, userDirectory: user.userDirectory, userId: user.userId, name: user.name, inactive: user.inactive, created });
}
