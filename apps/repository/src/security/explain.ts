import { actionBit, type RuleEngine, type User } from '@trustzone/rules';
import type { SiteCache } from '../cache/site-cache';
import { invalid, notFound } from '../errors/service-errors';
import { ENTITY_KINDS } from '../entities/entity-kinds';
import { parseId } from '../entities/entity-service';
import { parseQrsType } from '../entities/qrs-types';
import { customPropertyValues, userSnapshot } from './resource-snapshots';
import type { RequestAccess } from './request-access';
import { requireRuleReader } from './rule-reader';

export interface ExplainIn {
  user: string;
  resource: string;
  action: string;
}

/** `App_<guid>`, `App.Object_<guid>`, `app/<guid>` or `app/object/<guid>`. */
function parseResourceRef(text: string): { type: ReturnType<typeof parseQrsType>; id: string } {
  const m = /^(.{1,64})[_/]([0-9a-fA-F-]{36})$/.exec(text.trim());
  if (!m) throw invalid('resource', "must be '<Type>_<guid>' or '<type>/<guid>'");
  return { type: parseQrsType(m[1] as string, 'resource'), id: parseId(m[2] as string, 'resource') };
}

/**
 * Why allowed / why denied for one (user, resource, action) in the caller's context. It shows
 * rule names and the values in false clauses, so it needs Read on the security rules; the user and
 * the resource must also be readable to the caller (otherwise NotFound, as everywhere).
 */
export async function explainDecision(cache: SiteCache, engine: RuleEngine, req: ExplainIn, access: RequestAccess): Promise<string> {
  await requireRuleReader(access);
  if (actionBit(req.action) === undefined) throw invalid('action', `unknown action '${req.action.slice(0, 64)}'`);
  const ref = parseResourceRef(req.resource);
  const kind = ENTITY_KINDS[ref.type];
  await cache.load([...kind.needs, 'User', 'CustomPropertyDefinition']);
  const record = cache.records(kind.resourceType).get(ref.id);
  if (!record) throw notFound(kind.resourceType);
  const snapshot = kind.snapshot(cache, record);
  await access.requireReadable(snapshot, kind.resourceType);

  let user: User = access.actor.user;
  if (req.user.length > 600) throw invalid('user', 'must be DIRECTORY\\userid (at most 600 characters)');
  if (req.user.trim() !== '') {
    const sep = req.user.indexOf('\\');
    if (sep <= 0 || sep === req.user.length - 1) throw invalid('user', 'must be DIRECTORY\\userid');
    const id = cache.userIdByIdentity(req.user.slice(0, sep), req.user.slice(sep + 1));
    const u = id !== undefined ? cache.records('User').get(id) : undefined;
    if (!u) throw notFound('User');
    await access.requireReadable(userSnapshot(cache, u), 'User');
    // Another user's session is unknown here: their environment is empty.
    user = { id: u.id, userId: u.userId, userDirectory: u.userDirectory, name: u.name, email: u.email, roles: u.roles, groups: u.groups, customProperties: customPropertyValues(cache, u.customProperties), environment: {}, anonymous: false };
  }
  const x = engine.explain(user, snapshot, req.action.toLowerCase(), access.actor.asserted.context);
  return JSON.stringify({
    user: { id: user.id, userDirectory: user.userDirectory, userId: user.userId },
    resource: { type: kind.resourceType, id: record.id, name: snapshot.name },
    action: x.action,
    context: x.context,
    decision: x.decision,
    candidates: x.candidates,
    text: x.text,
  });
}
