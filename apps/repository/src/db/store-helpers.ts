import { notFound } from './optimistic-update';
import { withDbErrors } from './prisma-error-mapper';

/** get = find or NotFound. */
export async function getOrThrow<T>(entity: string, id: string, find: (id: string) => Promise<T | null>): Promise<T> {
  const record = await find(id);
  if (!record) throw notFound(entity, String(id));
  return record;
}

/** Deletes one row by id: NotFound when nothing matched, InUse when still referenced (Restrict). */
export async function deleteById(entity: string, id: string, run: () => Promise<{ count: number }>): Promise<void> {
  await withDbErrors(entity, 'delete', async () => {
    const { count } = await run();
    if (count === 0) throw notFound(entity, id);
  });
}

/** Reads never write, but unique/NotFound mapping is the same; keep one entry point. */
export function read<T>(entity: string, fn: () => Promise<T>): Promise<T> {
  return withDbErrors(entity, 'write', fn);
}
