import { z } from 'zod';
import type { CustomPropertyValue, CustomPropertyValueInput } from '../db';
import { invalid } from '../errors/service-errors';

/**
 * Pieces of the `/qrs` entity bodies, validated at the edge (zod, bounded). Clients PUT back what
 * they GET, so server-maintained fields are accepted and ignored; anything not listed is refused
 * with the field named (a typo must not silently do nothing).
 */
export const readOnly = z.unknown().optional();
export const COMMON_READ_ONLY = { id: readOnly, createdDate: readOnly, modifiedByUserName: readOnly, privileges: readOnly, schemaPath: readOnly };

const text = (max: number) => z.string().max(max, `must be at most ${max} characters`);
export const NAME = text(1024);
export const SHORT = text(256);
export const LONG = text(64 * 1024);
const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
export const guid = z.string().regex(GUID, 'must be a GUID').transform((s) => s.toLowerCase());

/** The `modifiedDate` a client read: required on update (optimistic concurrency). */
export const modifiedDate = z
  .string({ error: 'is required (send the modifiedDate you read)' })
  .max(64)
  .transform((s, ctx) => {
    const d = new Date(s);
    if (Number.isNaN(d.getTime())) {
      ctx.addIssue({ code: 'custom', message: 'must be an ISO date' });
      return z.NEVER;
    }
    return d;
  });

/** A user reference: by id, or by directory identity. */
export const userRefInput = z.looseObject({ id: guid.optional(), userId: SHORT.optional(), userDirectory: SHORT.optional() });
export const namedRefInput = z.looseObject({ id: guid.optional(), name: NAME.optional() });
export const customPropertiesInput = z
  .array(z.looseObject({ definition: namedRefInput, value: NAME }))
  .max(1000, 'must have at most 1000 items');
export const tagsInput = z.array(namedRefInput).max(1000, 'must have at most 1000 items');

export const valueInputs = (values: readonly CustomPropertyValue[]): CustomPropertyValueInput[] => values.map((v) => ({ definitionId: v.definitionId, value: v.value }));

/** A change the body asks for on a field the client may only read. */
export function refuseChange(field: string, why: string): never {
  throw invalid(`body.${field}`, why);
}
