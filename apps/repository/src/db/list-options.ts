import { z } from 'zod';
import type { ListOptions } from './entity-types';
import { boundedList, guid, parseInput } from './field-schemas';

/**
 * A caller-supplied id filter is bounded: Prisma allows 999 bound values per SQLite statement and
 * does not split a filtered, ordered, paged query. Loaders that need more ids chunk by this size.
 */
export const MAX_LIST_IDS = 500;

const listOptionsSchema = z.strictObject({
  ids: boundedList(guid, MAX_LIST_IDS).optional(),
  skip: z.number().int().min(0).optional(),
  take: z.number().int().min(1).optional(),
});

/**
 * findMany arguments for a list: optional id filter, paging, and a provider-independent order
 * (createdDate, then id; ordering by text would follow each database's collation).
 */
export function listArgs(options: ListOptions | undefined, entity: string) {
  const o = parseInput(listOptionsSchema, options ?? {}, entity);
  return {
    where: o.ids ? { id: { in: o.ids } } : {},
    orderBy: [{ createdDate: 'asc' as const }, { id: 'asc' as const }],
    skip: o.skip,
    take: o.take,
  };
}
