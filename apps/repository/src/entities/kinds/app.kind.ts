import { z } from 'zod';
import { VERSION } from '@trustzone/config';
import type { AppInput, AppRecord } from '../../db';
import type { SiteCache } from '../../cache/site-cache';
import { appSnapshot } from '../../security/resource-snapshots';
import { denied } from '../../errors/service-errors';
import { parseWith } from '../../rpc/json-body';
import {
  COMMON_READ_ONLY,
  customPropertiesInput,
  LONG,
  modifiedDate,
  NAME,
  namedRefInput,
  readOnly,
  refuseChange,
  tagsInput,
  userRefInput,
  valueInputs,
} from '../body-fields';
import type { EntityKind, ExtraCheck, WriteContext } from '../entity-kind';
import { customPropertiesJson, iso, metaJson, ownerJson, tagsJson } from '../qrs-json';

const PUBLISH_ONLY = 'changes only through PUT /qrs/app/{id}/publish';

const fields = {
  ...COMMON_READ_ONLY,
  name: NAME.optional(),
  description: LONG.optional(),
  owner: userRefInput.optional(),
  customProperties: customPropertiesInput.optional(),
  tags: tagsInput.optional(),
  published: z.boolean().optional(),
  stream: namedRefInput.nullable().optional(),
  publishTime: readOnly,
  lastReloadTime: readOnly,
  fileSize: readOnly,
  // Qlik's read-only app fields (APP_QLIK_FIELDS), accepted back from a GET and ignored.
  appId: readOnly, sourceAppId: readOnly, targetAppId: readOnly, thumbnail: readOnly, savedInProductVersion: readOnly, migrationHash: readOnly,
  dynamicColor: readOnly, availabilityStatus: readOnly, isDirectQueryMode: readOnly, deleted: readOnly,
};

/** The all-zero GUID Qlik answers for an app that was neither copied nor replaced. */
const NO_APP = '00000000-0000-0000-0000-000000000000';

/**
 * The App fields Qlik returns that trustzone has no concept behind, with the values a Qlik site
 * gives an ordinary app: no thumbnail, not a copy or a replacement, available (availabilityStatus 0),
 * not Direct Query. `savedInProductVersion` is the trustzone version that wrote the file.
 */
const appQlikFields = () => ({
  appId: '', sourceAppId: NO_APP, targetAppId: NO_APP, thumbnail: '', savedInProductVersion: VERSION, migrationHash: '', dynamicColor: '',
  availabilityStatus: 0, isDirectQueryMode: false, deleted: false, schemaPath: 'App',
});
const createBody = z.strictObject({ ...fields, modifiedDate: readOnly });
const updateBody = z.strictObject({ ...fields, modifiedDate });

export function ownerRecordRef(cache: SiteCache, id: string) {
  const u = cache.records('User').get(id);
  if (!u) throw new Error(`owner ${id} not cached`);
  return { id: u.id, userId: u.userId, userDirectory: u.userDirectory, name: u.name };
}

/** Writes act for a stored user: anonymous sessions own nothing. */
export function requireStoredActor(w: Pick<WriteContext, 'actor'>): string {
  if (!w.actor.record) throw denied('anonymous users cannot own entities');
  return w.actor.record.id;
}

export const appKind: EntityKind<AppRecord> = {
  type: 'app',
  resourceType: 'App',
  needs: ['App', 'User', 'Stream', 'CustomPropertyDefinition', 'Tag'],
  condensed: ['id', 'name', 'published', 'publishTime', 'stream'],
  // Its owner, stream, custom property definitions and tags; never another app.
  jsonPerRecord: true,

  snapshot: (cache, r) => appSnapshot(cache, r),

  json: (cache, r) => ({
    ...metaJson(r),
    name: r.name,
    description: r.description,
    owner: ownerJson(cache, r.owner),
    published: r.published,
    publishTime: iso(r.publishTime),
    stream: r.stream ? { id: r.stream.id, name: cache.records('Stream').get(r.stream.id)?.name ?? r.stream.name } : null,
    lastReloadTime: iso(r.lastReloadTime),
    fileSize: r.fileSize,
    ...appQlikFields(),
    customProperties: customPropertiesJson(cache, r.customProperties),
    tags: tagsJson(cache, r.tags),
  }),

  async planCreate(body, w, newId) {
    const b = parseWith(createBody, body);
    if (b.name === undefined || b.name.trim() === '') refuseChange('name', 'is required');
    if (b.published === true || (b.stream !== undefined && b.stream !== null)) refuseChange(b.published ? 'published' : 'stream', `a new app is unpublished; publishing ${PUBLISH_ONLY}`);
    const caller = requireStoredActor(w);
    const ownerId = b.owner ? await w.refs.user('owner', b.owner) : caller;
    const customProperties = await w.refs.propertyValues('customProperties', b.customProperties ?? []);
    const tags = await w.refs.named('tags', b.tags ?? []);
    const now = new Date();
    const wouldBe: AppRecord = {
      id: newId, createdDate: now, modifiedDate: now, modifiedByUserName: w.actor.name, name: b.name, description: b.description ?? '',
      owner: ownerRecordRef(w.cache, ownerId), stream: null, published: false, publishTime: null, lastReloadTime: null, fileSize: 0, engineNode: null, customProperties, tags,
    };
    const input: AppInput & { id: string } = { id: newId, name: b.name, description: wouldBe.description, ownerId, customProperties: valueInputs(customProperties), tagIds: tags.map((t) => t.id) };
    return {
      wouldBe: appSnapshot(w.cache, wouldBe, false),
      checks: ownerId !== caller ? [{ action: 'changeowner', on: 'wouldBe' }] : [],
      commit: (by) => w.stores.apps.create(input, by),
    };
  },

  async planUpdate(body, current, w) {
    const b = parseWith(updateBody, body);
    if (b.published !== undefined && b.published !== current.published) refuseChange('published', PUBLISH_ONLY);
    if (b.stream !== undefined && (b.stream?.id ?? null) !== (current.stream?.id ?? null)) refuseChange('stream', PUBLISH_ONLY);
    const patch: Partial<AppInput> = {};
    const checks: ExtraCheck[] = [];
    if (b.name !== undefined) patch.name = b.name;
    if (b.description !== undefined) patch.description = b.description;
    if (b.owner !== undefined) {
      const ownerId = await w.refs.user('owner', b.owner);
      if (ownerId !== current.owner.id) {
        patch.ownerId = ownerId;
        checks.push({ action: 'changeowner', on: 'current' });
      }
    }
    if (b.customProperties !== undefined) patch.customProperties = valueInputs(await w.refs.propertyValues('customProperties', b.customProperties));
    if (b.tags !== undefined) patch.tagIds = (await w.refs.named('tags', b.tags)).map((t) => t.id);
    return {
      wouldBe: appSnapshot(w.cache, current),
      checks,
      commit: (by) => w.stores.apps.update(current.id, b.modifiedDate, patch, by),
      ...(patch.ownerId ? { details: { ownerBefore: current.owner.id, ownerAfter: patch.ownerId } } : {}),
    };
  },

  remove: (stores, id) => stores.apps.delete(id),
  // Objects of a deleted app go with it (ON DELETE CASCADE).
  cascades: ['App.Object'],
};
