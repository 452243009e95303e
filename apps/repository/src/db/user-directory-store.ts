import { z } from 'zod';
import { type DbClient, TX_OPTIONS } from './db-client';
import { DbError, DbErrorCode } from './db.error';
import type { EntityMeta, EntityStore } from './entity-types';
import { dbText, guid, LIMITS, parseActor, parseId, parseInput, parseModifiedDate } from './field-schemas';
import { listArgs } from './list-options';
import { storedVersion, nextModifiedDate, notFound, requireUpdated } from './optimistic-update';
import { withDbErrors } from './prisma-error-mapper';
import { getOrThrow, read } from './store-helpers';

const E = 'UserDirectory';

/** The service accounts' directory (shipped, read-only) and the one connector trustzone has: users managed through /qrs/user. */
export const USER_DIRECTORY_TYPES = { internal: 'Internal', local: 'Repository.UserDirectoryConnectors.LocalDirectory' } as const;
export const USER_DIRECTORY_TYPE_VALUES = Object.values(USER_DIRECTORY_TYPES);

export interface UserDirectoryRecord extends EntityMeta {
  name: string;
  userDirectoryName: string;
  type: string;
  syncOnlyLoggedInUsers: boolean;
  creationType: number;
}

const fields = {
  name: dbText(LIMITS.name, 1),
  // Same rule as a user's userDirectory: it is the first half of `DIR\userid`.
  userDirectoryName: dbText(LIMITS.identity, 1).refine((s) => !s.includes('\\'), 'must not contain a backslash'),
  type: z.enum(USER_DIRECTORY_TYPE_VALUES as [string, ...string[]]),
  syncOnlyLoggedInUsers: z.boolean(),
  creationType: z.union([z.literal(0), z.literal(1)]),
};
const createSchema = z.strictObject({ ...fields, id: guid.optional() }).partial().required({ name: true, userDirectoryName: true, type: true });
// The directory name is what users point at: it never changes (renaming would orphan its users).
const patchSchema = z.strictObject({ name: fields.name, syncOnlyLoggedInUsers: fields.syncOnlyLoggedInUsers }).partial();

export type UserDirectoryInput = z.input<typeof createSchema>;

export interface UserDirectoryStore extends EntityStore<UserDirectoryRecord, UserDirectoryInput> {
  findByName(userDirectoryName: string): Promise<UserDirectoryRecord | null>;
  /** Users whose `userDirectory` is this name (case-insensitive). */
  countUsers(userDirectoryName: string): Promise<number>;
}

const directoryKey = (name: string): string => name.toLowerCase();
const strip = ({ directoryKey: _k, ...r }: UserDirectoryRecord & { directoryKey: string }): UserDirectoryRecord => r;

export function createUserDirectoryStore(db: DbClient): UserDirectoryStore {
  const find = async (id: string) => {
    const key = parseId(id, E);
    const row = await read(E, () => db.userDirectory.findUnique({ where: { id: key } }));
    return row ? strip(row) : null;
  };
  // identityKey is lower(dir) + "\" + lower(userId). The backslash stays out of the LIKE pattern
  // (it is PostgreSQL's LIKE escape character): match the prefix, then check the separator here.
  const usersIn = async (client: Pick<DbClient, 'user'>, name: string) => {
    const key = directoryKey(name);
    const rows = await client.user.findMany({ where: { identityKey: { startsWith: key } }, select: { identityKey: true } });
    return rows.filter((r) => r.identityKey.charAt(key.length) === '\\').length;
  };
  return {
    async create(input, by) {
      const data = parseInput(createSchema, input, E);
      const actor = parseActor(by, E);
      const now = new Date();
      return strip(await withDbErrors(E, 'write', () =>
        db.userDirectory.create({ data: { ...data, directoryKey: directoryKey(data.userDirectoryName), createdDate: now, modifiedDate: now, modifiedByUserName: actor } }),
      ));
    },

    get: (id) => getOrThrow(E, id, find),
    find,

    async findByName(userDirectoryName) {
      const name = parseInput(fields.userDirectoryName, userDirectoryName, E, 'userDirectoryName');
      const row = await read(E, () => db.userDirectory.findUnique({ where: { directoryKey: directoryKey(name) } }));
      return row ? strip(row) : null;
    },

    async countUsers(userDirectoryName) {
      const name = parseInput(fields.userDirectoryName, userDirectoryName, E, 'userDirectoryName');
      return read(E, () => usersIn(db, name));
    },

    list: async (options) => (await read(E, () => db.userDirectory.findMany(listArgs(options, E)))).map(strip),

    count: () => read(E, () => db.userDirectory.count()),

    async update(id, modifiedDate, patch, by) {
      const key = parseId(id, E);
      const expected = parseModifiedDate(modifiedDate, E);
      const p = parseInput(patchSchema, patch, E);
      const actor = parseActor(by, E);
      return strip(await withDbErrors(E, 'write', () =>
        db.$transaction(async (tx) => {
          const version = storedVersion(E, key, await tx.userDirectory.findUnique({ where: { id: key }, select: { modifiedDate: true } }), expected);
          const { count } = await tx.userDirectory.updateMany({
            where: { id: key, modifiedDate: version },
            data: { ...p, modifiedDate: nextModifiedDate(version), modifiedByUserName: actor },
          });
          requireUpdated(E, count);
          return tx.userDirectory.findUniqueOrThrow({ where: { id: key } });
        }, TX_OPTIONS),
      ));
    },

    /** Refused (InUse, with the count) while users still name the directory: they would be left in a directory that no longer exists. */
    async delete(id) {
      const key = parseId(id, E);
      await withDbErrors(E, 'delete', () =>
        db.$transaction(async (tx) => {
          const row = await tx.userDirectory.findUnique({ where: { id: key } });
          if (!row) throw notFound(E, key);
          const users = await usersIn(tx, row.userDirectoryName);
          if (users > 0) throw new DbError(DbErrorCode.InUse, `${E}: '${row.userDirectoryName}' still has ${users} user${users === 1 ? '' : 's'}`, { entity: E, field: 'userDirectoryName' });
          await tx.userDirectory.deleteMany({ where: { id: key } });
        }, TX_OPTIONS),
      );
    },
  };
}
