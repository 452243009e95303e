import { z } from 'zod';
import { GROUP_ATTRIBUTE_TYPE, isGroupAttribute, userGroups, type UserAttribute, type UserInput, type UserRecord } from '../../db';
import { userSnapshot } from '../../security/resource-snapshots';
import { parseWith } from '../../rpc/json-body';
import { COMMON_READ_ONLY, customPropertiesInput, modifiedDate, NAME, readOnly, refuseChange, SHORT, tagsInput, valueInputs } from '../body-fields';
import type { EntityKind, ExtraCheck } from '../entity-kind';
import { customPropertiesJson, metaJson, tagsJson } from '../qrs-json';

const list = <T extends z.ZodType>(item: T, max: number) => z.array(item).max(max, `must have at most ${max} items`);

/** Qlik's UserAttribute; the server-kept keys a client read back are accepted and ignored. */
const attributeInput = z.strictObject({
  attributeType: SHORT.min(1, 'must not be empty'),
  attributeValue: NAME.optional(),
  externalId: NAME.optional(),
  id: readOnly, createdDate: readOnly, modifiedDate: readOnly, modifiedByUserName: readOnly, schemaPath: readOnly, source: readOnly,
});
type AttributeBody = z.output<typeof attributeInput>;
const fields = {
  ...COMMON_READ_ONLY,
  userDirectory: SHORT.optional(),
  userId: SHORT.optional(),
  name: NAME.optional(),
  email: SHORT.optional(),
  roles: list(SHORT, 100).optional(),
  /** trustzone shorthand (Qlik has no such field): QRS-set attributes of type Group; ignored next to `attributes`. */
  groups: list(NAME, 1000).optional(),
  attributes: list(attributeInput, 1000).optional(),
  inactive: z.boolean().optional(),
  customProperties: customPropertiesInput.optional(),
  tags: tagsInput.optional(),
  removedExternally: readOnly,
  // Qlik's read-only user fields, accepted back from a GET and ignored.
  removedInUserDirectory: readOnly, blacklisted: readOnly, deleteProhibited: readOnly, userDirectoryConnector: readOnly,
};
const createBody = z.strictObject({ ...fields, modifiedDate: readOnly });
const updateBody = z.strictObject({ ...fields, modifiedDate });

/**
 * The attribute list a body asks for. An attribute the user already has (same type, value and
 * externalId) keeps its source, so a client that PUTs back what it read changes nothing; new ones
 * are QRS-set.
 */
function bodyAttributes(body: readonly AttributeBody[], current: readonly UserAttribute[]): UserAttribute[] {
  const pool = [...current];
  return body.map((a) => {
    const wanted = { type: a.attributeType, value: a.attributeValue ?? '', externalId: a.externalId ?? '' };
    const i = pool.findIndex((c) => c.type === wanted.type && c.value === wanted.value && c.externalId === wanted.externalId);
    const source = i >= 0 ? pool.splice(i, 1)[0]!.source : 'qrs';
    return { ...wanted, source };
  });
}

const sameList = (a: readonly UserAttribute[], b: readonly UserAttribute[]) =>
  a.length === b.length && a.every((x, i) => x.type === b[i]!.type && x.value === b[i]!.value && x.externalId === b[i]!.externalId && x.source === b[i]!.source);

/**
 * What the write leaves: `attributes` replaces the list; without it, `groups` (trustzone's
 * shorthand) replaces the QRS-set Group attributes. A body with both is a client PUTting back what
 * it read, where `groups` is derived from `attributes`: the attributes decide.
 */
function nextAttributes(current: readonly UserAttribute[], attributes: readonly AttributeBody[] | undefined, groups: readonly string[] | undefined): UserAttribute[] {
  let out = attributes ? bodyAttributes(attributes, current) : [...current];
  if (groups && !attributes) {
    out = [...out.filter((a) => !(a.source === 'qrs' && isGroupAttribute(a.type))), ...[...new Set(groups)].map((value) => ({ type: GROUP_ATTRIBUTE_TYPE, value, externalId: '', source: 'qrs' as const }))];
  }
  return out;
}

const sameSet = (a: readonly string[], b: readonly string[]) => {
  const x = new Set(a);
  const y = new Set(b);
  return x.size === y.size && [...x].every((v) => y.has(v));
};

/**
 * Users. Roles and groups decide what rules grant, so changing either needs ChangeRole on that
 * user (security-rules.md: ChangeRole is RootAdmin's alone in the shipped rules) — a user cannot
 * promote themselves with Update rights. The directory identity never changes.
 */
export const userKind: EntityKind<UserRecord> = {
  type: 'user',
  resourceType: 'User',
  needs: ['User', 'CustomPropertyDefinition', 'Tag'],
  condensed: ['id', 'userId', 'userDirectory', 'name'],

  snapshot: (cache, r) => userSnapshot(cache, r),

  json: (cache, r) => ({
    ...metaJson(r),
    userId: r.userId,
    userDirectory: r.userDirectory,
    name: r.name,
    email: r.email,
    roles: r.roles,
    groups: r.groups,
    // Qlik's UserAttribute shape; `source` (qrs or the login method that set it) is trustzone's.
    attributes: r.attributes.map((a) => ({ attributeType: a.type, attributeValue: a.value, externalId: a.externalId, source: a.source, schemaPath: 'UserAttribute' })),
    removedInUserDirectory: r.removedExternally,
    blacklisted: false,
    deleteProhibited: false,
    userDirectoryConnector: null,
    inactive: r.inactive,
    removedExternally: r.removedExternally,
    customProperties: customPropertiesJson(cache, r.customProperties),
    tags: tagsJson(cache, r.tags),
  }),

  async planCreate(body, w, newId) {
    const b = parseWith(createBody, body);
    if (!b.userDirectory) refuseChange('userDirectory', 'is required');
    if (!b.userId) refuseChange('userId', 'is required');
    const customProperties = await w.refs.propertyValues('customProperties', b.customProperties ?? []);
    const tags = await w.refs.named('tags', b.tags ?? []);
    const now = new Date();
    const attributes = nextAttributes([], b.attributes, b.groups);
    const record: UserRecord = {
      id: newId, createdDate: now, modifiedDate: now, modifiedByUserName: w.actor.name, userDirectory: b.userDirectory, userId: b.userId, name: b.name ?? b.userId, email: b.email ?? '',
      roles: [...new Set(b.roles ?? [])].sort(), groups: userGroups(attributes), attributes, inactive: b.inactive ?? false, removedExternally: false, customProperties, tags,
    };
    const input: UserInput & { id: string } = {
      id: newId, userDirectory: record.userDirectory, userId: record.userId, name: record.name, email: record.email, roles: record.roles, attributes, inactive: record.inactive,
      customProperties: valueInputs(customProperties), tagIds: tags.map((t) => t.id),
    };
    const checks: ExtraCheck[] = record.roles.length > 0 || record.groups.length > 0 ? [{ action: 'changerole', on: 'wouldBe' }] : [];
    return {
      wouldBe: userSnapshot(w.cache, record, false),
      checks,
      // Checked once the rules allowed the create: before them, the answer would tell a caller
      // without any right on users whether the identity exists.
      commit: async (by) => {
        if (w.cache.userIdByIdentity(record.userDirectory, record.userId) !== undefined) refuseChange('userId', 'a user with this userDirectory and userId exists');
        return w.stores.users.create(input, by);
      },
    };
  },

  async planUpdate(body, current, w) {
    const b = parseWith(updateBody, body);
    if (b.userDirectory !== undefined && b.userDirectory !== current.userDirectory) refuseChange('userDirectory', 'the directory identity of a user cannot change');
    if (b.userId !== undefined && b.userId !== current.userId) refuseChange('userId', 'the directory identity of a user cannot change');
    const patch: Partial<UserInput> = {};
    const checks: ExtraCheck[] = [];
    const details: Record<string, unknown> = {};
    if (b.name !== undefined) patch.name = b.name;
    if (b.email !== undefined) patch.email = b.email;
    if (b.inactive !== undefined) patch.inactive = b.inactive;
    if (b.roles !== undefined && !sameSet(b.roles, current.roles)) {
      patch.roles = b.roles;
      Object.assign(details, { rolesBefore: current.roles, rolesAfter: [...new Set(b.roles)].sort() });
    }
    const attributes = nextAttributes(current.attributes, b.attributes, b.groups);
    const groups = userGroups(attributes);
    if (!sameList(attributes, current.attributes)) patch.attributes = attributes;
    // Groups decide what rules grant (user.group) and what section access shows (GROUP rows).
    const groupsChanged = !sameSet(groups, current.groups);
    if (groupsChanged) Object.assign(details, { groupsBefore: current.groups.length, groupsAfter: groups.length });
    if (patch.roles || groupsChanged) checks.push({ action: 'changerole', on: 'current' });
    if (b.customProperties !== undefined) patch.customProperties = valueInputs(await w.refs.propertyValues('customProperties', b.customProperties));
    if (b.tags !== undefined) patch.tagIds = (await w.refs.named('tags', b.tags)).map((t) => t.id);
    return { wouldBe: userSnapshot(w.cache, current), checks, details, commit: (by) => w.stores.users.update(current.id, b.modifiedDate, patch, by) };
  },

  remove: (stores, id) => stores.users.delete(id),
};
