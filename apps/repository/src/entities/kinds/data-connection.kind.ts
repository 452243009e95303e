import { z } from 'zod';
import type { DataConnectionInput, DataConnectionRecord } from '../../db';
import { dataConnectionSnapshot } from '../../security/resource-snapshots';
import { parseWith } from '../../rpc/json-body';
import { COMMON_READ_ONLY, customPropertiesInput, modifiedDate, NAME, readOnly, refuseChange, resolveCustomProperties, resolveTags, resolveUserRef, tagsInput, userRefInput, valueInputs } from '../body-fields';
import type { EntityKind, ExtraCheck } from '../entity-kind';
import { customPropertiesJson, metaJson, ownerJson, tagsJson } from '../qrs-json';
import { ownerRecordRef, requireStoredActor } from './app.kind';

const fields = {
  ...COMMON_READ_ONLY,
  name: NAME.optional(),
  type: z.literal('folder').optional(),
  connectionString: z.string().max(1024).optional(),
  owner: userRefInput.optional(),
  customProperties: customPropertiesInput.optional(),
  tags: tagsInput.optional(),
};
const createBody = z.strictObject({ ...fields, modifiedDate: readOnly });
const updateBody = z.strictObject({ ...fields, modifiedDate });

/**
 * Folder data connections: `connectionString` is a path relative to the engine's data volume
 * (validated by the store, and again by the engine). Reloads receive only connections the
 * reloading user may read.
 */
export const dataConnectionKind: EntityKind<DataConnectionRecord> = {
  type: 'dataconnection',
  resourceType: 'DataConnection',
  needs: ['DataConnection', 'User', 'CustomPropertyDefinition', 'Tag'],
  condensed: ['id', 'name', 'type', 'connectionString'],

  snapshot: (cache, r) => dataConnectionSnapshot(cache, r),

  json: (cache, r) => ({
    ...metaJson(r),
    name: r.name,
    type: r.type,
    connectionString: r.connectionString,
    owner: ownerJson(cache, r.owner),
    customProperties: customPropertiesJson(cache, r.customProperties),
    tags: tagsJson(cache, r.tags),
  }),

  planCreate(body, w, newId) {
    const b = parseWith(createBody, body);
    if (b.name === undefined) refuseChange('name', 'is required');
    if (b.connectionString === undefined) refuseChange('connectionString', 'is required');
    const caller = requireStoredActor(w);
    const ownerId = b.owner ? resolveUserRef(w.cache, b.owner, 'body.owner') : caller;
    const customProperties = resolveCustomProperties(w.cache, b.customProperties ?? []);
    const tags = resolveTags(w.cache, b.tags ?? []);
    const now = new Date();
    const record: DataConnectionRecord = {
      id: newId, createdDate: now, modifiedDate: now, modifiedByUserName: w.actor.name, name: b.name, type: 'folder', connectionString: b.connectionString,
      owner: ownerRecordRef(w.cache, ownerId), customProperties, tags,
    };
    const input: DataConnectionInput & { id: string } = {
      id: newId, name: b.name, type: 'folder', connectionString: b.connectionString, ownerId, customProperties: valueInputs(customProperties), tagIds: tags.map((t) => t.id),
    };
    return {
      wouldBe: dataConnectionSnapshot(w.cache, record, false),
      checks: ownerId !== caller ? [{ action: 'changeowner', on: 'wouldBe' }] : [],
      commit: (by) => w.stores.dataConnections.create(input, by),
    };
  },

  planUpdate(body, current, w) {
    const b = parseWith(updateBody, body);
    const patch: Partial<DataConnectionInput> = {};
    const checks: ExtraCheck[] = [];
    if (b.name !== undefined) patch.name = b.name;
    if (b.connectionString !== undefined) patch.connectionString = b.connectionString;
    if (b.owner !== undefined) {
      const ownerId = resolveUserRef(w.cache, b.owner, 'body.owner');
      if (ownerId !== current.owner.id) {
        patch.ownerId = ownerId;
        checks.push({ action: 'changeowner', on: 'current' });
      }
    }
    if (b.customProperties !== undefined) patch.customProperties = valueInputs(resolveCustomProperties(w.cache, b.customProperties));
    if (b.tags !== undefined) patch.tagIds = resolveTags(w.cache, b.tags).map((t) => t.id);
    return { wouldBe: dataConnectionSnapshot(w.cache, current), checks, commit: (by) => w.stores.dataConnections.update(current.id, b.modifiedDate, patch, by) };
  },

  remove: (stores, id) => stores.dataConnections.delete(id),
};
