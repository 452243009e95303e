import type { CallContext } from '@trustzone/contracts';
import { ATTRIBUTE_SOURCES, type AttributeSource } from '../db';
import { callActor } from '../audit/repository-audit';
import { viaDb } from '../errors/db-error.mapper';
import { invalid } from '../errors/service-errors';
import type { RepositoryCore } from '../repository-core';
import { SYSTEM_ACTOR } from '../security/acting-user';

export interface LoginRecordIn {
  method: string;
  attributes: { type: string; value: string }[];
}

type LoginSource = Exclude<AttributeSource, 'qrs'>;
const LOGIN_SOURCES = ATTRIBUTE_SOURCES.filter((s): s is LoginSource => s !== 'qrs');
/** The proxy bounds login attributes already (64 names × 64 values); this is the repository's own bound. */
const MAX_ATTRIBUTES = 1000;

/**
 * A named user's login, reported by the proxy: the login's attributes become the user's attributes
 * of that source (Qlik persists a login's attributes onto the user), replacing the previous login's
 * of the same method and keeping QRS-set ones. The user is created on first login like on any call.
 * Anonymous sessions have no stored user and report nothing.
 */
export async function recordLogin(core: RepositoryCore, req: LoginRecordIn, ctx: CallContext): Promise<void> {
  const source = LOGIN_SOURCES.find((s) => s === req.method);
  if (!source) throw invalid('method', `must be one of ${LOGIN_SOURCES.join(', ')}`);
  if (req.attributes.length > MAX_ATTRIBUTES) throw invalid('attributes', `must have at most ${MAX_ATTRIBUTES} items`);
  const actor = await core.users.resolve(ctx);
  if (!actor.record) return;
  const before = actor.record;
  const attributes = req.attributes.map((a) => ({ type: a.type, value: a.value }));
  // The usual login brings what the last one did: answered from the cached record, no transaction
  // (header logins start a session per cookie-less request, so this path must stay cheap).
  const current = before.attributes.filter((a) => a.source === source);
  if (current.length === attributes.length && current.every((a, i) => a.type === attributes[i]!.type && a.value === attributes[i]!.value && a.externalId === '')) return;
  const updated = await viaDb(() => core.stores.users.replaceLoginAttributes(before.id, source, attributes, SYSTEM_ACTOR));
  core.cache.put('User', updated);
  if (updated.modifiedDate.getTime() === before.modifiedDate.getTime()) return;
  // A login that changes the user's groups changes what rules grant: it is in the audit trail.
  await core.audit.record({
    actor: callActor(ctx), action: 'entity.update', outcome: 'success', target: { type: 'User', id: updated.id }, reason: `${source} login attributes`,
    details: { before: before.modifiedDate.toISOString(), after: updated.modifiedDate.toISOString(), groupsBefore: before.groups.length, groupsAfter: updated.groups.length },
  });
}
