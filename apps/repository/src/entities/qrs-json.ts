import type { CustomPropertyValue, EntityMeta, NamedRef, UserRef } from '../db';
import type { SiteCache } from '../cache/site-cache';

/**
 * The `/qrs` common fields. Related entities are shown with their *current* names from the cache
 * (a renamed owner, tag or property definition shows its new name everywhere at once).
 */
export type Json = Record<string, unknown>;

export const iso = (d: Date | null): string | null => (d ? d.toISOString() : null);

export function metaJson(r: EntityMeta): Json {
  return { id: r.id, createdDate: iso(r.createdDate), modifiedDate: iso(r.modifiedDate), modifiedByUserName: r.modifiedByUserName };
}

export function ownerJson(cache: SiteCache, ref: UserRef | null): Json | null {
  if (!ref) return null;
  const u = cache.records('User').get(ref.id) ?? ref;
  return { id: u.id, userId: u.userId, userDirectory: u.userDirectory, name: u.name };
}

export function customPropertiesJson(cache: SiteCache, values: readonly CustomPropertyValue[]): Json[] {
  const defs = cache.records('CustomPropertyDefinition');
  return values.flatMap((v) => {
    const def = defs.get(v.definitionId);
    return def ? [{ definition: { id: def.id, name: def.name }, value: v.value }] : [];
  });
}

export function tagsJson(cache: SiteCache, tags: readonly NamedRef[]): Json[] {
  const all = cache.records('Tag');
  return tags.flatMap((t) => {
    const tag = all.get(t.id);
    return tag ? [{ id: tag.id, name: tag.name }] : [];
  });
}

export function pick(full: Json, keys: readonly string[]): Json {
  const out: Json = {};
  for (const k of keys) if (Object.hasOwn(full, k)) out[k] = full[k];
  return out;
}
