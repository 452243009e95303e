import type { z } from 'zod';
import { DbError, DbErrorCode } from './db.error';

/**
 * Reads a JSON-in-TEXT column (small ordered lists nothing queries; see prisma/model.prisma). A value
 * that does not parse or has the wrong shape is CorruptData: refusing beats guessing for data such
 * as host allow lists that security checks read.
 */
export function parseJsonText<T extends z.ZodType>(schema: T, text: string, entity: string, field: string): z.output<T> {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (cause) {
    throw new DbError(DbErrorCode.CorruptData, `${entity}.${field}: stored value is not JSON`, { entity, field, cause });
  }
  return parseStored(schema, value, entity, field);
}

/** A stored value must still be inside its closed set; one that is not is CorruptData, never widened. */
export function parseStored<T extends z.ZodType>(schema: T, value: unknown, entity: string, field: string): z.output<T> {
  const result = schema.safeParse(value);
  if (!result.success) {
    throw new DbError(DbErrorCode.CorruptData, `${entity}.${field}: stored value has the wrong shape`, { entity, field });
  }
  return result.data;
}

export function toJsonText(value: unknown): string {
  return JSON.stringify(value);
}
