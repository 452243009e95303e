import { docOf } from '../doc-methods';
import type { DocContext } from '../doc-context';
import { invalid, isRecord } from '../method-args';
import type { CallContext, MethodTable } from '../method-table';
import type { ObjectRef } from '../open-doc';
import { readSessionObject } from '../session-object';
import { QixError, QixErrorCode } from '../qix.error';
import { objectDeps, accessContext, appPublished, assertRoom, authorize, objectNotFound, readableObject, readableRefs, replaceIn, storedIds, unchangedUnderLock, writeObjects } from './object-context';
import { containerItems, RESERVED_TYPES } from './object-lists';
import { newStored, readObjectProperties, readStored, refOf, type StoredObject } from './stored-object';

/*
 * Doc methods for persisted generic objects (sheets, stories, any client type): CreateObject,
 * GetObject, DestroyObject, GetObjects, GetAllInfos, DoSave, GetAppProperties/SetAppProperties.
 * Every one asks the ObjectAccess. Deliberate difference from Qlik: a change is stored in the app
 * file at once (DoSave answers without doing anything more).
 */

const APP_PROPS_ID = 'AppPropsList';

export function ownerIdOf(ctx: CallContext): string {
  return accessContext(ctx).userId;
}

/** One handle per persisted object and session. */
export function persistedHandle(ctx: CallContext, obj: StoredObject): ObjectRef {
  const doc = docOf(ctx);
  let handle = doc.persistedHandles.get(obj.id);
  const entry = handle === undefined ? undefined : ctx.core.handles.get(handle);
  if (handle === undefined || entry?.type !== 'GenericObject') {
    handle = ctx.core.handles.add({ type: 'GenericObject', object: { id: obj.id, type: obj.type, properties: obj.properties, def: { kind: 'plain' } }, persistedId: obj.id });
    doc.persistedHandles.set(obj.id, handle);
  }
  return { qType: 'GenericObject', qHandle: handle, qGenericId: obj.id, qGenericType: obj.type };
}

/** Client properties checked as a session object's would be (definitions parse, fields are in the creator's view). */
export function checkDefinitions(doc: DocContext, properties: Record<string, unknown>, maxChars: number, id: string): void {
  readSessionObject(doc, properties, maxChars, id);
}

/** Create a top-level or child object: rules first, then the locked write (ids unique in the app). */
export async function createPersisted(ctx: CallContext, raw: unknown, opts: { parent?: StoredObject; fixedType?: string; selections?: StoredObject['selections'] } = {}): Promise<StoredObject> {
  const doc = docOf(ctx);
  const max = ctx.core.limits.maxPropertiesChars;
  const p = readObjectProperties(raw, max, { reservedTypes: RESERVED_TYPES, ...(opts.fixedType === undefined ? {} : { fixedType: opts.fixedType }) });
  if (opts.fixedType === undefined) checkDefinitions(doc, p.properties, max, p.id);
  const published = await appPublished(ctx);
  const obj = newStored({ id: p.id, type: p.type, ownerId: ownerIdOf(ctx), base: !published, properties: p.properties, ...(opts.parent === undefined ? {} : { parentId: opts.parent.id }), ...(opts.selections === undefined ? {} : { selections: opts.selections }) });
  const ref = refOf(obj, published);
  await authorize(ctx, 'create', ref);
  if (opts.parent !== undefined) await authorize(ctx, 'update', refOf(opts.parent, published));
  if (doc.objectHandles.has(obj.id)) throw alreadyExists();
  await writeObjects(ctx, [obj.id], (current) => {
    assertRoom(current, 1);
    if (storedIds(current).has(obj.id) || obj.id === APP_PROPS_ID) throw alreadyExists();
    if (opts.parent !== undefined) unchangedUnderLock(current, opts.parent);
    return [...current, obj as unknown as Record<string, unknown>];
  }, opts.fixedType === 'dimension' || opts.fixedType === 'measure');
  await objectDeps(ctx).access.onCreated(accessContext(ctx), ref);
  return obj;
}

// Same code as CreateSessionObject's duplicate id.
const alreadyExists = () => new QixError(QixErrorCode.ALREADY_EXISTS, 'An object with this qId already exists', { parameter: 'qProp.qInfo.qId' });
const invalidExists = alreadyExists;

/** Destroy an object and its children (every one rule-checked for delete); closes their handles. */
export async function destroyPersisted(ctx: CallContext, obj: StoredObject, extraChecks: () => Promise<void> = async () => undefined): Promise<boolean> {
  const doc = docOf(ctx);
  const published = await appPublished(ctx);
  const subtree = doc.objects.subtree(obj.id);
  for (const o of subtree) await authorize(ctx, 'delete', refOf(o, published));
  await extraChecks();
  const ids = new Set(subtree.map((o) => o.id));
  await writeObjects(ctx, [obj.id], (current) => {
    unchangedUnderLock(current, obj);
    return current.filter((raw) => {
      const s = readStored(raw);
      return s === null || !ids.has(s.id);
    });
  }, obj.type === 'dimension' || obj.type === 'measure');
  for (const id of ids) {
    const handle = doc.persistedHandles.get(id);
    if (handle !== undefined) {
      doc.persistedHandles.delete(id);
      ctx.core.handles.delete(handle);
      ctx.close.push(handle);
    }
  }
  const access = objectDeps(ctx).access;
  for (const o of subtree) await access.onDestroyed(accessContext(ctx), refOf(o, published));
  return true;
}

/** Store new properties of `obj` (rule-checked for update by the caller). */
export async function replaceProperties(ctx: CallContext, obj: StoredObject, properties: Record<string, unknown>, extra: Partial<Pick<StoredObject, 'selections' | 'published' | 'approved'>> = {}): Promise<StoredObject> {
  const next: StoredObject = { ...obj, ...extra, properties, modifiedDate: new Date().toISOString() };
  await writeObjects(ctx, [obj.id], (current) => {
    unchangedUnderLock(current, obj);
    return replaceIn(current, obj.id, next);
  }, obj.type === 'dimension' || obj.type === 'measure');
  await objectDeps(ctx).access.onChanged(accessContext(ctx), refOf(next, await appPublished(ctx)));
  return next;
}

/** The answer of a Create* method: qInfo and the handle. */
export function created(ref: ObjectRef): { qInfo: { qId: string; qType: string }; qReturn: ObjectRef } {
  return { qInfo: { qId: ref.qGenericId, qType: ref.qGenericType ?? '' }, qReturn: ref };
}

function readOptions(raw: unknown): { types: string[] | null; includeSession: boolean; data: unknown } {
  if (raw === undefined || raw === null) return { types: null, includeSession: false, data: undefined };
  if (!isRecord(raw)) throw invalid('qOptions', 'qOptions must be an object');
  const types = raw['qTypes'];
  if (types !== undefined && (!Array.isArray(types) || types.length > 100 || !types.every((t) => typeof t === 'string'))) throw invalid('qOptions.qTypes', 'qTypes is a list of type names');
  return { types: Array.isArray(types) && types.length > 0 ? (types as string[]) : null, includeSession: raw['qIncludeSessionObjects'] === true, data: raw['qData'] === undefined ? undefined : { qData: raw['qData'] } };
}

function appPropsDefault(doc: DocContext): Record<string, unknown> {
  return { qInfo: { qId: APP_PROPS_ID, qType: 'appprops' }, qTitle: doc.app.title, qLastReloadTime: '', qMigrationHash: '', qSavedInProductVersion: '', qThumbnail: { qStaticContentUrlDef: {} }, qHasSectionAccess: doc.model.securityTable !== null };
}

export const OBJECT_DOC_METHODS: MethodTable = {
  CreateObject: {
    params: ['qProp'],
    // Qlik answers the new object's qInfo and its handle (qReturn, which enigma.js turns into an object).
    out: ['qInfo', 'qReturn'],
    run: async (ctx, args) => created(persistedHandle(ctx, await createPersisted(ctx, args.object(0)))),
  },
  GetObject: {
    params: ['qId'],
    out: 'qReturn',
    run: async (ctx, args): Promise<ObjectRef> => {
      const doc = docOf(ctx);
      const id = args.string(0, 1000);
      const session = doc.objectHandles.get(id);
      const entry = session === undefined ? undefined : ctx.core.handles.get(session);
      if (session !== undefined && entry?.type === 'GenericObject') return { qType: 'GenericObject', qHandle: session, qGenericId: entry.object.id, qGenericType: entry.object.type };
      if (ctx.core.deps.objects === undefined) throw objectNotFound();
      const { obj } = await readableObject(ctx, id);
      if (RESERVED_TYPES.has(obj.type)) throw objectNotFound();
      return persistedHandle(ctx, obj);
    },
  },
  DestroyObject: {
    params: ['qId'],
    out: ['qSuccess'],
    run: async (ctx, args) => {
      const id = args.string(0, 1000);
      const obj = docOf(ctx).objects.get(id);
      if (obj === undefined || RESERVED_TYPES.has(obj.type)) return false;
      const { obj: readable } = await readableObject(ctx, id).catch(() => ({ obj: undefined }));
      if (readable === undefined) return false;
      return destroyPersisted(ctx, readable, async () => {
        if (readable.parentId !== undefined) {
          const parent = docOf(ctx).objects.get(readable.parentId);
          if (parent !== undefined) await authorize(ctx, 'update', refOf(parent, await appPublished(ctx)));
        }
      });
    },
  },
  GetObjects: {
    params: ['qOptions'],
    out: ['qList'],
    run: async (ctx, args) => {
      const opts = readOptions(args.has(0) ? args.object(0) : undefined);
      const doc = docOf(ctx);
      const want = (t: string) => opts.types === null || opts.types.includes(t);
      const persisted = ctx.core.deps.objects === undefined ? [] : await containerItems(ctx, doc.objects.all().filter((o) => want(o.type)), opts.data);
      const session = !opts.includeSession ? [] : [...doc.objectHandles.keys()].flatMap((id) => {
        const e = ctx.core.handles.get(doc.objectHandles.get(id)!);
        return e?.type === 'GenericObject' && want(e.object.type) ? [{ qInfo: { qId: e.object.id, qType: e.object.type }, qMeta: { privileges: ['read', 'update', 'delete'] }, qData: {} }] : [];
      });
      return [...persisted, ...session];
    },
  },
  GetAllInfos: {
    params: [],
    out: ['qInfos'],
    run: async (ctx) => {
      const doc = docOf(ctx);
      const persisted = ctx.core.deps.objects === undefined ? [] : (await readableRefs(ctx, doc.objects.all())).map((o) => ({ qId: o.id, qType: o.type }));
      const session = [...doc.objectHandles.keys()].flatMap((id) => {
        const e = ctx.core.handles.get(doc.objectHandles.get(id)!);
        return e?.type === 'GenericObject' ? [{ qId: e.object.id, qType: e.object.type }] : [];
      });
      return [...persisted, ...session];
    },
  },
  DoSave: {
    params: ['qFileName'],
    out: 'void',
    run: (ctx, args) => {
      args.optionalString(0, 1000);
      docOf(ctx);
      // Every change is already in the app file (written under its lock when it was made).
    },
  },
  GetAppProperties: {
    params: [],
    out: ['qProp'],
    run: async (ctx) => {
      const doc = docOf(ctx);
      const stored = ctx.core.deps.objects === undefined ? undefined : doc.objects.get(APP_PROPS_ID);
      return { ...appPropsDefault(doc), ...(stored?.properties ?? {}), qInfo: { qId: APP_PROPS_ID, qType: 'appprops' } };
    },
  },
  SetAppProperties: {
    params: ['qProp'],
    out: 'void',
    run: async (ctx, args) => {
      const doc = docOf(ctx);
      const raw = args.object(0);
      const p = readObjectProperties({ ...raw, qInfo: { qId: APP_PROPS_ID, qType: 'appprops' } }, ctx.core.limits.maxPropertiesChars, { fixedId: APP_PROPS_ID, fixedType: 'appprops' });
      const published = await appPublished(ctx);
      const existing = doc.objects.get(APP_PROPS_ID);
      // The app's properties are always a base object: read-only once the app is published.
      const obj = existing ?? newStored({ id: APP_PROPS_ID, type: 'appprops', ownerId: ownerIdOf(ctx), base: true, properties: {} });
      const ref = { ...refOf(obj, published), published, approved: published };
      await authorize(ctx, existing === undefined ? 'create' : 'update', ref);
      if (existing === undefined) {
        const created = { ...obj, properties: p.properties };
        await writeObjects(ctx, [APP_PROPS_ID], (current) => {
          if (storedIds(current).has(APP_PROPS_ID)) throw invalidExists();
          assertRoom(current, 1);
          return [...current, created as unknown as Record<string, unknown>];
        });
        // Like every created object: a repository-backed access registers it (App.Object "appprops").
        await objectDeps(ctx).access.onCreated(accessContext(ctx), ref);
      } else await replaceProperties(ctx, existing, p.properties);
      if (doc.handle !== undefined) ctx.change.add(doc.handle);
    },
  },
};
