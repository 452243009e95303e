import { z } from 'zod';
import { DbError, DbErrorCode } from './db.error';

/** Size bounds: every string and list that reaches the database is bounded here. */
export const LIMITS = {
  identity: 256,
  name: 1024,
  shortText: 256,
  text: 64 * 1024,
  script: 4 * 1024 * 1024,
  certificate: 64 * 1024,
  listItems: 1000,
} as const;

const UNPAIRED_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/**
 * Text both providers store and return byte-for-byte: PostgreSQL rejects NUL in text and UTF-8 has
 * no encoding for an unpaired surrogate (SQLite would silently substitute U+FFFD). Everything else,
 * quotes, control characters, emoji, right-to-left marks, is stored literally.
 */
export function isStorableText(value: string): boolean {
  return !value.includes('\0') && !UNPAIRED_SURROGATE.test(value);
}

export function dbText(max: number, min = 0) {
  return z
    .string()
    .min(min, min === 1 ? 'must not be empty' : `must be at least ${min} characters`)
    .max(max, `must be at most ${max} characters`)
    .refine(isStorableText, 'must not contain NUL or unpaired surrogate characters');
}

const GUID = /^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$/;

/** Ids are GUIDs, stored lower case (Prisma's uuid() makes lower case; callers may send either). */
export const guid = z
  .string()
  .regex(GUID, 'must be a GUID')
  .transform((s) => s.toLowerCase());

export const validDate = z.date().refine((d) => !Number.isNaN(d.getTime()), 'must be a valid date');

export function boundedList<T extends z.ZodType>(item: T, max: number = LIMITS.listItems) {
  return z.array(item).max(max, `must have at most ${max} items`);
}

/** Parses with a schema; the first issue becomes an InvalidInput DbError naming the field. */
export function parseInput<T extends z.ZodType>(schema: T, value: unknown, entity: string, at?: string): z.output<T> {
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  const issue = result.error.issues[0];
  const field = [at, ...(issue?.path.map(String) ?? [])].filter(Boolean).join('.') || undefined;
  throw new DbError(DbErrorCode.InvalidInput, `${entity}${field ? `.${field}` : ''}: ${issue?.message ?? 'invalid'}`, { entity, field });
}

/** Validates an id argument (get/update/delete); a malformed id is bad input, not a missing entity. */
export function parseId(id: unknown, entity: string): string {
  return parseInput(guid, id, entity, 'id');
}

/** The modifiedDate a caller read, for optimistic concurrency. */
export function parseModifiedDate(value: unknown, entity: string): Date {
  return parseInput(validDate, value, entity, 'modifiedDate');
}

/** Who made the change (modifiedByUserName). */
export function parseActor(value: unknown, entity: string): string {
  return parseInput(dbText(LIMITS.shortText, 1), value, entity, 'modifiedByUserName');
}

/** RFC 1123 host labels: a DNS name or IPv4 address. Host names end up in TLS names and allow lists. */
const LABELS = '[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?(?:\\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*';
const HOST = new RegExp(`^${LABELS}$`);
const HOST_PORT = new RegExp(`^${LABELS}(?::\\d{1,5})?$`);

export const hostName = z.string().min(1).max(253).regex(HOST, 'must be a host name').transform((h) => h.toLowerCase());
/** A host name with an optional port (`hub.example.com:8443`), as in allow lists. */
export const hostNameWithPort = z
  .string()
  .min(1)
  .max(259)
  .regex(HOST_PORT, 'must be a host name with an optional :port')
  .transform((h) => h.toLowerCase());
