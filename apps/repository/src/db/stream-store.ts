import { z } from 'zod';
import { type DbClient, type Prisma, TX_OPTIONS } from './db-client';
import type { CustomPropertyValue, EntityMeta, EntityStore, NamedRef, UserRef } from './entity-types';
import { dbText, guid, LIMITS, parseActor, parseId, parseInput, parseModifiedDate } from './field-schemas';
import { listArgs } from './list-options';
import { storedVersion, nextModifiedDate, requireUpdated } from './optimistic-update';
import { withDbErrors } from './prisma-error-mapper';
import { deleteById, getOrThrow, read } from './store-helpers';
import { userRefSelect } from './ref-selects';
import { linkCreates, linkInclude, linkInputShape, mapLinks, replaceLinks, validateLinks } from './target-links';

const E = 'Stream';

export interface StreamRecord extends EntityMeta {
  name: string;
  owner: UserRef | null;
  customProperties: CustomPropertyValue[];
  tags: NamedRef[];
}

const fields = {
  name: dbText(LIMITS.name, 1),
  ownerId: guid.nullable(),
  ...linkInputShape,
};
const createSchema = z.strictObject({ ...fields, id: guid.optional() }).partial().required({ name: true });
const patchSchema = z.strictObject(fields).partial();

export type StreamInput = z.input<typeof patchSchema> & Pick<z.input<typeof createSchema>, 'name'>;
export type StreamStore = EntityStore<StreamRecord, StreamInput>;

const include = { owner: userRefSelect, ...linkInclude } satisfies Prisma.StreamInclude;
type Row = Prisma.StreamGetPayload<{ include: typeof include }>;

export function toStreamRecord(row: Row): StreamRecord {
  return {
    id: row.id,
    createdDate: row.createdDate,
    modifiedDate: row.modifiedDate,
    modifiedByUserName: row.modifiedByUserName,
    name: row.name,
    owner: row.owner,
    ...mapLinks(row),
  };
}
export const streamInclude = include;

export function createStreamStore(db: DbClient): StreamStore {
  const find = async (id: string) => {
    const key = parseId(id, E);
    const row = await read(E, () => db.stream.findUnique({ where: { id: key }, include }));
    return row ? toStreamRecord(row) : null;
  };
  return {
    async create(input, by) {
      const data = parseInput(createSchema, input, E);
      const actor = parseActor(by, E);
      return withDbErrors(E, 'write', () =>
        db.$transaction(async (tx) => {
          const links = await validateLinks(tx, 'Stream', data.customProperties, data.tagIds);
          const now = new Date();
          const row = await tx.stream.create({
            data: { id: data.id, createdDate: now, modifiedDate: now, modifiedByUserName: actor, name: data.name, ownerId: data.ownerId, ...linkCreates(links) },
            include,
          });
          return toStreamRecord(row);
        }, TX_OPTIONS),
      );
    },

    get: (id) => getOrThrow(E, id, find),
    find,

    async list(options) {
      const rows = await read(E, () => db.stream.findMany({ ...listArgs(options, E), include }));
      return rows.map(toStreamRecord);
    },

    count: () => read(E, () => db.stream.count()),

    async update(id, modifiedDate, patch, by) {
      const key = parseId(id, E);
      const expected = parseModifiedDate(modifiedDate, E);
      const p = parseInput(patchSchema, patch, E);
      const actor = parseActor(by, E);
      return withDbErrors(E, 'write', () =>
        db.$transaction(async (tx) => {
          const version = storedVersion(E, key, await tx.stream.findUnique({ where: { id: key }, select: { modifiedDate: true } }), expected);
          const links = await validateLinks(tx, 'Stream', p.customProperties, p.tagIds);
          const { count } = await tx.stream.updateMany({
            where: { id: key, modifiedDate: version },
            data: { modifiedDate: nextModifiedDate(version), modifiedByUserName: actor, name: p.name, ownerId: p.ownerId },
          });
          requireUpdated(E, count);
          await replaceLinks(tx, 'Stream', key, links);
          return toStreamRecord(await tx.stream.findUniqueOrThrow({ where: { id: key }, include }));
        }, TX_OPTIONS),
      );
    },

    async delete(id) {
      const key = parseId(id, E);
      await deleteById(E, key, () => db.stream.deleteMany({ where: { id: key } }));
    },
  };
}
