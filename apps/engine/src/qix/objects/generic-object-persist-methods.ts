import { docOf } from '../doc-methods';
import { GENERIC_OBJECT_METHODS } from '../generic-object-methods';
import { invalid, isRecord } from '../method-args';
import type { CallContext, MethodSpec, MethodTable } from '../method-table';
import { objectLayout } from '../object-layout';
import { QixError, QixErrorCode } from '../qix.error';
import { readSessionObject } from '../session-object';
import { applyPatches, MAX_PATCHES, readPatches } from './json-patch';
import { appPublished, authorize, objectNotFound, readableRefs } from './object-context';
import { checkDefinitions, created, createPersisted, destroyPersisted, persistedHandle, replaceProperties } from './object-doc-methods';
import { LIST_DEF_KEYS, listLayouts, metaOf } from './object-lists';
import { currentObject } from './persisted-object';
import { OBJECT_LIMITS, readObjectProperties, refOf, type StoredObject } from './stored-object';

/*
 * GenericObject methods that know persisted objects: layout with qMeta and the object lists,
 * properties (plain, full tree, patches), children, publish/approve. The dispatcher already
 * authorized 'read' on a persisted handle; each write here asks for its own action.
 */

function persistedOf(ctx: CallContext): StoredObject | null {
  if (ctx.entry.type !== 'GenericObject' || ctx.entry.persistedId === undefined) return null;
  const obj = docOf(ctx).objects.get(ctx.entry.persistedId);
  if (obj === undefined) throw objectNotFound('handle');
  return obj;
}

function requirePersisted(ctx: CallContext): StoredObject {
  const obj = persistedOf(ctx);
  if (obj === null) throw invalid('handle', 'a session object has no persisted children or publication state');
  return obj;
}

async function ref(ctx: CallContext, obj: StoredObject) {
  return refOf(obj, await appPublished(ctx));
}

async function layout(ctx: CallContext): Promise<Record<string, unknown>> {
  const doc = docOf(ctx);
  const obj = currentObject(ctx, doc);
  const stored = persistedOf(ctx);
  const base = objectLayout(doc, obj);
  for (const k of LIST_DEF_KEYS) delete base[k];
  const lists = await listLayouts(ctx, obj.properties, stored?.id);
  return stored === null ? { ...base, ...lists } : { ...base, ...lists, qMeta: await metaOf(ctx, stored) };
}

/** New properties for a persisted object: same id and type, definitions checked in the writer's view. */
async function setPersisted(ctx: CallContext, obj: StoredObject, raw: unknown): Promise<void> {
  const max = ctx.core.limits.maxPropertiesChars;
  const p = readObjectProperties(raw, max, { fixedId: obj.id, fixedType: obj.type });
  checkDefinitions(docOf(ctx), p.properties, max, obj.id);
  await authorize(ctx, 'update', await ref(ctx, obj));
  await replaceProperties(ctx, obj, p.properties);
  if (ctx.entry.type === 'GenericObject') delete ctx.entry.soft;
  ctx.change.add(ctx.handle);
}

interface PropEntry {
  qProperty: Record<string, unknown>;
  qChildren: PropEntry[];
  qEmbeddedSnapshotRef: null;
}

async function tree(ctx: CallContext, obj: StoredObject, depth: number): Promise<PropEntry> {
  const children = depth >= OBJECT_LIMITS.childDepth ? [] : await readableRefs(ctx, docOf(ctx).objects.childrenOf(obj.id));
  const out: PropEntry[] = [];
  for (const c of children) out.push(await tree(ctx, c, depth + 1));
  return { qProperty: obj.properties, qChildren: out, qEmbeddedSnapshotRef: null };
}

/**
 * SetFullPropertyTree: the object's properties, and its children made to match the tree — children
 * named there are changed or created, the others destroyed (each step rule-checked).
 */
async function setTree(ctx: CallContext, obj: StoredObject, entry: unknown, depth: number, path: string): Promise<void> {
  if (!isRecord(entry)) throw invalid(path, `${path} must be an object`);
  if (depth > OBJECT_LIMITS.childDepth) throw invalid(path, 'the property tree is too deep');
  const children = entry['qChildren'] ?? [];
  if (!Array.isArray(children) || children.length > 1000) throw invalid(`${path}.qChildren`, 'qChildren is a list of at most 1000 entries');
  await setPersisted(ctx, obj, entry['qProperty']);
  const doc = docOf(ctx);
  const keep = new Set<string>();
  for (const [i, c] of children.entries()) {
    const at = `${path}.qChildren.${i}`;
    if (!isRecord(c) || !isRecord(c['qProperty'])) throw invalid(at, 'a child entry has qProperty');
    const info = c['qProperty']['qInfo'];
    const id = isRecord(info) && typeof info['qId'] === 'string' ? info['qId'] : undefined;
    const existing = id === undefined ? undefined : doc.objects.get(id);
    if (existing !== undefined && existing.parentId !== obj.id) throw invalid(`${at}.qProperty.qInfo.qId`, 'names an object that is not a child of this one');
    const child = existing ?? (await createPersisted(ctx, c['qProperty'], { parent: docOf(ctx).objects.get(obj.id)! }));
    keep.add(child.id);
    await setTree(ctx, docOf(ctx).objects.get(child.id)!, c, depth + 1, at);
  }
  for (const c of docOf(ctx).objects.childrenOf(obj.id)) if (!keep.has(c.id)) await destroyPersisted(ctx, c);
}

async function setFlags(ctx: CallContext, action: 'publish' | 'approve', value: boolean): Promise<void> {
  const obj = requirePersisted(ctx);
  await authorize(ctx, action, await ref(ctx, obj));
  await replaceProperties(ctx, obj, obj.properties, action === 'publish' ? { published: value } : { approved: value });
  ctx.change.add(ctx.handle);
}

/** Session objects keep the existing behaviour; persisted ones go through the rules. */
function either(session: MethodSpec | undefined, persisted: MethodSpec['run'], params: readonly string[], out: MethodSpec['out']): MethodSpec {
  return {
    params,
    out,
    run: (ctx, args) => (persistedOf(ctx) === null && session !== undefined ? session.run(ctx, args) : persisted(ctx, args)),
  };
}

export const PERSISTED_GENERIC_OBJECT_METHODS: MethodTable = {
  GetLayout: { params: [], out: ['qLayout'], run: (ctx) => layout(ctx) },
  GetProperties: either(GENERIC_OBJECT_METHODS['GetProperties'], (ctx) => (ctx.entry.type === 'GenericObject' && ctx.entry.soft) || requirePersisted(ctx).properties, [], ['qProp']),
  GetEffectiveProperties: { params: [], out: ['qProp'], run: (ctx) => currentObject(ctx, docOf(ctx)).properties },
  GetInfo: { params: [], out: ['qInfo'], run: (ctx) => ({ qId: currentObject(ctx, docOf(ctx)).id, qType: currentObject(ctx, docOf(ctx)).type }) },
  SetProperties: either(GENERIC_OBJECT_METHODS['SetProperties'], (ctx, args) => setPersisted(ctx, requirePersisted(ctx), args.object(0)), ['qProp'], 'void'),
  GetFullPropertyTree: {
    params: [],
    out: ['qPropEntry'],
    run: async (ctx) => {
      const obj = persistedOf(ctx);
      if (obj === null) return { qProperty: currentObject(ctx, docOf(ctx)).properties, qChildren: [], qEmbeddedSnapshotRef: null };
      return tree(ctx, obj, 0);
    },
  },
  SetFullPropertyTree: {
    params: ['qPropEntry'],
    out: 'void',
    run: async (ctx, args) => setTree(ctx, requirePersisted(ctx), args.object(0), 0, 'qPropEntry'),
  },
  ApplyPatches: {
    params: ['qPatches', 'qSoftPatch'],
    out: 'void',
    run: async (ctx, args) => {
      const patches = readPatches(args.array(0, MAX_PATCHES));
      const soft = args.boolean(1, false);
      const doc = docOf(ctx);
      const max = ctx.core.limits.maxPropertiesChars;
      const stored = persistedOf(ctx);
      if (ctx.entry.type !== 'GenericObject') throw new QixError(QixErrorCode.INVALID_HANDLE, 'Invalid handle');
      if (stored === null) {
        const next = readSessionObject(doc, applyPatches(ctx.entry.object.properties, patches), max, ctx.entry.object.id);
        ctx.entry.object = next;
      } else if (soft) {
        // A soft patch is this session's only (Qlik's semantics): no rights needed, nothing stored.
        const next = applyPatches(ctx.entry.soft ?? stored.properties, patches);
        const p = readObjectProperties(next, max, { fixedId: stored.id, fixedType: stored.type });
        checkDefinitions(doc, p.properties, max, stored.id);
        ctx.entry.soft = p.properties;
      } else await setPersisted(ctx, stored, applyPatches(stored.properties, patches));
      ctx.change.add(ctx.handle);
    },
  },
  CreateChild: {
    params: ['qProp', 'qPropForThis'],
    out: ['qInfo', 'qReturn'],
    run: async (ctx, args) => {
      const parent = requirePersisted(ctx);
      const props = args.object(0);
      if (args.has(1)) await setPersisted(ctx, parent, args.object(1));
      const child = await createPersisted(ctx, props, { parent: docOf(ctx).objects.get(parent.id)! });
      ctx.change.add(ctx.handle);
      return created(persistedHandle(ctx, child));
    },
  },
  DestroyChild: {
    params: ['qId', 'qPropForThis'],
    out: ['qSuccess'],
    run: async (ctx, args) => {
      const parent = requirePersisted(ctx);
      const id = args.string(0, 1000);
      const child = docOf(ctx).objects.get(id);
      if (child === undefined || child.parentId !== parent.id || (await readableRefs(ctx, [child])).length === 0) return false;
      await authorize(ctx, 'update', await ref(ctx, parent));
      if (args.has(1)) await setPersisted(ctx, parent, args.object(1));
      const ok = await destroyPersisted(ctx, docOf(ctx).objects.get(id)!);
      ctx.change.add(ctx.handle);
      return ok;
    },
  },
  DestroyAllChildren: {
    params: ['qPropForThis'],
    out: 'void',
    run: async (ctx, args) => {
      const parent = requirePersisted(ctx);
      await authorize(ctx, 'update', await ref(ctx, parent));
      if (args.has(0)) await setPersisted(ctx, parent, args.object(0));
      for (const c of docOf(ctx).objects.childrenOf(parent.id)) await destroyPersisted(ctx, c);
      ctx.change.add(ctx.handle);
    },
  },
  GetChildInfos: {
    params: [],
    out: ['qInfos'],
    run: async (ctx) => {
      const parent = persistedOf(ctx);
      if (parent === null) return [];
      return (await readableRefs(ctx, docOf(ctx).objects.childrenOf(parent.id))).map((c) => ({ qId: c.id, qType: c.type }));
    },
  },
  Publish: { params: [], out: 'void', run: (ctx) => setFlags(ctx, 'publish', true) },
  UnPublish: { params: [], out: 'void', run: (ctx) => setFlags(ctx, 'publish', false) },
  Approve: { params: [], out: 'void', run: (ctx) => setFlags(ctx, 'approve', true) },
  UnApprove: { params: [], out: 'void', run: (ctx) => setFlags(ctx, 'approve', false) },
};

