import { docOf } from '../doc-methods';
import { invalid } from '../method-args';
import type { CallContext, MethodSpec, MethodTable } from '../method-table';
import type { ObjectRef } from '../open-doc';
import { QixError, QixErrorCode } from '../qix.error';
import { applyPatches, MAX_PATCHES, readPatches } from './json-patch';
import { appPublished, authorize, readableObject } from './object-context';
import { created, createPersisted, destroyPersisted, replaceProperties } from './object-doc-methods';
import { containerItems, metaOf } from './object-lists';
import { readObjectProperties, refOf, type StoredObject } from './stored-object';

/*
 * Master dimensions, master measures and bookmarks: persisted objects of a fixed type with their
 * own handle types (GenericDimension, GenericMeasure, GenericBookmark) and Doc methods. What they
 * share lives here: handles, properties, patches, publish/approve, destroy, list.
 */

export type ItemHandleType = 'GenericDimension' | 'GenericMeasure' | 'GenericBookmark';

export interface ItemKind {
  type: 'dimension' | 'measure' | 'bookmark';
  handleType: ItemHandleType;
  /** Validates (in the writer's view) and normalises the properties. */
  check(ctx: CallContext, properties: Record<string, unknown>): Record<string, unknown>;
}

export function itemHandle(ctx: CallContext, kind: ItemKind, obj: StoredObject): ObjectRef {
  const doc = docOf(ctx);
  let handle = doc.persistedHandles.get(obj.id);
  if (handle === undefined || ctx.core.handles.get(handle)?.type !== kind.handleType) {
    handle = ctx.core.handles.add({ type: kind.handleType, objectId: obj.id });
    doc.persistedHandles.set(obj.id, handle);
  }
  return { qType: kind.handleType, qHandle: handle, qGenericId: obj.id, qGenericType: kind.type };
}

/** The stored item of this handle (its read was authorized by the dispatcher). */
export function itemOf(ctx: CallContext, kind: ItemKind): StoredObject {
  const e = ctx.entry;
  if (e.type !== kind.handleType) throw new QixError(QixErrorCode.INVALID_HANDLE, 'Invalid handle');
  const obj = docOf(ctx).objects.get(e.objectId);
  if (obj === undefined || obj.type !== kind.type) throw new QixError(QixErrorCode.NOT_FOUND, 'Object not found', { parameter: 'handle' });
  return obj;
}

export async function readableItem(ctx: CallContext, kind: ItemKind, id: string): Promise<StoredObject> {
  const { obj } = await readableObject(ctx, id);
  if (obj.type !== kind.type) throw new QixError(QixErrorCode.NOT_FOUND, 'Object not found', { parameter: 'qId' });
  return obj;
}

export function readItemProperties(ctx: CallContext, kind: ItemKind, raw: unknown, fixedId?: string): Record<string, unknown> {
  const p = readObjectProperties(raw, ctx.core.limits.maxPropertiesChars, { fixedType: kind.type, ...(fixedId === undefined ? {} : { fixedId }) });
  return kind.check(ctx, p.properties);
}

async function setItem(ctx: CallContext, kind: ItemKind, obj: StoredObject, raw: unknown): Promise<void> {
  const properties = readItemProperties(ctx, kind, raw, obj.id);
  await authorize(ctx, 'update', refOf(obj, await appPublished(ctx)));
  await replaceProperties(ctx, obj, properties);
  ctx.change.add(ctx.handle);
}

async function setFlags(ctx: CallContext, kind: ItemKind, action: 'publish' | 'approve', value: boolean): Promise<void> {
  const obj = itemOf(ctx, kind);
  await authorize(ctx, action, refOf(obj, await appPublished(ctx)));
  await replaceProperties(ctx, obj, obj.properties, action === 'publish' ? { published: value } : { approved: value });
  ctx.change.add(ctx.handle);
}

/** Methods every item handle answers; `layout` adds the kind's computed part to qInfo/qMeta. */
export function itemMethods(kind: ItemKind, layout: (ctx: CallContext, obj: StoredObject) => Record<string, unknown>, extra: MethodTable = {}): MethodTable {
  return {
    GetLayout: {
      params: [],
      out: ['qLayout'],
      run: async (ctx) => {
        const obj = itemOf(ctx, kind);
        return { ...layout(ctx, obj), qInfo: { qId: obj.id, qType: kind.type }, qMeta: await metaOf(ctx, obj) };
      },
    },
    GetProperties: { params: [], out: ['qProp'], run: (ctx) => itemOf(ctx, kind).properties },
    GetInfo: { params: [], out: ['qInfo'], run: (ctx) => ({ qId: itemOf(ctx, kind).id, qType: kind.type }) },
    SetProperties: { params: ['qProp'], out: 'void', run: (ctx, args) => setItem(ctx, kind, itemOf(ctx, kind), args.object(0)) },
    ApplyPatches: {
      params: ['qPatches'],
      out: 'void',
      run: (ctx, args) => {
        const obj = itemOf(ctx, kind);
        return setItem(ctx, kind, obj, applyPatches(obj.properties, readPatches(args.array(0, MAX_PATCHES))));
      },
    },
    Publish: { params: [], out: 'void', run: (ctx) => setFlags(ctx, kind, 'publish', true) },
    UnPublish: { params: [], out: 'void', run: (ctx) => setFlags(ctx, kind, 'publish', false) },
    Approve: { params: [], out: 'void', run: (ctx) => setFlags(ctx, kind, 'approve', true) },
    UnApprove: { params: [], out: 'void', run: (ctx) => setFlags(ctx, kind, 'approve', false) },
    ...extra,
  };
}

/** Create/Get/Destroy on the Doc, named as Qlik names them (CreateDimension, GetDimension…). */
export function itemDocMethods(kind: ItemKind, names: { create: string; get: string; destroy: string }): Record<string, MethodSpec> {
  return {
    [names.create]: {
      params: ['qProp'],
      out: ['qInfo', 'qReturn'],
      run: async (ctx, args) => {
        const raw = args.object(0);
        const properties = readItemProperties(ctx, kind, raw);
        return created(itemHandle(ctx, kind, await createPersisted(ctx, properties, { fixedType: kind.type })));
      },
    },
    [names.get]: {
      params: ['qId'],
      out: 'qReturn',
      run: async (ctx, args) => itemHandle(ctx, kind, await readableItem(ctx, kind, args.string(0, 1000))),
    },
    [names.destroy]: {
      params: ['qId'],
      out: ['qSuccess'],
      run: async (ctx, args) => {
        const id = args.string(0, 1000);
        const obj = await readableItem(ctx, kind, id).catch(() => undefined);
        return obj === undefined ? false : destroyPersisted(ctx, obj);
      },
    },
  };
}

export async function listItems(ctx: CallContext, kind: ItemKind, data: unknown): Promise<Record<string, unknown>[]> {
  return containerItems(ctx, docOf(ctx).objects.all().filter((o) => o.type === kind.type), data);
}

export function stringList(value: unknown, path: string, min: number, max: number, itemChars: number): string[] {
  if (!Array.isArray(value) || value.length < min || value.length > max || !value.every((v) => typeof v === 'string' && v.length <= itemChars)) throw invalid(path, `${path} must be a list of ${min} to ${max} strings of at most ${itemChars} characters`);
  return value as string[];
}
