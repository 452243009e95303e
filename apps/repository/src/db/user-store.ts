import { z } from 'zod';
import { type DbClient, type Prisma, TX_OPTIONS } from './db-client';
import type { CustomPropertyValue, EntityMeta, EntityStore, NamedRef } from './entity-types';
import { boundedList, dbText, guid, LIMITS, parseActor, parseId, parseInput, parseModifiedDate } from './field-schemas';
import { listArgs } from './list-options';
import { checkVersion, nextModifiedDate, requireUpdated } from './optimistic-update';
import { withDbErrors } from './prisma-error-mapper';
import { deleteById, getOrThrow, read } from './store-helpers';
import { linkCreates, linkInclude, linkInputShape, mapLinks, replaceLinks, validateLinks } from './target-links';

const E = 'User';

export interface UserAttribute {
  type: string;
  value: string;
}

export interface UserRecord extends EntityMeta {
  userDirectory: string;
  userId: string;
  name: string;
  email: string;
  /** Sorted, no duplicates. */
  roles: string[];
  /** Sorted, no duplicates. */
  groups: string[];
  /** In the order given. */
  attributes: UserAttribute[];
  inactive: boolean;
  removedExternally: boolean;
  customProperties: CustomPropertyValue[];
  tags: NamedRef[];
}

/** Backslash separates directory and id in identities (`CORP\alice`), so neither may contain one. */
const identityPart = dbText(LIMITS.identity, 1).refine((s) => !s.includes('\\'), 'must not contain a backslash');

const fields = {
  userDirectory: identityPart,
  userId: identityPart,
  name: dbText(LIMITS.name),
  email: dbText(LIMITS.shortText),
  roles: boundedList(dbText(LIMITS.shortText, 1), 100),
  groups: boundedList(dbText(LIMITS.name, 1)),
  attributes: boundedList(z.strictObject({ type: dbText(LIMITS.shortText, 1), value: dbText(LIMITS.name) })),
  inactive: z.boolean(),
  removedExternally: z.boolean(),
  ...linkInputShape,
};
const createSchema = z.strictObject({ ...fields, id: guid.optional() }).partial().required({ userDirectory: true, userId: true });
const patchSchema = z.strictObject(fields).partial();

export type UserInput = z.input<typeof patchSchema> & Pick<z.input<typeof createSchema>, 'userDirectory' | 'userId'>;

export interface UserStore extends EntityStore<UserRecord, UserInput> {
  /** The user with this directory identity (case-insensitive), or null. */
  findByIdentity(userDirectory: string, userId: string): Promise<UserRecord | null>;
}

/** Directory identities are case-insensitive; the folded key carries uniqueness on both providers. */
export function identityKey(userDirectory: string, userId: string): string {
  return `${userDirectory.toLowerCase()}\\${userId.toLowerCase()}`;
}

const include = {
  roles: { select: { role: true } },
  groups: { select: { name: true } },
  attributes: { select: { attributeType: true, attributeValue: true }, orderBy: { position: 'asc' } },
  ...linkInclude,
} satisfies Prisma.UserInclude;
type Row = Prisma.UserGetPayload<{ include: typeof include }>;

const sortedUnique = (values: string[]) => [...new Set(values)].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));

function toRecord(row: Row): UserRecord {
  return {
    id: row.id,
    createdDate: row.createdDate,
    modifiedDate: row.modifiedDate,
    modifiedByUserName: row.modifiedByUserName,
    userDirectory: row.userDirectory,
    userId: row.userId,
    name: row.name,
    email: row.email,
    roles: sortedUnique(row.roles.map((r) => r.role)),
    groups: sortedUnique(row.groups.map((g) => g.name)),
    attributes: row.attributes.map((a) => ({ type: a.attributeType, value: a.attributeValue })),
    inactive: row.inactive,
    removedExternally: row.removedExternally,
    ...mapLinks(row),
  };
}

const attributeRows = (attributes: { type: string; value: string }[]) =>
  attributes.map((a, position) => ({ position, attributeType: a.type, attributeValue: a.value }));

export function createUserStore(db: DbClient): UserStore {
  const find = async (id: string) => {
    const key = parseId(id, E);
    const row = await read(E, () => db.user.findUnique({ where: { id: key }, include }));
    return row ? toRecord(row) : null;
  };
  return {
    async create(input, by) {
      const data = parseInput(createSchema, input, E);
      const actor = parseActor(by, E);
      return withDbErrors(E, 'write', () =>
        db.$transaction(async (tx) => {
          const links = await validateLinks(tx, 'User', data.customProperties, data.tagIds);
          const now = new Date();
          const row = await tx.user.create({
            data: {
              id: data.id,
              createdDate: now,
              modifiedDate: now,
              modifiedByUserName: actor,
              userDirectory: data.userDirectory,
              userId: data.userId,
              identityKey: identityKey(data.userDirectory, data.userId),
              name: data.name ?? data.userId,
              email: data.email,
              inactive: data.inactive,
              removedExternally: data.removedExternally,
              roles: { create: [...new Set(data.roles ?? [])].map((role) => ({ role })) },
              groups: { create: [...new Set(data.groups ?? [])].map((name) => ({ name })) },
              attributes: { create: attributeRows(data.attributes ?? []) },
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

    async findByIdentity(userDirectory, userId) {
      const parts = parseInput(z.strictObject({ userDirectory: identityPart, userId: identityPart }), { userDirectory, userId }, E);
      const row = await read(E, () => db.user.findUnique({ where: { identityKey: identityKey(parts.userDirectory, parts.userId) }, include }));
      return row ? toRecord(row) : null;
    },

    async list(options) {
      const rows = await read(E, () => db.user.findMany({ ...listArgs(options, E), include }));
      return rows.map(toRecord);
    },

    count: () => read(E, () => db.user.count()),

    async update(id, modifiedDate, patch, by) {
      const key = parseId(id, E);
      const expected = parseModifiedDate(modifiedDate, E);
      const p = parseInput(patchSchema, patch, E);
      const actor = parseActor(by, E);
      return withDbErrors(E, 'write', () =>
        db.$transaction(async (tx) => {
          const current = await tx.user.findUnique({ where: { id: key }, select: { modifiedDate: true, userDirectory: true, userId: true } });
          checkVersion(E, key, current, expected);
          const links = await validateLinks(tx, 'User', p.customProperties, p.tagIds);
          const userDirectory = p.userDirectory ?? current.userDirectory;
          const userId = p.userId ?? current.userId;
          const { count } = await tx.user.updateMany({
            where: { id: key, modifiedDate: expected },
            data: {
              modifiedDate: nextModifiedDate(expected),
              modifiedByUserName: actor,
              userDirectory: p.userDirectory,
              userId: p.userId,
              identityKey: identityKey(userDirectory, userId),
              name: p.name,
              email: p.email,
              inactive: p.inactive,
              removedExternally: p.removedExternally,
            },
          });
          requireUpdated(E, count);
          if (p.roles) {
            await tx.userRole.deleteMany({ where: { userRef: key } });
            await tx.userRole.createMany({ data: [...new Set(p.roles)].map((role) => ({ userRef: key, role })) });
          }
          if (p.groups) {
            await tx.userGroup.deleteMany({ where: { userRef: key } });
            await tx.userGroup.createMany({ data: [...new Set(p.groups)].map((name) => ({ userRef: key, name })) });
          }
          if (p.attributes) {
            await tx.userAttribute.deleteMany({ where: { userRef: key } });
            await tx.userAttribute.createMany({ data: attributeRows(p.attributes).map((a) => ({ ...a, userRef: key })) });
          }
          await replaceLinks(tx, 'User', key, links);
          return toRecord(await tx.user.findUniqueOrThrow({ where: { id: key }, include }));
        }, TX_OPTIONS),
      );
    },

    async delete(id) {
      const key = parseId(id, E);
      await deleteById(E, key, () => db.user.deleteMany({ where: { id: key } }));
    },
  };
}
