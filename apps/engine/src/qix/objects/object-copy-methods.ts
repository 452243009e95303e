import { randomUUID } from 'node:crypto';
import { docOf } from '../doc-methods';
import type { CallContext, MethodTable } from '../method-table';
import type { ObjectRef } from '../open-doc';
import { QixError, QixErrorCode } from '../qix.error';
import { readSessionObject } from '../session-object';
import { appPublished, authorize, objectNotFound, readableObject, readableRefs } from './object-context';
import { checkDefinitions, createPersisted, destroyPersisted, persistedHandle, replaceProperties } from './object-doc-methods';
import { RESERVED_TYPES } from './object-lists';
import { OBJECT_LIMITS, refOf, type StoredObject } from './stored-object';

/*
 * Navigating and copying persisted generic objects: GenericObject GetParent, GetChild,
 * GetLinkedObjects, CopyFrom; Doc CloneObject. Every object reached is read under the rules (a
 * private object of another user is "not found", never confirmed), every write asks for its own
 * action, and a copy takes only the children the caller may read — so copying never moves an object
 * out of someone's private space. Qlik has no Doc DuplicateObject (CloneObject is its name).
 */

function persistedOf(ctx: CallContext): StoredObject | null {
  if (ctx.entry.type !== 'GenericObject' || ctx.entry.persistedId === undefined) return null;
  const obj = docOf(ctx).objects.get(ctx.entry.persistedId);
  if (obj === undefined) throw objectNotFound('handle');
  return obj;
}

/** The source of a copy: readable, and a generic object (master items and bookmarks have their own methods). */
async function copySource(ctx: CallContext, id: string, parameter: string): Promise<StoredObject> {
  const { obj } = await readableObject(ctx, id, parameter);
  if (RESERVED_TYPES.has(obj.type)) throw objectNotFound(parameter);
  return obj;
}

/** The object and the descendants the caller may read through readable parents, parents first. */
async function readableSubtree(ctx: CallContext, root: StoredObject): Promise<StoredObject[]> {
  const all = docOf(ctx).objects.subtree(root.id);
  const readable = new Set((await readableRefs(ctx, all)).map((o) => o.id));
  const kept = new Set<string>([root.id]);
  return all.filter((o) => {
    if (o.id === root.id) return true;
    if (!readable.has(o.id) || o.parentId === undefined || !kept.has(o.parentId)) return false;
    kept.add(o.id);
    return true;
  });
}

/** String values naming a copied object (a sheet's cells name its charts) follow the copy; qInfo is set by the caller. */
function remap(value: unknown, ids: ReadonlyMap<string, string>, depth = 0): unknown {
  if (depth > 64) return value;
  if (typeof value === 'string') return ids.get(value) ?? value;
  if (Array.isArray(value)) return value.map((v) => remap(v, ids, depth + 1));
  if (value !== null && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, remap(v, ids, depth + 1)]));
  return value;
}

function copiedProperties(o: StoredObject, ids: ReadonlyMap<string, string>): Record<string, unknown> {
  const { qInfo: _info, ...rest } = o.properties;
  void _info;
  return { ...(remap(rest, ids) as Record<string, unknown>), qInfo: { qId: ids.get(o.id)!, qType: o.type } };
}

/** Create copies of `nodes[1..]` (children of nodes[0], parents first) under the object `ids` maps nodes[0] to. */
async function copyChildren(ctx: CallContext, nodes: readonly StoredObject[], ids: ReadonlyMap<string, string>): Promise<void> {
  for (const o of nodes.slice(1)) {
    const parent = docOf(ctx).objects.get(ids.get(o.parentId!)!);
    if (parent === undefined) throw objectNotFound('qId');
    await createPersisted(ctx, copiedProperties(o, ids), { parent });
  }
}

function freshIds(nodes: readonly StoredObject[], rootTo?: string): Map<string, string> {
  if (nodes.length > OBJECT_LIMITS.perApp) throw new QixError(QixErrorCode.ABORTED, `at most ${OBJECT_LIMITS.perApp} objects per app`);
  return new Map(nodes.map((o, i) => [o.id, i === 0 && rootTo !== undefined ? rootTo : randomUUID()]));
}

export const OBJECT_COPY_DOC_METHODS: MethodTable = {
  /** A copy of a generic object and its readable children, new ids, owned by the caller (a private copy in a published app). */
  CloneObject: {
    params: ['qId'],
    out: ['qCloneId'],
    run: async (ctx, args) => {
      const source = await copySource(ctx, args.string(0, OBJECT_LIMITS.idChars), 'qId');
      const nodes = await readableSubtree(ctx, source);
      const ids = freshIds(nodes);
      await createPersisted(ctx, copiedProperties(source, ids));
      await copyChildren(ctx, nodes, ids);
      return ids.get(source.id)!;
    },
  },
};

export const OBJECT_COPY_GENERIC_METHODS: MethodTable = {
  GetParent: {
    params: [],
    out: 'qReturn',
    run: async (ctx): Promise<ObjectRef> => {
      const obj = persistedOf(ctx);
      if (obj?.parentId === undefined) throw objectNotFound('handle');
      return persistedHandle(ctx, (await readableObject(ctx, obj.parentId, 'handle')).obj);
    },
  },
  GetChild: {
    params: ['qId'],
    out: 'qReturn',
    run: async (ctx, args): Promise<ObjectRef> => {
      const id = args.string(0, OBJECT_LIMITS.idChars);
      const obj = persistedOf(ctx);
      const child = docOf(ctx).objects.get(id);
      if (obj === null || child === undefined || child.parentId !== obj.id) throw objectNotFound('qId');
      return persistedHandle(ctx, (await readableObject(ctx, id, 'qId')).obj);
    },
  },
  /** The readable objects that extend this one (qExtendsId), with the id of their top-level object. */
  GetLinkedObjects: {
    params: [],
    out: ['qItems'],
    run: async (ctx) => {
      const obj = persistedOf(ctx);
      if (obj === null) return [];
      const doc = docOf(ctx);
      const linked = await readableRefs(ctx, doc.objects.all().filter((o) => o.properties['qExtendsId'] === obj.id));
      const rootOf = (o: StoredObject): string => {
        let at = o;
        for (let d = 0; d < OBJECT_LIMITS.childDepth && at.parentId !== undefined; d++) at = doc.objects.get(at.parentId) ?? at;
        return at.id;
      };
      return linked.map((o) => ({ qRootId: rootOf(o), qInfo: { qId: o.id, qType: o.type } }));
    },
  },
  /**
   * This object takes the source's properties (keeping its own qInfo) and its children are replaced
   * by copies of the source's readable children. Needs Read on the source, Update on this object.
   */
  CopyFrom: {
    params: ['qFromId'],
    out: 'void',
    run: async (ctx, args) => {
      const source = await copySource(ctx, args.string(0, OBJECT_LIMITS.idChars), 'qFromId');
      const doc = docOf(ctx);
      const dest = persistedOf(ctx);
      const max = ctx.core.limits.maxPropertiesChars;
      if (dest === null) {
        if (ctx.entry.type !== 'GenericObject') throw new QixError(QixErrorCode.INVALID_HANDLE, 'Invalid handle');
        const { id, type } = ctx.entry.object;
        const { qInfo: _info, ...copied } = copiedProperties(source, new Map([[source.id, id]]));
        void _info;
        ctx.entry.object = readSessionObject(doc, { ...copied, qInfo: { qId: id, qType: type } }, max, id);
        ctx.change.add(ctx.handle);
        return;
      }
      if (source.id === dest.id) return;
      const nodes = await readableSubtree(ctx, source);
      if (nodes.some((o) => o.id === dest.id)) throw new QixError(QixErrorCode.INVALID_PARAMETERS, 'An object cannot copy from its own ancestor', { parameter: 'qFromId' });
      await authorize(ctx, 'update', refOf(dest, await appPublished(ctx)));
      const ids = freshIds(nodes, dest.id);
      const { qInfo: _ignored, ...props } = copiedProperties(source, ids);
      void _ignored;
      const next = { ...props, qInfo: { qId: dest.id, qType: dest.type } };
      checkDefinitions(doc, next, max, dest.id);
      await replaceProperties(ctx, dest, next);
      for (const c of docOf(ctx).objects.childrenOf(dest.id)) await destroyPersisted(ctx, c);
      await copyChildren(ctx, nodes, ids);
      if (ctx.entry.type === 'GenericObject') delete ctx.entry.soft;
      ctx.change.add(ctx.handle);
    },
  },
};
