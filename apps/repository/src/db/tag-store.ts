import { z } from 'zod';
import { type DbClient, TX_OPTIONS } from './db-client';
import type { EntityMeta, EntityStore } from './entity-types';
import { dbText, guid, LIMITS, parseActor, parseId, parseInput, parseModifiedDate } from './field-schemas';
import { listArgs } from './list-options';
import { storedVersion, nextModifiedDate, requireUpdated } from './optimistic-update';
import { withDbErrors } from './prisma-error-mapper';
import { deleteById, getOrThrow, read } from './store-helpers';

const E = 'Tag';

export interface TagRecord extends EntityMeta {
  name: string;
}

const fields = { name: dbText(LIMITS.shortText, 1) };
const createSchema = z.strictObject({ ...fields, id: guid.optional() });
const patchSchema = z.strictObject(fields).partial();

export type TagInput = z.input<typeof createSchema>;

export interface TagStore extends EntityStore<TagRecord, TagInput> {
  findByName(name: string): Promise<TagRecord | null>;
}

export function createTagStore(db: DbClient): TagStore {
  const find = async (id: string) => {
    const key = parseId(id, E);
    return read(E, () => db.tag.findUnique({ where: { id: key } }));
  };
  return {
    async create(input, by) {
      const data = parseInput(createSchema, input, E);
      const actor = parseActor(by, E);
      const now = new Date();
      return withDbErrors(E, 'write', () => db.tag.create({ data: { ...data, createdDate: now, modifiedDate: now, modifiedByUserName: actor } }));
    },

    get: (id) => getOrThrow(E, id, find),
    find,

    async findByName(name) {
      const key = parseInput(fields.name, name, E, 'name');
      return read(E, () => db.tag.findUnique({ where: { name: key } }));
    },

    list: (options) => read(E, () => db.tag.findMany(listArgs(options, E))),

    count: () => read(E, () => db.tag.count()),

    async update(id, modifiedDate, patch, by) {
      const key = parseId(id, E);
      const expected = parseModifiedDate(modifiedDate, E);
      const p = parseInput(patchSchema, patch, E);
      const actor = parseActor(by, E);
      return withDbErrors(E, 'write', () =>
        db.$transaction(async (tx) => {
          const version = storedVersion(E, key, await tx.tag.findUnique({ where: { id: key }, select: { modifiedDate: true } }), expected);
          const { count } = await tx.tag.updateMany({
            where: { id: key, modifiedDate: version },
            data: { ...p, modifiedDate: nextModifiedDate(version), modifiedByUserName: actor },
          });
          requireUpdated(E, count);
          return tx.tag.findUniqueOrThrow({ where: { id: key } });
        }, TX_OPTIONS),
      );
    },

    /** Deleting a tag removes it from every entity (cascade). */
    async delete(id) {
      const key = parseId(id, E);
      await deleteById(E, key, () => db.tag.deleteMany({ where: { id: key } }));
    },
  };
}
