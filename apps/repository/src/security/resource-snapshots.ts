import type { Resource, UserRef, Values } from '@trustzone/rules';
import type { AppObjectRecord, AppRecord, CustomPropertyValue, DataConnectionRecord, SecurityRuleRecord, StreamRecord, UserRecord } from '../db';
import type { SiteCache } from '../cache/site-cache';

/**
 * Rule inputs (`Resource` snapshots) built from cached records, memoised until the next write.
 * Related entities are inlined (an app's stream and owner, an object's app) so
 * `resource.stream.HasPrivilege("read")` and `resource.app.owner = user` evaluate on real data.
 * Custom properties are keyed by their definition's current name (`resource.@Region`); booleans
 * are the strings "true"/"false" (security-rules.md).
 */
const bool = (b: boolean): string[] => [b ? 'true' : 'false'];

/** Would-be entities (a create being checked) are built without memoising: they may never exist. */
function memoOr<V>(cache: SiteCache, space: string, id: string, memo: boolean, build: () => V): V {
  return memo ? cache.memo(space, id, build) : build();
}

/** Values grouped by the definition's current name; values of deleted definitions are dropped. */
export function customPropertyValues(cache: SiteCache, values: readonly CustomPropertyValue[]): Values {
  const defs = cache.records('CustomPropertyDefinition');
  const out: Record<string, string[]> = {};
  for (const v of values) {
    const name = defs.get(v.definitionId)?.name;
    if (name === undefined) continue;
    (out[name] ??= []).push(v.value);
  }
  return out;
}

export function ownerRef(cache: SiteCache, id: string | undefined): UserRef | null {
  if (id === undefined) return null;
  return cache.memo('owner', id, () => {
    const u = cache.records('User').get(id);
    if (!u) return null;
    return { id: u.id, userId: u.userId, userDirectory: u.userDirectory, name: u.name, email: u.email, groups: u.groups, roles: u.roles, customProperties: customPropertyValues(cache, u.customProperties) };
  });
}

export function streamSnapshot(cache: SiteCache, s: StreamRecord, memo = true): Resource {
  return memoOr(cache, 'snap:Stream', s.id, memo, () => ({
    resourcetype: 'Stream',
    id: s.id,
    name: s.name,
    properties: {},
    customProperties: customPropertyValues(cache, s.customProperties),
    owner: ownerRef(cache, s.owner?.id),
  }));
}

export function appSnapshot(cache: SiteCache, a: AppRecord, memo = true): Resource {
  return memoOr(cache, 'snap:App', a.id, memo, () => {
    const stream = a.stream ? cache.records('Stream').get(a.stream.id) : undefined;
    return {
      resourcetype: 'App',
      id: a.id,
      name: a.name,
      properties: { published: bool(a.published), description: [a.description] },
      customProperties: customPropertyValues(cache, a.customProperties),
      owner: ownerRef(cache, a.owner.id),
      stream: stream ? streamSnapshot(cache, stream) : null,
    };
  });
}

export function appObjectSnapshot(cache: SiteCache, o: AppObjectRecord, memo = true): Resource {
  return memoOr(cache, 'snap:App.Object', o.id, memo, () => {
    const app = cache.records('App').get(o.app.id);
    return {
      resourcetype: 'App.Object',
      id: o.id,
      name: o.name,
      properties: { objectType: [o.objectType], published: bool(o.published), approved: bool(o.approved) },
      customProperties: customPropertyValues(cache, o.customProperties),
      owner: ownerRef(cache, o.owner.id),
      app: app ? appSnapshot(cache, app) : null,
    };
  });
}

export function userSnapshot(cache: SiteCache, u: UserRecord, memo = true): Resource {
  return memoOr(cache, 'snap:User', u.id, memo, () => ({
    resourcetype: 'User',
    id: u.id,
    name: u.name,
    properties: { userId: [u.userId], userDirectory: [u.userDirectory], email: [u.email], inactive: bool(u.inactive), removedExternally: bool(u.removedExternally) },
    customProperties: customPropertyValues(cache, u.customProperties),
    owner: null,
  }));
}

export function dataConnectionSnapshot(cache: SiteCache, d: DataConnectionRecord, memo = true): Resource {
  return memoOr(cache, 'snap:DataConnection', d.id, memo, () => ({
    resourcetype: 'DataConnection',
    id: d.id,
    name: d.name,
    properties: { type: [d.type], connectionstring: [d.connectionString] },
    customProperties: customPropertyValues(cache, d.customProperties),
    owner: ownerRef(cache, d.owner.id),
  }));
}

export function systemRuleSnapshot(r: SecurityRuleRecord): Resource {
  return { resourcetype: 'SystemRule', id: r.id, name: r.name, properties: { type: [r.type], category: [r.category], disabled: bool(r.disabled) }, customProperties: {} };
}

/** Types without owner or custom properties (tags, definitions, proxies, nodes). */
export function plainSnapshot(resourcetype: string, id: string, name: string): Resource {
  return { resourcetype, id, name, properties: {}, customProperties: {} };
}
