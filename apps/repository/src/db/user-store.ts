import { z } from 'zod';
import { type DbClient, type DbTx, type Prisma, TX_OPTIONS } from './db-client';
import type { CustomPropertyValue, EntityMeta, EntityStore, NamedRef } from './entity-types';
import { boundedList, dbText, guid, LIMITS, parseActor, parseId, parseInput, parseModifiedDate } from './field-schemas';
import { listArgs } from './list-options';
import { checkVersion, nextModifiedDate, requireUpdated } from './optimistic-update';
import { DbError, DbErrorCode } from './db.error';
import { withDbErrors } from './prisma-error-mapper';
import { GROUP_ATTRIBUTE_TYPE, isGroupAttribute, userGroups } from './user-groups';
import { deleteById, getOrThrow, read } from './store-helpers';
import { linkCreates, linkInclude, linkInputShape, mapLinks, replaceLinks, validateLinks } from './target-links';

const E = 'User';

/** Where an attribute came from: set through /qrs, or by a login of this method. */
export const ATTRIBUTE_SOURCES = ['qrs', 'ticket', 'session', 'header', 'jwt', 'oidc', 'saml'] as const;
export type AttributeSource = (typeof ATTRIBUTE_SOURCES)[number];

/** Qlik's UserAttribute (attributeType, attributeValue, externalId), plus where it came from. */
export interface UserAttribute {
  type: string;
  value: string;
  externalId: string;
  source: AttributeSource;
}

export interface UserRecord extends EntityMeta {
  userDirectory: string;
  userId: string;
  name: string;
  email: string;
  /** Sorted, no duplicates. */
  roles: string[];
  /** Sorted, no duplicates: derived from the attributes (user-groups.ts), never stored apart. */
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

const attributeSchema = z.strictObject({
  type: dbText(LIMITS.shortText, 1),
  value: dbText(LIMITS.name),
  externalId: dbText(LIMITS.name).default(''),
  source: z.enum(ATTRIBUTE_SOURCES).default('qrs'),
});
type AttributeIn = z.output<typeof attributeSchema>;

const fields = {
  userDirectory: identityPart,
  userId: identityPart,
  name: dbText(LIMITS.name),
  email: dbText(LIMITS.shortText),
  roles: boundedList(dbText(LIMITS.shortText, 1), 100),
  /** Shorthand: each becomes a QRS-set attribute of type Group (on update: replaces those). */
  groups: boundedList(dbText(LIMITS.name, 1)),
  attributes: boundedList(attributeSchema),
  inactive: z.boolean(),
  removedExternally: z.boolean(),
  ...linkInputShape,
};
const createSchema = z.strictObject({ ...fields, id: guid.optional() }).partial().required({ userDirectory: true, userId: true });
const patchSchema = z.strictObject(fields).partial();

export type UserInput = z.input<typeof patchSchema> & Pick<z.input<typeof createSchema>, 'userDirectory' | 'userId'>;

export type LoginAttributeInput = Pick<UserAttribute, 'type' | 'value'> & { externalId?: string };

export interface UserStore extends EntityStore<UserRecord, UserInput> {
  /** The user with this directory identity (case-insensitive), or null. */
  findByIdentity(userDirectory: string, userId: string): Promise<UserRecord | null>;
  /**
   * A login's attributes: replaces the user's attributes of that source (a ticket login replaces
   * the previous ticket login's), keeping those of other sources (QRS-set ones survive). Unchanged
   * attributes leave the record (and its modifiedDate) as it was; answers the record as it is now.
   */
  replaceLoginAttributes(id: string, source: Exclude<AttributeSource, 'qrs'>, attributes: LoginAttributeInput[], by: string): Promise<UserRecord>;
}

/** Directory identities are case-insensitive; the folded key carries uniqueness on both providers. */
export function identityKey(userDirectory: string, userId: string): string {
  return `${userDirectory.toLowerCase()}\\${userId.toLowerCase()}`;
}

const include = {
  roles: { select: { role: true } },
  attributes: { select: { attributeType: true, attributeValue: true, externalId: true, source: true }, orderBy: { position: 'asc' } },
  ...linkInclude,
} satisfies Prisma.UserInclude;
type Row = Prisma.UserGetPayload<{ include: typeof include }>;

const sortedUnique = (values: string[]) => [...new Set(values)].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));

const asSource = (s: string): AttributeSource => ((ATTRIBUTE_SOURCES as readonly string[]).includes(s) ? (s as AttributeSource) : 'qrs');

function toRecord(row: Row): UserRecord {
  const attributes = row.attributes.map((a) => ({ type: a.attributeType, value: a.attributeValue, externalId: a.externalId, source: asSource(a.source) }));
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
    groups: userGroups(attributes),
    attributes,
    inactive: row.inactive,
    removedExternally: row.removedExternally,
    ...mapLinks(row),
  };
}

const attributeRows = (attributes: readonly AttributeIn[]) =>
  attributes.map((a, position) => ({ position, attributeType: a.type, attributeValue: a.value, externalId: a.externalId, source: a.source }));

const groupAttributes = (groups: readonly string[]): AttributeIn[] =>
  [...new Set(groups)].map((value) => ({ type: GROUP_ATTRIBUTE_TYPE, value, externalId: '', source: 'qrs' }));

/** The attribute list a write leaves: `attributes` replaces the list, `groups` the QRS-set Group ones. */
function nextAttributes(current: readonly AttributeIn[], attributes: readonly AttributeIn[] | undefined, groups: readonly string[] | undefined): AttributeIn[] {
  let out = [...(attributes ?? current)];
  if (groups) out = [...out.filter((a) => !(a.source === 'qrs' && isGroupAttribute(a.type))), ...groupAttributes(groups)];
  return out;
}

const sameAttributes = (a: readonly AttributeIn[], b: readonly AttributeIn[]) =>
  a.length === b.length && a.every((x, i) => x.type === b[i]!.type && x.value === b[i]!.value && x.externalId === b[i]!.externalId && x.source === b[i]!.source);

const rowAttribute = (r: { attributeType: string; attributeValue: string; externalId: string; source: string }): AttributeIn => ({
  type: r.attributeType, value: r.attributeValue, externalId: r.externalId, source: asSource(r.source),
});

async function writeAttributes(tx: DbTx, userRef: string, attributes: readonly AttributeIn[]): Promise<void> {
  await tx.userAttribute.deleteMany({ where: { userRef } });
  await tx.userAttribute.createMany({ data: attributeRows(attributes).map((a) => ({ ...a, userRef })) });
}

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
              attributes: { create: attributeRows(nextAttributes([], data.attributes, data.groups)) },
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
          if (p.attributes || p.groups) {
            const before = p.attributes && !p.groups ? [] : (await tx.userAttribute.findMany({ where: { userRef: key }, orderBy: { position: 'asc' } })).map(rowAttribute);
            await writeAttributes(tx, key, nextAttributes(before, p.attributes, p.groups));
          }
          await replaceLinks(tx, 'User', key, links);
          return toRecord(await tx.user.findUniqueOrThrow({ where: { id: key }, include }));
        }, TX_OPTIONS),
      );
    },

    async replaceLoginAttributes(id, source, attributes, by) {
      const key = parseId(id, E);
      const login = parseInput(boundedList(attributeSchema), attributes.map((a) => ({ ...a, source })), E, 'attributes');
      const actor = parseActor(by, E);
      return withDbErrors(E, 'write', () =>
        db.$transaction(async (tx) => {
          const current = await tx.user.findUnique({ where: { id: key }, select: { modifiedDate: true } });
          if (!current) throw new DbError(DbErrorCode.NotFound, `${E} not found`, { entity: E });
          const before = (await tx.userAttribute.findMany({ where: { userRef: key }, orderBy: { position: 'asc' } })).map(rowAttribute);
          const after = [...before.filter((a) => a.source !== source), ...login];
          if (!sameAttributes(before, after)) {
            await tx.user.update({ where: { id: key }, data: { modifiedDate: nextModifiedDate(current.modifiedDate), modifiedByUserName: actor } });
            await writeAttributes(tx, key, after);
          }
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
