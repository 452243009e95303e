import { z } from 'zod';
import { type DbClient, type Prisma, TX_OPTIONS } from './db-client';
import { DbError, DbErrorCode } from './db.error';
import type { CustomPropertyValue, EntityMeta, EntityStore, NamedRef, UserRef } from './entity-types';
import { dbText, guid, LIMITS, parseActor, parseId, parseInput, parseModifiedDate, validDate } from './field-schemas';
import { listArgs } from './list-options';
import { checkVersion, nextModifiedDate, requireUpdated } from './optimistic-update';
import { withDbErrors } from './prisma-error-mapper';
import { namedRefSelect, userRefSelect } from './ref-selects';
import { deleteById, getOrThrow, read } from './store-helpers';
import { linkCreates, linkInclude, linkInputShape, mapLinks, replaceLinks, validateLinks } from './target-links';

const E = 'App';

export interface EngineNodeRef {
  id: string;
  name: string;
  hostName: string;
}

/** An app. Its load script is not here: it lives in the app file, encrypted with it (the engine reads it). */
export interface AppRecord extends EntityMeta {
  name: string;
  description: string;
  owner: UserRef;
  /** Null exactly when the app is not published. */
  stream: NamedRef | null;
  published: boolean;
  publishTime: Date | null;
  lastReloadTime: Date | null;
  fileSize: number;
  engineNode: EngineNodeRef | null;
  customProperties: CustomPropertyValue[];
  tags: NamedRef[];
}

const fields = {
  name: dbText(LIMITS.name, 1),
  description: dbText(LIMITS.text),
  ownerId: guid,
  streamId: guid.nullable(),
  published: z.boolean(),
  publishTime: validDate.nullable(),
  lastReloadTime: validDate.nullable(),
  fileSize: z.number().int().min(0).max(Number.MAX_SAFE_INTEGER),
  engineNodeId: guid.nullable(),
  ...linkInputShape,
};
const createSchema = z.strictObject({ ...fields, id: guid.optional() }).partial().required({ name: true, ownerId: true });
const patchSchema = z.strictObject(fields).partial();

export type AppInput = z.input<typeof patchSchema> & Pick<z.input<typeof createSchema>, 'name' | 'ownerId'>;

export type AppStore = EntityStore<AppRecord, AppInput>;

export const appInclude = {
  owner: userRefSelect,
  stream: namedRefSelect,
  engineNode: { select: { id: true, name: true, hostName: true } },
  ...linkInclude,
} satisfies Prisma.AppInclude;
type Row = Prisma.AppGetPayload<{ include: typeof appInclude }>;

export function toAppRecord(row: Row): AppRecord {
  return {
    id: row.id,
    createdDate: row.createdDate,
    modifiedDate: row.modifiedDate,
    modifiedByUserName: row.modifiedByUserName,
    name: row.name,
    description: row.description,
    owner: row.owner,
    stream: row.stream,
    published: row.published,
    publishTime: row.publishTime,
    lastReloadTime: row.lastReloadTime,
    fileSize: Number(row.fileSize),
    engineNode: row.engineNode,
    ...mapLinks(row),
  };
}

/** A published app lives in a stream, an unpublished one in none (security-rules.md: stream empty when unpublished). */
function checkPublication(published: boolean | undefined, streamId: string | null | undefined): boolean {
  const inStream = streamId !== null && streamId !== undefined;
  if (published !== undefined && published !== inStream) {
    throw new DbError(DbErrorCode.InvalidInput, 'App.published: a published app needs a stream and an unpublished app has none', { entity: E, field: 'published' });
  }
  return inStream;
}

export function createAppStore(db: DbClient): AppStore {
  const find = async (id: string) => {
    const key = parseId(id, E);
    const row = await read(E, () => db.app.findUnique({ where: { id: key }, include: appInclude }));
    return row ? toAppRecord(row) : null;
  };
  return {
    async create(input, by) {
      const data = parseInput(createSchema, input, E);
      const actor = parseActor(by, E);
      const published = checkPublication(data.published, data.streamId);
      return withDbErrors(E, 'write', () =>
        db.$transaction(async (tx) => {
          const links = await validateLinks(tx, 'App', data.customProperties, data.tagIds);
          const now = new Date();
          const row = await tx.app.create({
            data: {
              id: data.id,
              createdDate: now,
              modifiedDate: now,
              modifiedByUserName: actor,
              name: data.name,
              description: data.description,
              ownerId: data.ownerId,
              streamId: data.streamId,
              published,
              publishTime: data.publishTime,
              lastReloadTime: data.lastReloadTime,
              fileSize: data.fileSize === undefined ? undefined : BigInt(data.fileSize),
              engineNodeId: data.engineNodeId,
              ...linkCreates(links),
            },
            include: appInclude,
          });
          return toAppRecord(row);
        }, TX_OPTIONS),
      );
    },

    get: (id) => getOrThrow(E, id, find),
    find,

    async list(options) {
      const rows = await read(E, () => db.app.findMany({ ...listArgs(options, E), include: appInclude }));
      return rows.map(toAppRecord);
    },

    count: () => read(E, () => db.app.count()),

    async update(id, modifiedDate, patch, by) {
      const key = parseId(id, E);
      const expected = parseModifiedDate(modifiedDate, E);
      const p = parseInput(patchSchema, patch, E);
      const actor = parseActor(by, E);
      return withDbErrors(E, 'write', () =>
        db.$transaction(async (tx) => {
          const current = await tx.app.findUnique({ where: { id: key }, select: { modifiedDate: true, published: true, streamId: true } });
          checkVersion(E, key, current, expected);
          const version = current.modifiedDate;
          checkPublication(p.published ?? current.published, p.streamId === undefined ? current.streamId : p.streamId);
          const links = await validateLinks(tx, 'App', p.customProperties, p.tagIds);
          const { count } = await tx.app.updateMany({
            where: { id: key, modifiedDate: version },
            data: {
              modifiedDate: nextModifiedDate(version),
              modifiedByUserName: actor,
              name: p.name,
              description: p.description,
              ownerId: p.ownerId,
              streamId: p.streamId,
              published: p.published,
              publishTime: p.publishTime,
              lastReloadTime: p.lastReloadTime,
              fileSize: p.fileSize === undefined ? undefined : BigInt(p.fileSize),
              engineNodeId: p.engineNodeId,
            },
          });
          requireUpdated(E, count);
          await replaceLinks(tx, 'App', key, links);
          return toAppRecord(await tx.app.findUniqueOrThrow({ where: { id: key }, include: appInclude }));
        }, TX_OPTIONS),
      );
    },

    async delete(id) {
      const key = parseId(id, E);
      await deleteById(E, key, () => db.app.deleteMany({ where: { id: key } }));
    },
  };
}
