import { z } from 'zod';
import { type DbClient, type Prisma, TX_OPTIONS } from './db-client';
import type { CustomPropertyValue, EntityMeta, EntityStore, NamedRef, UserRef } from './entity-types';
import { dbText, guid, LIMITS, parseActor, parseId, parseInput, parseModifiedDate } from './field-schemas';
import { parseStored } from './json-text';
import { listArgs } from './list-options';
import { storedVersion, nextModifiedDate, requireUpdated } from './optimistic-update';
import { withDbErrors } from './prisma-error-mapper';
import { userRefSelect } from './ref-selects';
import { deleteById, getOrThrow, read } from './store-helpers';
import { linkCreates, linkInclude, linkInputShape, mapLinks, replaceLinks, validateLinks } from './target-links';

const E = 'DataConnection';

export interface DataConnectionRecord extends EntityMeta {
  name: string;
  type: 'folder';
  /** Relative path on the engine's data volume, `/`-separated, e.g. `sales/2024`. */
  connectionString: string;
  owner: UserRef;
  customProperties: CustomPropertyValue[];
  tags: NamedRef[];
}

/**
 * A folder connection may only name a place inside the data volume: relative, `/`-separated, no
 * empty, `.` or `..` segments, no backslashes or control characters. The engine resolves it again
 * against its volume root; this is the first of the two checks (CWE-22).
 */
export const folderPath = dbText(1024, 1).refine(
  (p) => !p.startsWith('/') && !/[\\\u0000-\u001f\u007f]/.test(p) && p.split('/').every((s) => s !== '' && s !== '.' && s !== '..'),
  'must be a relative path inside the data volume (no leading /, no empty, "." or ".." segments, no backslashes or control characters)',
);

const fields = {
  name: dbText(LIMITS.name, 1),
  type: z.literal('folder'),
  connectionString: folderPath,
  ownerId: guid,
  ...linkInputShape,
};
const createSchema = z
  .strictObject({ ...fields, id: guid.optional() })
  .partial()
  .required({ name: true, connectionString: true, ownerId: true });
const patchSchema = z.strictObject(fields).partial();

export type DataConnectionInput = z.input<typeof patchSchema> & Pick<z.input<typeof createSchema>, 'name' | 'connectionString' | 'ownerId'>;
export type DataConnectionStore = EntityStore<DataConnectionRecord, DataConnectionInput>;

const include = { owner: userRefSelect, ...linkInclude } satisfies Prisma.DataConnectionInclude;
type Row = Prisma.DataConnectionGetPayload<{ include: typeof include }>;

/** Stored rows were validated on write; the path is re-checked so a tampered row cannot escape the volume. */
function toRecord(row: Row): DataConnectionRecord {
  return {
    id: row.id,
    createdDate: row.createdDate,
    modifiedDate: row.modifiedDate,
    modifiedByUserName: row.modifiedByUserName,
    name: row.name,
    type: parseStored(fields.type, row.type, E, 'type'),
    connectionString: parseStored(folderPath, row.connectionString, E, 'connectionString'),
    owner: row.owner,
    ...mapLinks(row),
  };
}

export function createDataConnectionStore(db: DbClient): DataConnectionStore {
  const find = async (id: string) => {
    const key = parseId(id, E);
    const row = await read(E, () => db.dataConnection.findUnique({ where: { id: key }, include }));
    return row ? toRecord(row) : null;
  };
  return {
    async create(input, by) {
      const data = parseInput(createSchema, input, E);
      const actor = parseActor(by, E);
      return withDbErrors(E, 'write', () =>
        db.$transaction(async (tx) => {
          const links = await validateLinks(tx, 'DataConnection', data.customProperties, data.tagIds);
          const now = new Date();
          const row = await tx.dataConnection.create({
            data: {
              id: data.id,
              createdDate: now,
              modifiedDate: now,
              modifiedByUserName: actor,
              name: data.name,
              type: 'folder',
              connectionString: data.connectionString,
              ownerId: data.ownerId,
              ...linkCreates(links),
            },
            include,
          });
          return toRecord(row);
        }, TX_OPTIONS),
      );
    },

    get: (id) => getOrThrow(E, id, find),
    find,

    async list(options) {
      const rows = await read(E, () => db.dataConnection.findMany({ ...listArgs(options, E), include }));
      return rows.map(toRecord);
    },

    count: () => read(E, () => db.dataConnection.count()),

    async update(id, modifiedDate, patch, by) {
      const key = parseId(id, E);
      const expected = parseModifiedDate(modifiedDate, E);
      const p = parseInput(patchSchema, patch, E);
      const actor = parseActor(by, E);
      return withDbErrors(E, 'write', () =>
        db.$transaction(async (tx) => {
          const version = storedVersion(E, key, await tx.dataConnection.findUnique({ where: { id: key }, select: { modifiedDate: true } }), expected);
          const links = await validateLinks(tx, 'DataConnection', p.customProperties, p.tagIds);
          const { count } = await tx.dataConnection.updateMany({
            where: { id: key, modifiedDate: version },
            data: { modifiedDate: nextModifiedDate(version), modifiedByUserName: actor, name: p.name, connectionString: p.connectionString, ownerId: p.ownerId },
          });
          requireUpdated(E, count);
          await replaceLinks(tx, 'DataConnection', key, links);
          return toRecord(await tx.dataConnection.findUniqueOrThrow({ where: { id: key }, include }));
        }, TX_OPTIONS),
      );
    },

    async delete(id) {
      const key = parseId(id, E);
      await deleteById(E, key, () => db.dataConnection.deleteMany({ where: { id: key } }));
    },
  };
}
