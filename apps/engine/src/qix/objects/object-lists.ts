import { fieldDescription, fieldNames } from '@trustzone/data-model';
import { docOf } from '../doc-methods';
import type { CallContext } from '../method-table';
import { isRecord } from '../method-args';
import { pick } from '../variable-list';
import { isQixError, QixErrorCode } from '../qix.error';
import type { ObjectAction } from './object-access';
import { accessContext, appPublished, objectDeps, readableRefs } from './object-context';
import { refOf, type StoredObject } from './stored-object';

/*
 * qMeta of a persisted object and the object lists a layout may ask for (qAppObjectListDef,
 * qDimensionListDef, qMeasureListDef, qBookmarkListDef, qChildListDef, qFieldListDef,
 * qMediaListDef). Lists hold only what this user may read: objects through the access, fields
 * through the section-access view.
 */

export const RESERVED_TYPES: ReadonlySet<string> = new Set(['dimension', 'measure', 'bookmark', 'appprops']);

const ACTIONS: readonly ObjectAction[] = ['read', 'update', 'delete', 'publish', 'approve'];

/** NxMeta: what the client set in qMetaDef, and what the engine knows (owner, flags, dates, privileges). */
export async function metaOf(ctx: CallContext, obj: StoredObject): Promise<Record<string, unknown>> {
  const { access } = objectDeps(ctx);
  const ref = refOf(obj, await appPublished(ctx));
  const actx = accessContext(ctx);
  const privileges: string[] = [];
  for (const action of ACTIONS) {
    try {
      await access.authorize(actx, action, ref);
      privileges.push(action === 'approve' ? 'approve' : action);
    } catch (e) {
      if (!(isQixError(e) && e.code === QixErrorCode.ACCESS_DENIED)) throw e;
    }
  }
  const metaDef = isRecord(obj.properties['qMetaDef']) ? obj.properties['qMetaDef'] : {};
  return {
    ...metaDef,
    privileges,
    published: ref.published,
    approved: ref.approved,
    owner: ownerOf(obj.ownerId),
    createdDate: obj.createdDate,
    modifiedDate: obj.modifiedDate,
  };
}

function ownerOf(ownerId: string): Record<string, string> {
  const at = ownerId.indexOf('\\');
  return at < 0 ? { userId: ownerId, userDirectory: '' } : { userDirectory: ownerId.slice(0, at), userId: ownerId.slice(at + 1) };
}

function qDataOf(def: unknown, obj: StoredObject): Record<string, unknown> {
  const data = isRecord(def) && isRecord(def['qData']) ? def['qData'] : {};
  return Object.fromEntries(Object.entries(data).slice(0, 64).map(([k, path]) => [k, typeof path === 'string' ? pick(obj.properties, path) : undefined]));
}

/** NxContainerEntry items for the readable objects of `objs`. */
export async function containerItems(ctx: CallContext, objs: readonly StoredObject[], def: unknown): Promise<Record<string, unknown>[]> {
  const readable = await readableRefs(ctx, objs);
  const out: Record<string, unknown>[] = [];
  for (const o of readable) out.push({ qInfo: { qId: o.id, qType: o.type }, qMeta: await metaOf(ctx, o), qData: qDataOf(def, o) });
  return out;
}

function typeOf(def: unknown): string | undefined {
  return isRecord(def) && typeof def['qType'] === 'string' && def['qType'] !== '' ? def['qType'] : undefined;
}

/** The lists `properties` ask for, computed for this user; keys are the layout's names. */
export async function listLayouts(ctx: CallContext, properties: Record<string, unknown>, selfId: string | undefined): Promise<Record<string, unknown>> {
  const doc = docOf(ctx);
  const out: Record<string, unknown> = {};
  const hasObjects = ctx.core.deps.objects !== undefined && ctx.core.deps.objectAccess !== undefined;
  const all = () => (hasObjects ? doc.objects.all() : []);
  const ofType = (def: unknown, fallback: string) => {
    const t = typeOf(def) ?? fallback;
    return all().filter((o) => o.type === t && o.parentId === undefined);
  };
  const app = properties['qAppObjectListDef'];
  if (isRecord(app)) {
    const t = typeOf(app);
    out['qAppObjectList'] = { qItems: await containerItems(ctx, all().filter((o) => !RESERVED_TYPES.has(o.type) && (t === undefined || o.type === t)), app) };
  }
  for (const [key, name, type] of [['qDimensionListDef', 'qDimensionList', 'dimension'], ['qMeasureListDef', 'qMeasureList', 'measure'], ['qBookmarkListDef', 'qBookmarkList', 'bookmark']] as const) {
    const def = properties[key];
    if (isRecord(def)) out[name] = { qItems: await containerItems(ctx, ofType({ ...def, qType: type }, type), def) };
  }
  const child = properties['qChildListDef'];
  if (isRecord(child)) out['qChildList'] = { qItems: selfId === undefined ? [] : await containerItems(ctx, all().filter((o) => o.parentId === selfId), child) };
  const fields = properties['qFieldListDef'];
  if (isRecord(fields)) {
    const showSrc = fields['qShowSrcTables'] === true;
    out['qFieldList'] = {
      qItems: fieldNames(doc.model, doc.view).map((name) => {
        const d = fieldDescription(doc.model, doc.view, name);
        return { qName: d.name, qCardinal: d.cardinal, qTags: d.tags, qIsSemantic: false, ...(showSrc ? { qSrcTables: d.srcTables } : {}) };
      }),
    };
  }
  // trustzone keeps no media library (images are served by the web tier, outside the app file).
  if (isRecord(properties['qMediaListDef'])) out['qMediaList'] = { qItems: [] };
  return out;
}

export const LIST_DEF_KEYS = ['qAppObjectListDef', 'qDimensionListDef', 'qMeasureListDef', 'qBookmarkListDef', 'qChildListDef', 'qFieldListDef', 'qMediaListDef'] as const;
