import { z } from 'zod';
import { SERVICE_ACCOUNT_DIRECTORY } from '@trustzone/rules';
import { DbErrorCode, isDbError, USER_DIRECTORY_TYPES, type UserDirectoryInput, type UserDirectoryRecord } from '../../db';
import { precondition } from '../../errors/service-errors';
import { plainSnapshot } from '../../security/resource-snapshots';
import { parseWith } from '../../rpc/json-body';
import { COMMON_READ_ONLY, modifiedDate, NAME, readOnly, refuseChange, SHORT } from '../body-fields';
import type { EntityKind } from '../entity-kind';
import { metaJson } from '../qrs-json';

/**
 * Qlik's QRS UserDirectory (the configuration of a user directory connector). trustzone syncs from
 * no external directory, so the sync and connector fields are constant: a local directory is always
 * configured and operational, never syncing, with no settings. Those fields are accepted back as
 * read (clients PUT what they GET); settings or tags with content are refused, never dropped.
 */
const nothing = (what: string) => z.array(z.unknown()).max(0, `${what} are not supported on trustzone's user directories`).optional();
const fields = {
  ...COMMON_READ_ONLY,
  name: NAME.optional(),
  userDirectoryName: SHORT.optional(),
  type: SHORT.optional(),
  syncOnlyLoggedInUsers: z.boolean().optional(),
  configured: readOnly, operational: readOnly, syncStatus: readOnly, syncLastStarted: readOnly, syncLastSuccessfulEnded: readOnly,
  configuredError: readOnly, operationalError: readOnly, creationType: readOnly,
  settings: nothing('connector settings'),
  tags: nothing('tags'),
};
const createBody = z.strictObject({ ...fields, modifiedDate: readOnly });
const updateBody = z.strictObject({ ...fields, modifiedDate });

const snapshot = (r: Pick<UserDirectoryRecord, 'id' | 'name'>) => plainSnapshot('UserDirectory', r.id, r.name);

export const userDirectoryKind: EntityKind<UserDirectoryRecord> = {
  type: 'userdirectory',
  resourceType: 'UserDirectory',
  needs: ['UserDirectory'],
  condensed: ['id', 'name', 'userDirectoryName', 'configured', 'operational', 'type', 'syncOnlyLoggedInUsers'],
  snapshot: (_cache, r) => snapshot(r),
  json: (_cache, r) => ({
    ...metaJson(r),
    name: r.name, userDirectoryName: r.userDirectoryName, configured: true, operational: true, type: r.type,
    syncOnlyLoggedInUsers: r.syncOnlyLoggedInUsers, syncStatus: 0, syncLastStarted: null, syncLastSuccessfulEnded: null,
    configuredError: '', operationalError: '', settings: [], tags: [], creationType: r.creationType,
    schemaPath: 'UserDirectory',
  }),

  planCreate(body, w, newId) {
    const b = parseWith(createBody, body);
    if (b.userDirectoryName === undefined) refuseChange('userDirectoryName', 'is required');
    // The only connector there is; INTERNAL is shipped, never created.
    if (b.type !== undefined && b.type !== USER_DIRECTORY_TYPES.local) refuseChange('type', `must be '${USER_DIRECTORY_TYPES.local}' (the only connector trustzone has)`);
    const input: UserDirectoryInput & { id: string } = {
      id: newId, name: b.name ?? b.userDirectoryName, userDirectoryName: b.userDirectoryName, type: USER_DIRECTORY_TYPES.local,
      syncOnlyLoggedInUsers: b.syncOnlyLoggedInUsers ?? false, creationType: 1,
    };
    return { wouldBe: snapshot({ id: newId, name: input.name }), checks: [], commit: (by) => w.stores.userDirectories.create(input, by) };
  },

  planUpdate(body, current, w) {
    const b = parseWith(updateBody, body);
    // Users point at the directory by name: renaming it would orphan them.
    if (b.userDirectoryName !== undefined && b.userDirectoryName !== current.userDirectoryName) refuseChange('userDirectoryName', 'cannot change');
    if (b.type !== undefined && b.type !== current.type) refuseChange('type', 'cannot change');
    const patch: Partial<UserDirectoryInput> = {};
    if (b.name !== undefined) patch.name = b.name;
    if (b.syncOnlyLoggedInUsers !== undefined) patch.syncOnlyLoggedInUsers = b.syncOnlyLoggedInUsers;
    return { wouldBe: snapshot(current), checks: [], commit: (by) => w.stores.userDirectories.update(current.id, b.modifiedDate, patch, by) };
  },

  guardWrite(current, op) {
    if (current.type === USER_DIRECTORY_TYPES.internal || current.userDirectoryName.toUpperCase() === SERVICE_ACCOUNT_DIRECTORY) {
      throw precondition(`the ${SERVICE_ACCOUNT_DIRECTORY} user directory (service accounts) is shipped and cannot be ${op === 'update' ? 'changed' : 'deleted'}`);
    }
  },

  async remove(stores, id) {
    try {
      await stores.userDirectories.delete(id);
    } catch (e) {
      // The store names the count in a client-safe message; the generic InUse mapping would hide it.
      if (isDbError(e, DbErrorCode.InUse)) throw precondition(e.message.replace(/^UserDirectory: /, 'user directory '), 'userDirectoryName');
      throw e;
    }
  },
};
