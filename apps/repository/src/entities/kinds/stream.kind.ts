import { z } from 'zod';
import type { StreamInput, StreamRecord } from '../../db';
import { streamSnapshot } from '../../security/resource-snapshots';
import { parseWith } from '../../rpc/json-body';
import { COMMON_READ_ONLY, customPropertiesInput, modifiedDate, NAME, refuseChange, tagsInput, userRefInput, valueInputs } from '../body-fields';
import type { EntityKind, ExtraCheck } from '../entity-kind';
import { customPropertiesJson, metaJson, ownerJson, tagsJson } from '../qrs-json';
import { ownerRecordRef, requireStoredActor } from './app.kind';

const fields = { ...COMMON_READ_ONLY, name: NAME.optional(), owner: userRefInput.nullable().optional(), customProperties: customPropertiesInput.optional(), tags: tagsInput.optional() };
const createBody = z.strictObject({ ...fields, modifiedDate: z.unknown().optional() });
const updateBody = z.strictObject({ ...fields, modifiedDate });

export const streamKind: EntityKind<StreamRecord> = {
  type: 'stream',
  resourceType: 'Stream',
  needs: ['Stream', 'User', 'CustomPropertyDefinition', 'Tag'],
  condensed: ['id', 'name'],

  snapshot: (cache, r) => streamSnapshot(cache, r),

  json: (cache, r) => ({
    ...metaJson(r),
    name: r.name,
    owner: ownerJson(cache, r.owner),
    customProperties: customPropertiesJson(cache, r.customProperties),
    tags: tagsJson(cache, r.tags),
  }),

  async planCreate(body, w, newId) {
    const b = parseWith(createBody, body);
    if (b.name === undefined || b.name.trim() === '') refuseChange('name', 'is required');
    const caller = requireStoredActor(w);
    const ownerId = b.owner ? await w.refs.user('owner', b.owner) : caller;
    const customProperties = await w.refs.propertyValues('customProperties', b.customProperties ?? []);
    const tags = await w.refs.named('tags', b.tags ?? []);
    const now = new Date();
    const record: StreamRecord = { id: newId, createdDate: now, modifiedDate: now, modifiedByUserName: w.actor.name, name: b.name, owner: ownerRecordRef(w.cache, ownerId), customProperties, tags };
    const input: StreamInput & { id: string } = { id: newId, name: b.name, ownerId, customProperties: valueInputs(customProperties), tagIds: tags.map((t) => t.id) };
    return {
      wouldBe: streamSnapshot(w.cache, record, false),
      checks: ownerId !== caller ? [{ action: 'changeowner', on: 'wouldBe' }] : [],
      commit: (by) => w.stores.streams.create(input, by),
    };
  },

  async planUpdate(body, current, w) {
    const b = parseWith(updateBody, body);
    const patch: Partial<StreamInput> = {};
    const checks: ExtraCheck[] = [];
    if (b.name !== undefined) patch.name = b.name;
    if (b.owner !== undefined) {
      const ownerId = b.owner === null ? null : await w.refs.user('owner', b.owner);
      if (ownerId !== (current.owner?.id ?? null)) {
        patch.ownerId = ownerId;
        checks.push({ action: 'changeowner', on: 'current' });
      }
    }
    if (b.customProperties !== undefined) patch.customProperties = valueInputs(await w.refs.propertyValues('customProperties', b.customProperties));
    if (b.tags !== undefined) patch.tagIds = (await w.refs.named('tags', b.tags)).map((t) => t.id);
    return { wouldBe: streamSnapshot(w.cache, current), checks, commit: (by) => w.stores.streams.update(current.id, b.modifiedDate, patch, by) };
  },

  remove: (stores, id) => stores.streams.delete(id),
};
