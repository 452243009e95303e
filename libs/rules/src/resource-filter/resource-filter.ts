import { RulesError, RulesErrorCode } from '../rules.error';

/**
 * One entry of a resource filter (security-rules.md "Resource filter"). Types and ids are stored
 * lower-cased: resource type names and GUIDs compare case-insensitively.
 */
export type FilterEntry =
  /** `*` — every resource. */
  | { readonly kind: 'all' }
  /** `App_*` — exactly that type. */
  | { readonly kind: 'type'; readonly type: string }
  /** `App*` — every type whose name starts with the prefix (App, App.Object, …). */
  | { readonly kind: 'prefix'; readonly prefix: string }
  /** `App_<guid>` — exactly one resource. */
  | { readonly kind: 'id'; readonly type: string; readonly id: string };

export const FILTER_LIMITS = { maxLength: 8_192, maxEntries: 256 } as const;

const TYPE_NAME = /^[A-Za-z][A-Za-z0-9.]*$/;
const RESOURCE_ID = /^[A-Za-z0-9][A-Za-z0-9.-]*$/;

/** Parses a comma-separated filter; throws RulesError(INVALID_RESOURCE_FILTER) naming the entry. */
export function parseResourceFilter(text: string): FilterEntry[] {
  if (typeof text !== 'string' || text.trim() === '') throw invalid('the resource filter is empty');
  if (text.length > FILTER_LIMITS.maxLength) throw invalid(`the resource filter is longer than ${FILTER_LIMITS.maxLength} characters`);
  const raw = text.split(',');
  if (raw.length > FILTER_LIMITS.maxEntries) throw invalid(`more than ${FILTER_LIMITS.maxEntries} entries`);
  return raw.map((entry, index) => parseEntry(entry.trim(), index + 1));
}

function parseEntry(entry: string, position: number): FilterEntry {
  const where = `entry ${position}`;
  if (entry === '') throw invalid(`${where} is empty`);
  if (entry === '*') return { kind: 'all' };
  if (entry.endsWith('_*')) {
    const type = entry.slice(0, -2);
    if (type.includes('*')) throw invalid(`${where} '${entry}' combines '*' with '_*'`);
    if (!TYPE_NAME.test(type)) throw invalid(`${where} '${entry}' has an invalid type name`);
    return { kind: 'type', type: type.toLowerCase() };
  }
  if (entry.endsWith('*')) {
    const prefix = entry.slice(0, -1);
    if (prefix.includes('*') || prefix.includes('_')) throw invalid(`${where} '${entry}': '*' may only end a type prefix`);
    if (!TYPE_NAME.test(prefix)) throw invalid(`${where} '${entry}' has an invalid type prefix`);
    return { kind: 'prefix', prefix: prefix.toLowerCase() };
  }
  if (entry.includes('*')) throw invalid(`${where} '${entry}': '*' may only appear at the end`);
  const underscore = entry.indexOf('_');
  if (underscore < 0) throw invalid(`${where} '${entry}' must be Type_<id>, Type_*, Prefix* or *`);
  const type = entry.slice(0, underscore);
  const id = entry.slice(underscore + 1);
  if (!TYPE_NAME.test(type)) throw invalid(`${where} '${entry}' has an invalid type name`);
  if (!RESOURCE_ID.test(id)) throw invalid(`${where} '${entry}' has an invalid resource id`);
  return { kind: 'id', type: type.toLowerCase(), id: id.toLowerCase() };
}

/** Type-level match (ignores id entries); `lowerType` is the resource type lower-cased. */
export function entryMatchesType(entry: FilterEntry, lowerType: string): boolean {
  switch (entry.kind) {
    case 'all':
      return true;
    case 'type':
      return entry.type === lowerType;
    case 'prefix':
      return lowerType.startsWith(entry.prefix);
    case 'id':
      return false;
  }
}

export function filterMatches(entries: readonly FilterEntry[], resourceType: string, resourceId: string): boolean {
  const type = resourceType.toLowerCase();
  const id = resourceId.toLowerCase();
  return entries.some((e) => (e.kind === 'id' ? e.type === type && e.id === id : entryMatchesType(e, type)));
}

export function printResourceFilter(entries: readonly FilterEntry[]): string {
  return entries
    .map((e) => (e.kind === 'all' ? '*' : e.kind === 'type' ? `${e.type}_*` : e.kind === 'prefix' ? `${e.prefix}*` : `${e.type}_${e.id}`))
    .join(',');
}

function invalid(message: string): RulesError {
  return new RulesError(RulesErrorCode.INVALID_RESOURCE_FILTER, message);
}
