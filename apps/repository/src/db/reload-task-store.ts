import { z } from 'zod';
import { type DbClient, type Prisma, TX_OPTIONS } from './db-client';
import type { EntityMeta, EntityStore, NamedRef } from './entity-types';
import { dbText, guid, LIMITS, parseActor, parseId, parseInput, parseModifiedDate } from './field-schemas';
import { listArgs } from './list-options';
import { storedVersion, nextModifiedDate, requireUpdated } from './optimistic-update';
import { withDbErrors } from './prisma-error-mapper';
import { namedRefSelect } from './ref-selects';
import { deleteById, getOrThrow, read } from './store-helpers';

const E = 'ReloadTask';

/** A reload task (Qlik's ReloadTask): which app, whether it may run, and how long and how often it tries. */
export interface ReloadTaskRecord extends EntityMeta {
  name: string;
  app: NamedRef;
  enabled: boolean;
  /** Minutes. */
  taskSessionTimeout: number;
  maxRetries: number;
  isManuallyTriggered: boolean;
  isPartialReload: boolean;
}

const fields = {
  name: dbText(LIMITS.name, 1),
  appId: guid,
  enabled: z.boolean(),
  taskSessionTimeout: z.number().int().min(1).max(7 * 24 * 60),
  maxRetries: z.number().int().min(0).max(20),
  isManuallyTriggered: z.boolean(),
  isPartialReload: z.boolean(),
};
const createSchema = z.strictObject({ ...fields, id: guid.optional() }).partial().required({ name: true, appId: true });
const patchSchema = z.strictObject(fields).partial();

export type ReloadTaskInput = z.input<typeof patchSchema> & Pick<z.input<typeof createSchema>, 'name' | 'appId'>;
export type ReloadTaskStore = EntityStore<ReloadTaskRecord, ReloadTaskInput>;

const include = { app: namedRefSelect } satisfies Prisma.ReloadTaskInclude;
type Row = Prisma.ReloadTaskGetPayload<{ include: typeof include }>;

export function toReloadTaskRecord(row: Row): ReloadTaskRecord {
  const { appId: _appId, ...rest } = row;
  return rest;
}

export function createReloadTaskStore(db: DbClient): ReloadTaskStore {
  const find = async (id: string) => {
    const key = parseId(id, E);
    const row = await read(E, () => db.reloadTask.findUnique({ where: { id: key }, include }));
    return row ? toReloadTaskRecord(row) : null;
  };
  return {
    async create(input, by) {
      const data = parseInput(createSchema, input, E);
      const actor = parseActor(by, E);
      const now = new Date();
      const row = await withDbErrors(E, 'write', () => db.reloadTask.create({ data: { ...data, createdDate: now, modifiedDate: now, modifiedByUserName: actor }, include }));
      return toReloadTaskRecord(row);
    },
    get: (id) => getOrThrow(E, id, find),
    find,
    async list(options) {
      return (await read(E, () => db.reloadTask.findMany({ ...listArgs(options, E), include }))).map(toReloadTaskRecord);
    },
    count: () => read(E, () => db.reloadTask.count()),
    async update(id, modifiedDate, patch, by) {
      const key = parseId(id, E);
      const expected = parseModifiedDate(modifiedDate, E);
      const p = parseInput(patchSchema, patch, E);
      const actor = parseActor(by, E);
      return withDbErrors(E, 'write', () =>
        db.$transaction(async (tx) => {
          const version = storedVersion(E, key, await tx.reloadTask.findUnique({ where: { id: key }, select: { modifiedDate: true } }), expected);
          const { count } = await tx.reloadTask.updateMany({ where: { id: key, modifiedDate: version }, data: { ...p, modifiedDate: nextModifiedDate(version), modifiedByUserName: actor } });
          requireUpdated(E, count);
          return toReloadTaskRecord(await tx.reloadTask.findUniqueOrThrow({ where: { id: key }, include }));
        }, TX_OPTIONS),
      );
    },
    async delete(id) {
      const key = parseId(id, E);
      await deleteById(E, key, () => db.reloadTask.deleteMany({ where: { id: key } }));
    },
  };
}
