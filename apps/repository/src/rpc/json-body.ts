import type { z } from 'zod';
import { ErrorCode, ServiceError } from '@trustzone/contracts';
import { invalid } from '../errors/service-errors';

/** Entity bodies are small; the largest legitimate one (a virtual proxy with a JWT certificate) is far below this. */
export const MAX_JSON_BYTES = 1024 * 1024;

/** Parses a JSON text from the wire; too large → PayloadTooLarge, malformed → InvalidArgument naming `field`. */
export function parseJsonText(text: string, field = 'body', max = MAX_JSON_BYTES): unknown {
  if (typeof text !== 'string' || text.length === 0) throw invalid(field, 'a JSON body is required');
  if (Buffer.byteLength(text, 'utf8') > max) throw new ServiceError(ErrorCode.PayloadTooLarge, `${field} is larger than ${max} bytes`, { field });
  try {
    return JSON.parse(text) as unknown;
  } catch {
    throw invalid(field, 'is not valid JSON');
  }
}

/** Validates with a zod schema; the first issue becomes InvalidArgument naming `<field>.<path>`. */
export function parseWith<T extends z.ZodType>(schema: T, value: unknown, field = 'body'): z.output<T> {
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  const issue = result.error.issues[0];
  let path = [field, ...(issue?.path.map(String) ?? [])].join('.');
  let message = issue?.message ?? 'invalid';
  if (issue?.code === 'unrecognized_keys') {
    path = [path, ...issue.keys.slice(0, 1)].join('.');
    message = 'is not a field of this entity (or cannot be written)';
  }
  throw invalid(path, message);
}
