import { actionBit } from '@trustzone/rules';
import type { SiteCache } from '../cache/site-cache';
import { invalid } from '../errors/service-errors';
import { ENTITY_KINDS } from '../entities/entity-kinds';
import { parseId } from '../entities/entity-service';
import { MANAGEMENT_TYPES, parseQrsType } from '../entities/qrs-types';
import type { RequestAccess } from './request-access';

export interface AuthorizeIn {
  resourceType: string;
  resourceId: string;
  action: string;
}

/** Same answer for a missing entity and a denied one: the asker must not learn what exists. */
const NOT_ALLOWED = 'not allowed';

/**
 * "May this user <action> this resource?" — the engine asks before opening an app (hub context),
 * the proxy before acting on a user's behalf. Denials are audited with the deciding reason. An
 * allowed answer carries the user's groups: the engine applies section access with them.
 */
export async function authorize(cache: SiteCache, req: AuthorizeIn, access: RequestAccess): Promise<{ allowed: boolean; reason: string; groups: string[] }> {
  const kind = ENTITY_KINDS[parseQrsType(req.resourceType, 'resourceType')];
  const id = parseId(req.resourceId, 'resourceId');
  if (actionBit(req.action) === undefined) throw invalid('action', `unknown action '${req.action.slice(0, 64)}'`);
  const action = req.action.toLowerCase();
  await cache.load(kind.needs);
  const record = cache.records(kind.resourceType).get(id);
  if (!record) {
    await access.recordDenial({ resourcetype: kind.resourceType, id, name: '' }, action, { kind: 'deny', reason: 'no-candidate-rules', errors: [] }, 'no such entity');
    return { allowed: false, reason: NOT_ALLOWED, groups: [] };
  }
  const snapshot = kind.snapshot(cache, record);
  const decision = access.decide(snapshot, action);
  if (decision.kind === 'deny') {
    await access.recordDenial(snapshot, action, decision);
    return { allowed: false, reason: NOT_ALLOWED, groups: [] };
  }
  if (MANAGEMENT_TYPES.has(kind.resourceType)) await access.require(snapshot, action);
  // The user's groups as the rules saw them (db/user-groups.ts), for the engine's GROUP rows.
  return { allowed: true, reason: `granted by ${decision.grantedBy.join(', ')}`, groups: [...access.actor.user.groups] };
}
