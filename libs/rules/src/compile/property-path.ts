import type { Resource, UserRef } from '../model/subject';
import { RESOURCE_PROPERTY_NAMES } from '../model/subject';
import { RulesErrorCode } from '../rules.error';
import type { EvalScope } from './eval-scope';
import type { PreparedUser } from './prepared-user';

/** A raw value as read from the snapshot: string, list of strings, or null/undefined (missing). */
export type RawValue = unknown;

export type ResolvedPath =
  | { readonly kind: 'values'; readonly get: (s: EvalScope) => RawValue }
  | { readonly kind: 'user'; readonly get: (s: EvalScope) => PreparedUser }
  | { readonly kind: 'userRef'; readonly get: (s: EvalScope) => UserRef | null | undefined }
  | { readonly kind: 'resource'; readonly get: (s: EvalScope) => Resource | null | undefined }
  | { readonly kind: 'error'; readonly code: RulesErrorCode; readonly message: string };

type EntityPath = Exclude<ResolvedPath, { kind: 'values' } | { kind: 'error' }>;

const PROPERTY_BY_LOWER = new Map<string, string>(RESOURCE_PROPERTY_NAMES.map((name) => [name.toLowerCase(), name]));

/** Own-property read: `resource.@constructor` must not reach Object.prototype. */
function own(record: unknown, key: string): RawValue {
  return record !== null && typeof record === 'object' && Object.hasOwn(record, key)
    ? (record as Record<string, unknown>)[key]
    : undefined;
}

/**
 * Resolves a path statically (once, at compile time) into a getter chain. Built-in names are
 * case-insensitive; custom property (`@Name`) and their keys are exact. An unknown segment yields
 * an 'error' path, which makes the rule report an evaluation error instead of reading "missing".
 */
export function resolvePath(segments: readonly string[]): ResolvedPath {
  const [root, ...rest] = segments;
  let current: ResolvedPath;
  switch (root?.toLowerCase()) {
    case 'user':
      current = { kind: 'user', get: (s) => s.user };
      break;
    case 'resource':
      current = { kind: 'resource', get: (s) => s.resource };
      break;
    default:
      return unknown(`unknown path root '${root ?? ''}' (expected 'user' or 'resource')`);
  }
  for (let i = 0; i < rest.length; i++) {
    const segment = rest[i] as string;
    if (current.kind === 'values' || current.kind === 'error') {
      return unknown(`'${segments.slice(0, i + 1).join('.')}' is a value and has no '${segment}'`);
    }
    if (current.kind === 'user' && segment.toLowerCase() === 'environment') {
      const name = rest[i + 1];
      if (name === undefined) return unknown("'user.environment' needs an attribute name, e.g. user.environment.browser");
      const lower = name.toLowerCase();
      current = { kind: 'values', get: (s) => s.user.environment(lower) };
      i++;
      continue;
    }
    current = step(current, segment, segments.slice(0, i + 2).join('.'));
  }
  return current;
}

function step(from: EntityPath, segment: string, shown: string): ResolvedPath {
  const lower = segment.toLowerCase();
  if (segment.startsWith('@')) {
    const name = segment.slice(1);
    if (from.kind === 'user') return values((s) => own(from.get(s).raw.customProperties, name));
    const get = from.get as (s: EvalScope) => Resource | UserRef | null | undefined;
    return values((s) => own(get(s)?.customProperties, name));
  }
  if (from.kind === 'user') return userStep(from, lower, shown);
  if (from.kind === 'userRef') return userRefStep(from, lower, shown);
  return resourceStep(from, lower, shown);
}

function userStep(from: { get: (s: EvalScope) => PreparedUser }, lower: string, shown: string): ResolvedPath {
  const get = from.get;
  switch (lower) {
    case 'name':
    case 'userid':
    case 'userdirectory':
    case 'email':
    case 'id': {
      const key = USER_FIELDS[lower] as string;
      return values((s) => own(get(s).raw, key));
    }
    case 'group':
      return values((s) => get(s).raw.groups);
    case 'roles':
      return values((s) => get(s).raw.roles);
    default:
      return unknown(`unknown user property in '${shown}'`);
  }
}

function userRefStep(from: { get: (s: EvalScope) => UserRef | null | undefined }, lower: string, shown: string): ResolvedPath {
  const get = from.get;
  if (lower === 'group') return values((s) => get(s)?.groups);
  if (lower === 'roles') return values((s) => get(s)?.roles);
  const key = USER_FIELDS[lower];
  if (key === undefined) return unknown(`unknown owner property in '${shown}'`);
  return values((s) => own(get(s), key));
}

function resourceStep(from: { get: (s: EvalScope) => Resource | null | undefined }, lower: string, shown: string): ResolvedPath {
  const get = from.get;
  switch (lower) {
    case 'resourcetype':
      return values((s) => get(s)?.resourcetype);
    case 'id':
      return values((s) => get(s)?.id);
    case 'name':
      return values((s) => get(s)?.name);
    case 'owner':
      return { kind: 'userRef', get: (s) => get(s)?.owner };
    case 'stream':
      return { kind: 'resource', get: (s) => get(s)?.stream };
    case 'app':
      return { kind: 'resource', get: (s) => get(s)?.app };
  }
  const property = PROPERTY_BY_LOWER.get(lower);
  if (property === undefined) return unknown(`unknown resource property in '${shown}'`);
  return values((s) => own(get(s)?.properties, property));
}

const USER_FIELDS: Readonly<Record<string, string>> = {
  name: 'name',
  userid: 'userId',
  userdirectory: 'userDirectory',
  email: 'email',
  id: 'id',
};

function values(get: (s: EvalScope) => RawValue): ResolvedPath {
  return { kind: 'values', get };
}

function unknown(message: string): ResolvedPath {
  return { kind: 'error', code: RulesErrorCode.UNKNOWN_PATH, message };
}
