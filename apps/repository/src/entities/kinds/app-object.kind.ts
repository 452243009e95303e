import { z } from 'zod';
import type { AppObjectInput, AppObjectRecord, AppRecord } from '../../db';
import { appObjectSnapshot } from '../../security/resource-snapshots';
import { parseWith } from '../../rpc/json-body';
import { COMMON_READ_ONLY, customPropertiesInput, modifiedDate, NAME, namedRefInput, refuseChange, SHORT, tagsInput, userRefInput, valueInputs } from '../body-fields';
import type { EntityKind, ExtraCheck } from '../entity-kind';
import { customPropertiesJson, metaJson, ownerJson, tagsJson } from '../qrs-json';
import { ownerRecordRef, requireStoredActor } from './app.kind';

const fields = {
  ...COMMON_READ_ONLY,
  objectType: SHORT.optional(),
  name: NAME.optional(),
  app: namedRefInput.optional(),
  owner: userRefInput.optional(),
  published: z.boolean().optional(),
  approved: z.boolean().optional(),
  // Qlik's engineObjectId: the engine's name for the object in the app file. Only the engine sets it
  // (RegisterAppObject); a body may echo it back unchanged.
  engineObjectId: z.string().max(256).optional(),
  customProperties: customPropertiesInput.optional(),
  tags: tagsInput.optional(),
};
const createBody = z.strictObject({ ...fields, modifiedDate: z.unknown().optional() });
const updateBody = z.strictObject({ ...fields, modifiedDate });

/** Sheets, bookmarks, stories… of an app. Publishing and approving an object are rights of their own. */
export const appObjectKind: EntityKind<AppObjectRecord> = {
  type: 'app/object',
  resourceType: 'App.Object',
  needs: ['App.Object', 'App', 'User', 'Stream', 'CustomPropertyDefinition', 'Tag'],
  condensed: ['id', 'name', 'objectType', 'published', 'approved', 'app', 'owner'],

  snapshot: (cache, r) => appObjectSnapshot(cache, r),

  json: (cache, r) => ({
    ...metaJson(r),
    objectType: r.objectType,
    name: r.name,
    published: r.published,
    approved: r.approved,
    engineObjectId: r.engineObjectId ?? '',
    app: { id: r.app.id, name: cache.records('App').get(r.app.id)?.name ?? r.app.name },
    owner: ownerJson(cache, r.owner),
    customProperties: customPropertiesJson(cache, r.customProperties),
    tags: tagsJson(cache, r.tags),
  }),

  async planCreate(body, w, newId) {
    const b = parseWith(createBody, body);
    if (b.objectType === undefined || b.objectType === '') refuseChange('objectType', 'is required');
    if (b.app?.id === undefined) refuseChange('app', 'is required ({"id": "<app id>"})');
    if (b.engineObjectId) refuseChange('engineObjectId', 'is set by the engine when it stores the object in the app file');
    const app = await w.refs.entity<AppRecord>('app', b.app);
    const caller = requireStoredActor(w);
    const ownerId = b.owner ? await w.refs.user('owner', b.owner) : caller;
    const customProperties = await w.refs.propertyValues('customProperties', b.customProperties ?? []);
    const tags = await w.refs.named('tags', b.tags ?? []);
    const now = new Date();
    const record: AppObjectRecord = {
      id: newId, createdDate: now, modifiedDate: now, modifiedByUserName: w.actor.name, objectType: b.objectType, name: b.name ?? '',
      published: b.published ?? false, approved: b.approved ?? false, owner: ownerRecordRef(w.cache, ownerId), app: { id: app.id, name: app.name }, engineObjectId: null, customProperties, tags,
    };
    const checks: ExtraCheck[] = [];
    if (ownerId !== caller) checks.push({ action: 'changeowner', on: 'wouldBe' });
    if (record.published) checks.push({ action: 'publish', on: 'wouldBe' });
    if (record.approved) checks.push({ action: 'approve', on: 'wouldBe' });
    const input: AppObjectInput & { id: string } = {
      id: newId, objectType: record.objectType, name: record.name, appId: app.id, ownerId, published: record.published, approved: record.approved,
      customProperties: valueInputs(customProperties), tagIds: tags.map((t) => t.id),
    };
    return {
      wouldBe: appObjectSnapshot(w.cache, record, false),
      checks,
      commit: (by) => w.stores.appObjects.create(input, by),
    };
  },

  async planUpdate(body, current, w) {
    const b = parseWith(updateBody, body);
    if (b.app !== undefined && b.app.id !== current.app.id) refuseChange('app', 'an object cannot move to another app');
    if (b.objectType !== undefined && b.objectType !== current.objectType) refuseChange('objectType', 'cannot change');
    if (b.engineObjectId !== undefined && b.engineObjectId !== (current.engineObjectId ?? '')) refuseChange('engineObjectId', 'cannot change');
    const patch: Partial<AppObjectInput> = {};
    const checks: ExtraCheck[] = [];
    if (b.name !== undefined) patch.name = b.name;
    if (b.owner !== undefined) {
      const ownerId = await w.refs.user('owner', b.owner);
      if (ownerId !== current.owner.id) {
        patch.ownerId = ownerId;
        checks.push({ action: 'changeowner', on: 'current' });
      }
    }
    if (b.published !== undefined && b.published !== current.published) {
      patch.published = b.published;
      checks.push({ action: 'publish', on: 'current' });
    }
    if (b.approved !== undefined && b.approved !== current.approved) {
      patch.approved = b.approved;
      checks.push({ action: 'approve', on: 'current' });
    }
    if (b.customProperties !== undefined) patch.customProperties = valueInputs(await w.refs.propertyValues('customProperties', b.customProperties));
    if (b.tags !== undefined) patch.tagIds = (await w.refs.named('tags', b.tags)).map((t) => t.id);
    return { wouldBe: appObjectSnapshot(w.cache, current), checks, commit: (by) => w.stores.appObjects.update(current.id, b.modifiedDate, patch, by) };
  },

  remove: (stores, id) => stores.appObjects.delete(id),
};
