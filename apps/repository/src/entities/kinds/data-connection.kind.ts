import { z } from 'zod';
import type { DataConnectionInput, DataConnectionRecord } from '../../db';
import { dataConnectionSnapshot } from '../../security/resource-snapshots';
import { parseWith } from '../../rpc/json-body';
import { COMMON_READ_ONLY, customPropertiesInput, modifiedDate, NAME, readOnly, refuseChange, tagsInput, userRefInput, valueInputs } from '../body-fields';
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
 * reloading user may read. Changing the target needs Create on the connection as it would be.
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

  async planCreate(body, w, newId) {
    const b = parseWith(createBody, body);
    if (b.name === undefined) refuseChange('name', 'is required');
    if (b.connectionString === undefined) refuseChange('connectionString', 'is required');
    const caller = requireStoredActor(w);
    const ownerId = b.owner ? await w.refs.user('owner', b.owner) : caller;
    const customProperties = await w.refs.propertyValues('customProperties', b.customProperties ?? []);
    const tags = await w.refs.named('tags', b.tags ?? []);
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

  async planUpdate(body, current, w) {
    const b = parseWith(updateBody, body);
    const patch: Partial<DataConnectionInput> = {};
    const checks: ExtraCheck[] = [];
    if (b.name !== undefined) patch.name = b.name;
    let details: Record<string, unknown> | undefined;
    if (b.connectionString !== undefined && b.connectionString !== current.connectionString) {
      // A new target is a new connection as far as the data it opens goes: it needs the right to
      // create the connection as it would be (shipped rules: RootAdmin, ContentAdmin; the Owner rule
      // never grants Create), not just Update. Rules can bound it by `resource.connectionstring`.
      patch.connectionString = b.connectionString;
      details = { connectionStringBefore: current.connectionString, connectionStringAfter: b.connectionString };
      checks.push({ action: 'create', on: 'wouldBe', details: { change: 'connectionString', ...details } });
    }
    if (b.owner !== undefined) {
      const ownerId = await w.refs.user('owner', b.owner);
      if (ownerId !== current.owner.id) {
        patch.ownerId = ownerId;
        checks.push({ action: 'changeowner', on: 'current' });
      }
    }
    if (b.customProperties !== undefined) patch.customProperties = valueInputs(await w.refs.propertyValues('customProperties', b.customProperties));
    if (b.tags !== undefined) patch.tagIds = (await w.refs.named('tags', b.tags)).map((t) => t.id);
    const wouldBe = patch.connectionString === undefined ? dataConnectionSnapshot(w.cache, current) : dataConnectionSnapshot(w.cache, { ...current, connectionString: patch.connectionString }, false);
    return { wouldBe, checks, commit: (by) => w.stores.dataConnections.update(current.id, b.modifiedDate, patch, by), ...(details ? { details } : {}) };
  },

  remove: (stores, id) => stores.dataConnections.delete(id),
};
