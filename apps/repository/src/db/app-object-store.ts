import { z } from 'zod';
import { type DbClient, type Prisma, TX_OPTIONS } from './db-client';
import type { CustomPropertyValue, EntityMeta, EntityStore, NamedRef, UserRef } from './entity-types';
import { dbText, guid, LIMITS, parseActor, parseId, parseInput, parseModifiedDate } from './field-schemas';
import { listArgs } from './list-options';
import { storedVersion, nextModifiedDate, requireUpdated } from './optimistic-update';
import { withDbErrors } from './prisma-error-mapper';
import { namedRefSelect, userRefSelect } from './ref-selects';
import { deleteById, getOrThrow, read } from './store-helpers';
import { linkCreates, linkInclude, linkInputShape, mapLinks, replaceLinks, validateLinks } from './target-links';

const E = 'App.Object';

export interface AppObjectRecord extends EntityMeta {
  /** "sheet", "bookmark", "story", … (rules compare `resource.objectType`). */
  objectType: string;
  name: string;
  published: boolean;
  approved: boolean;
  owner: UserRef;
  app: NamedRef;
  /** The object's id in the app file (QIX qId); null for an object made through /qrs alone. */
  engineObjectId: string | null;
  customProperties: CustomPropertyValue[];
  tags: NamedRef[];
}

const fields = {
  objectType: dbText(LIMITS.shortText, 1),
  name: dbText(LIMITS.name),
  published: z.boolean(),
  approved: z.boolean(),
  ownerId: guid,
  ...linkInputShape,
};
/** A QIX qId: clients choose it freely (Qlik's are short random strings), so any text without control characters. */
export const ENGINE_OBJECT_ID = z.string().min(1).max(LIMITS.shortText).regex(/^[^\u0000-\u001f\u007f]+$/, 'no control characters');
// appId and engineObjectId are fixed at creation: an object never moves to another app or id.
const createSchema = z
  .strictObject({ ...fields, appId: guid, id: guid.optional(), engineObjectId: ENGINE_OBJECT_ID.optional() })
  .partial()
  .required({ objectType: true, ownerId: true, appId: true });
const patchSchema = z.strictObject(fields).partial();

export type AppObjectInput = z.input<typeof patchSchema> & Pick<z.input<typeof createSchema>, 'objectType' | 'ownerId' | 'appId' | 'engineObjectId'>;

export interface AppObjectStore extends EntityStore<AppObjectRecord, AppObjectInput> {
  /** All objects of one app (empty when the app has none or does not exist). */
  listByApp(appId: string): Promise<AppObjectRecord[]>;
}

export const appObjectInclude = { owner: userRefSelect, app: namedRefSelect, ...linkInclude } satisfies Prisma.AppObjectInclude;
type Row = Prisma.AppObjectGetPayload<{ include: typeof appObjectInclude }>;

export function toAppObjectRecord(row: Row): AppObjectRecord {
  return {
    id: row.id,
    createdDate: row.createdDate,
    modifiedDate: row.modifiedDate,
    modifiedByUserName: row.modifiedByUserName,
    objectType: row.objectType,
    name: row.name,
    published: row.published,
    approved: row.approved,
    owner: row.owner,
    app: row.app,
    engineObjectId: row.engineObjectId,
    ...mapLinks(row),
  };
}

export function createAppObjectStore(db: DbClient): AppObjectStore {
  const include = appObjectInclude;
  const find = async (id: string) => {
    const key = parseId(id, E);
    const row = await read(E, () => db.appObject.findUnique({ where: { id: key }, include }));
    return row ? toAppObjectRecord(row) : null;
  };
  return {
    async create(input, by) {
      const data = parseInput(createSchema, input, E);
      const actor = parseActor(by, E);
      return withDbErrors(E, 'write', () =>
        db.$transaction(async (tx) => {
          const links = await validateLinks(tx, 'App.Object', data.customProperties, data.tagIds);
          const now = new Date();
          const row = await tx.appObject.create({
            data: {
              id: data.id,
              createdDate: now,
              modifiedDate: now,
              modifiedByUserName: actor,
              objectType: data.objectType,
              name: data.name ?? '',
              published: data.published,
              approved: data.approved,
              ownerId: data.ownerId,
              appId: data.appId,
              engineObjectId: data.engineObjectId ?? null,
              ...linkCreates(links),
            },
            include,
          });
          return toAppObjectRecord(row);
        }, TX_OPTIONS),
      );
    },

    get: (id) => getOrThrow(E, id, find),
    find,

    async list(options) {
      const rows = await read(E, () => db.appObject.findMany({ ...listArgs(options, E), include }));
      return rows.map(toAppObjectRecord);
    },

    async listByApp(appId) {
      const key = parseInput(guid, appId, E, 'appId');
      const rows = await read(E, () => db.appObject.findMany({ ...listArgs(undefined, E), where: { appId: key }, include }));
      return rows.map(toAppObjectRecord);
    },

    count: () => read(E, () => db.appObject.count()),

    async update(id, modifiedDate, patch, by) {
      const key = parseId(id, E);
      const expected = parseModifiedDate(modifiedDate, E);
      const p = parseInput(patchSchema, patch, E);
      const actor = parseActor(by, E);
      return withDbErrors(E, 'write', () =>
        db.$transaction(async (tx) => {
          const version = storedVersion(E, key, await tx.appObject.findUnique({ where: { id: key }, select: { modifiedDate: true } }), expected);
          const links = await validateLinks(tx, 'App.Object', p.customProperties, p.tagIds);
          const { count } = await tx.appObject.updateMany({
            where: { id: key, modifiedDate: version },
            data: {
              modifiedDate: nextModifiedDate(version),
              modifiedByUserName: actor,
              objectType: p.objectType,
              name: p.name,
              published: p.published,
              approved: p.approved,
              ownerId: p.ownerId,
            },
          });
          requireUpdated(E, count);
          await replaceLinks(tx, 'App.Object', key, links);
          return toAppObjectRecord(await tx.appObject.findUniqueOrThrow({ where: { id: key }, include }));
        }, TX_OPTIONS),
      );
    },

    async delete(id) {
      const key = parseId(id, E);
      await deleteById(E, key, () => db.appObject.deleteMany({ where: { id: key } }));
    },
  };
}
