import { docOf } from '../doc-methods';
import type { DocContext } from '../doc-context';
import type { CallContext, SessionCore } from '../method-table';
import { QixError, QixErrorCode, isQixError } from '../qix.error';
import type { ObjectPort } from '../qix-session.types';
import type { AppObjectRef, ObjectAccess, ObjectAccessContext, ObjectAction } from './object-access';
import { OBJECT_LIMITS, readStored, refOf, type StoredObject } from './stored-object';

/*
 * What every persisted-object method shares: the port and the access (absent → denied), the
 * caller's identity as the rules see it, authorization, and the locked write that stores a change
 * and marks the handles whose layout it changes.
 */

export interface ObjectDeps {
  port: ObjectPort;
  access: ObjectAccess;
}

export function objectDeps(ctx: CallContext): ObjectDeps {
  const { objects, objectAccess } = ctx.core.deps;
  // Fail closed: without a store or without someone to decide, nothing persisted is reachable.
  if (objects === undefined || objectAccess === undefined) throw new QixError(QixErrorCode.ACCESS_DENIED, 'Access denied', { reason: 'no object store or object access in this session' });
  return { port: objects, access: objectAccess };
}

export function accessContext(ctx: CallContext): ObjectAccessContext {
  const { user } = ctx.core.deps;
  return { userId: `${user.userDirectory}\\${user.userId}`, appId: docOf(ctx).app.appId };
}

/** Before a call on the open doc: the objects as the app file holds them now (cheap while unchanged). */
export async function syncObjects(core: SessionCore): Promise<void> {
  const doc = core.doc;
  const p = core.deps.objects;
  if (doc === null || p === undefined) return;
  const stored = await p.list(doc.app.appId);
  if (stored !== doc.storedObjects && core.doc === doc) doc.setStoredObjects(stored);
}

export async function appPublished(ctx: CallContext): Promise<boolean> {
  return objectDeps(ctx).port.appPublished(docOf(ctx).app.appId);
}

export async function authorize(ctx: CallContext, action: ObjectAction, ref: AppObjectRef): Promise<void> {
  await objectDeps(ctx).access.authorize(accessContext(ctx), action, ref);
}

export const objectNotFound = (parameter = 'qId'): QixError => new QixError(QixErrorCode.NOT_FOUND, 'Object not found', { parameter });

/**
 * A stored object this user may read, with its ref. Refused reads answer "not found", like a
 * missing object: a private object of another user is not even confirmed to exist.
 */
export async function readableObject(ctx: CallContext, id: string, parameter = 'qId'): Promise<{ obj: StoredObject; ref: AppObjectRef; published: boolean }> {
  const obj = docOf(ctx).objects.get(id);
  if (obj === undefined) throw objectNotFound(parameter);
  const published = await appPublished(ctx);
  const ref = refOf(obj, published);
  try {
    await authorize(ctx, 'read', ref);
    // A child of an object this user cannot read is not readable either.
    if (obj.parentId !== undefined && (await readableRefs(ctx, [obj])).length === 0) throw objectNotFound(parameter);
  } catch (e) {
    if (isQixError(e) && e.code === QixErrorCode.ACCESS_DENIED) throw objectNotFound(parameter);
    throw e;
  }
  return { obj, ref, published };
}

/** The given objects this user may read (their ancestors considered), in order. */
export async function readableRefs(ctx: CallContext, objs: readonly StoredObject[]): Promise<StoredObject[]> {
  const doc = docOf(ctx);
  const published = await appPublished(ctx);
  // Ancestors go along so the access can judge a child by its parent.
  const all = new Map<string, StoredObject>();
  const add = (o: StoredObject, depth: number) => {
    if (all.has(o.id) || depth > OBJECT_LIMITS.childDepth) return;
    all.set(o.id, o);
    const parent = o.parentId === undefined ? undefined : doc.objects.get(o.parentId);
    if (parent !== undefined) add(parent, depth + 1);
  };
  for (const o of objs) add(o, 0);
  const readable = new Set((await objectDeps(ctx).access.filterReadable(accessContext(ctx), [...all.values()].map((o) => refOf(o, published)))).map((r) => r.id));
  return objs.filter((o) => readable.has(o.id));
}

const LIST_DEFS = ['qAppObjectListDef', 'qDimensionListDef', 'qMeasureListDef', 'qBookmarkListDef', 'qChildListDef', 'qFieldListDef', 'qMediaListDef'];

/**
 * Store a change (read-modify-write under the app's lock) and take the result as the doc's. Marks
 * stale: the handles of the objects changed and their parents, every object listing objects, and —
 * for master items — every object (a chart may use them).
 */
export async function writeObjects(ctx: CallContext, touched: readonly string[], change: (current: Record<string, unknown>[]) => Record<string, unknown>[], everything = false): Promise<void> {
  const doc = docOf(ctx);
  const before = doc.objects;
  doc.setStoredObjects(await objectDeps(ctx).port.update(doc.app.appId, change));
  ctx.core.objectWatch?.changed();
  markChanged(ctx, doc, touched.flatMap((id) => [id, before.get(id)?.parentId, doc.objects.get(id)?.parentId]).filter((x): x is string => x !== undefined), everything);
}

function markChanged(ctx: CallContext, doc: DocContext, ids: readonly string[], everything: boolean): void {
  for (const id of ids) {
    const h = doc.persistedHandles.get(id);
    if (h !== undefined) ctx.change.add(h);
  }
  for (const [h, e] of ctx.core.handles.entriesList()) {
    if (e.type !== 'GenericObject') continue;
    if (everything || LIST_DEFS.some((k) => e.object.properties[k] !== undefined && e.object.properties[k] !== null)) ctx.change.add(h);
  }
}

/** Handles whose layout another session's object change may have changed: persisted objects, items, lists. */
export function objectDependents(core: SessionCore): number[] {
  const out: number[] = [];
  for (const [h, e] of core.handles.entriesList()) {
    if (e.type === 'GenericDimension' || e.type === 'GenericMeasure' || e.type === 'GenericBookmark') out.push(h);
    else if (e.type === 'GenericObject' && (e.persistedId !== undefined || LIST_DEFS.some((k) => e.object.properties[k] !== undefined && e.object.properties[k] !== null) || JSON.stringify(e.object.properties).includes('"qLibraryId"'))) out.push(h);
  }
  return out;
}

/** The stored entry with `id` replaced by `next` (the entry must still be there: a concurrent delete wins). */
export function replaceIn(current: Record<string, unknown>[], id: string, next: StoredObject): Record<string, unknown>[] {
  let found = false;
  const out = current.map((raw) => {
    if (readStored(raw)?.id !== id) return raw;
    found = true;
    return next as unknown as Record<string, unknown>;
  });
  if (!found) throw objectNotFound('handle');
  return out;
}

/**
 * The stored entry as it is under the lock; refused when the rules-relevant facts moved since the
 * decision (owner, flags, parent), so a decision is never applied to a different object.
 */
export function unchangedUnderLock(current: Record<string, unknown>[], decided: StoredObject): StoredObject {
  const now = current.map(readStored).find((o) => o?.id === decided.id);
  if (now === undefined || now === null) throw objectNotFound('handle');
  if (now.ownerId !== decided.ownerId || now.published !== decided.published || now.approved !== decided.approved || now.base !== decided.base || now.parentId !== decided.parentId) {
    throw new QixError(QixErrorCode.ABORTED, 'The object changed meanwhile; try again');
  }
  return now;
}

export function storedIds(current: Record<string, unknown>[]): Set<string> {
  return new Set(current.map((raw) => readStored(raw)?.id).filter((x): x is string => x !== undefined));
}

export function assertRoom(current: Record<string, unknown>[], adding: number): void {
  if (current.length + adding > OBJECT_LIMITS.perApp) throw new QixError(QixErrorCode.ABORTED, `at most ${OBJECT_LIMITS.perApp} objects per app`);
}
