import { randomUUID } from 'node:crypto';
import { type CallContext, ErrorCode, ServiceError } from '@trustzone/contracts';
import type { Resource } from '@trustzone/rules';
import { ENGINE_OBJECT_ID, LIMITS, type AppObjectRecord, type AppRecord } from '../db';
import { viaDb } from '../errors/db-error.mapper';
import { invalid, notFound, precondition } from '../errors/service-errors';
import { callActor } from '../audit/repository-audit';
import { parseId } from '../entities/entity-service';
import { appKind, ownerRecordRef, requireStoredActor } from '../entities/kinds/app.kind';
import { appObjectKind } from '../entities/kinds/app-object.kind';
import { appObjectSnapshot } from '../security/resource-snapshots';
import type { RequestAccess } from '../security/request-access';
import type { AppActionDeps } from './app-action-deps';

/** The actions the engine may ask about (Engine API "Access Control" of the GenericObject methods). */
const ACTIONS = new Set(['create', 'read', 'update', 'delete', 'publish', 'approve']);
/** One question covers at most this many objects (an app's object list); more is a bug or an attack. */
export const MAX_OBJECTS_PER_CHECK = 5000;

export interface AppObjectsCheckIn {
  appId: string;
  action: string;
  objects: readonly { engineObjectId: string; objectType: string }[];
}

export interface AppObjectRowIn {
  appId: string;
  engineObjectId: string;
  objectType: string;
  name: string;
}

export interface AppObjectStateIn {
  id: string;
  appId: string;
  engineObjectId: string;
  change: string;
}

function engineId(value: string, field: string): string {
  const r = ENGINE_OBJECT_ID.safeParse(value);
  if (!r.success) throw invalid(field, r.error.issues[0]?.message ?? 'is not an object id');
  return value;
}

function objectType(value: string): string {
  if (value.length === 0 || value.length > LIMITS.shortText) throw invalid('objectType', `must be 1 to ${LIMITS.shortText} characters`);
  return value;
}

/** The app's rows by engine object id, memoised until the next write (any write drops every memo). */
function rowsOf(d: AppActionDeps, appId: string): Map<string, AppObjectRecord> {
  return d.cache.memo('app-objects-by-engine-id', appId, () => {
    const out = new Map<string, AppObjectRecord>();
    for (const o of d.cache.records('App.Object').values()) if (o.app.id === appId && o.engineObjectId) out.set(o.engineObjectId, o);
    return out;
  });
}

async function readableApp(d: AppActionDeps, appId: string, access: RequestAccess): Promise<AppRecord> {
  await d.cache.load(appObjectKind.needs);
  return (await d.entities.readable(appKind, parseId(appId, 'appId'), access)).record;
}

/** The object a create would make: owned by the asking user, neither published nor approved. */
function wouldBe(d: AppActionDeps, app: AppRecord, ownerId: string, engineObjectId: string, type: string, name = ''): AppObjectRecord {
  const now = new Date();
  return {
    id: randomUUID(), createdDate: now, modifiedDate: now, modifiedByUserName: '', objectType: type, name, published: false, approved: false,
    owner: ownerRecordRef(d.cache, ownerId), app: { id: app.id, name: app.name }, engineObjectId, customProperties: [], tags: [],
  };
}

/**
 * "Which of these objects may this user <action>?" — one round trip for a whole object list. The
 * repository's own row decides (owner, published, approved), never what the engine claims; an id it
 * does not know is denied, except for create, where the would-be object (owned by the asking user)
 * is checked. Denials are audited like every rule denial, except a read over several objects,
 * which filters a list the way /qrs lists do.
 */
export async function authorizeAppObjects(d: AppActionDeps, req: AppObjectsCheckIn, access: RequestAccess): Promise<{ allowed: string[] }> {
  const action = req.action.toLowerCase();
  if (!ACTIONS.has(action)) throw invalid('action', `must be one of ${[...ACTIONS].join(', ')}`);
  if (req.objects.length > MAX_OBJECTS_PER_CHECK) throw new ServiceError(ErrorCode.PayloadTooLarge, `at most ${MAX_OBJECTS_PER_CHECK} objects per check`, { field: 'objects' });
  const claims = req.objects.map((o, i) => ({ id: engineId(o.engineObjectId, `objects[${i}].engineObjectId`), type: o.objectType }));
  const app = await readableApp(d, req.appId, access);
  const rows = rowsOf(d, app.id);
  const audited = action !== 'read' || claims.length === 1;
  const allowed: string[] = [];
  for (const c of claims) {
    let snapshot: Resource;
    const row = rows.get(c.id);
    if (action === 'create') {
      // An existing id cannot be created again; anonymous users own nothing.
      if (row || !access.actor.record) continue;
      snapshot = appObjectSnapshot(d.cache, wouldBe(d, app, access.actor.record.id, c.id, objectType(c.type)), false);
    } else if (!row) {
      if (audited) await access.recordDenial({ resourcetype: 'App.Object', id: c.id, name: '' }, action, { kind: 'deny', reason: 'no-candidate-rules', errors: [] }, 'no such app object');
      continue;
    } else {
      snapshot = appObjectSnapshot(d.cache, row);
    }
    const decision = access.decide(snapshot, action);
    if (decision.kind === 'allow') allowed.push(c.id);
    else if (audited) await access.recordDenial(snapshot, action, decision);
  }
  return { allowed };
}

async function objectRow(d: AppActionDeps, app: AppRecord, engineObjectId: string, access: RequestAccess): Promise<AppObjectRecord> {
  const row = rowsOf(d, app.id).get(engineId(engineObjectId, 'engineObjectId'));
  if (!row) throw notFound('App.Object');
  await access.requireReadable(appObjectSnapshot(d.cache, row), 'App.Object');
  return row;
}

async function recorded(d: AppActionDeps, access: RequestAccess, action: string, id: string, details: Record<string, unknown>): Promise<void> {
  await d.audit.record({ actor: callActor(access.ctx), action, outcome: 'success', target: { type: 'App.Object', id }, details });
}

/** The engine stored a new object in the app file: Create on the would-be row (audited when denied), then the row. */
export async function registerAppObject(d: AppActionDeps, req: AppObjectRowIn, access: RequestAccess): Promise<string> {
  const app = await readableApp(d, req.appId, access);
  const id = engineId(req.engineObjectId, 'engineObjectId');
  const type = objectType(req.objectType);
  if (req.name.length > LIMITS.name) throw invalid('name', `must be at most ${LIMITS.name} characters`);
  const ownerId = requireStoredActor(access);
  if (rowsOf(d, app.id).has(id)) throw new ServiceError(ErrorCode.Conflict, 'the app already has an object with this id', { field: 'engineObjectId' });
  const record = wouldBe(d, app, ownerId, id, type, req.name);
  await access.require(appObjectSnapshot(d.cache, record, false), 'create');
  // Published and approved are never taken from the engine: only the rule-checked state changes set them.
  const row = await viaDb(() => d.stores.appObjects.create({ appId: app.id, engineObjectId: id, objectType: type, name: req.name, ownerId, published: false, approved: false }, access.actor.name));
  d.cache.put('App.Object', row);
  await recorded(d, access, 'entity.create', row.id, { engineObjectId: id, objectType: type, app: app.id, after: row.modifiedDate.toISOString() });
  return JSON.stringify(d.entities.json(appObjectKind, row));
}

/** The object's title changed in the app file: Update on the row. */
export async function renameAppObject(d: AppActionDeps, req: AppObjectRowIn, access: RequestAccess): Promise<string> {
  const app = await readableApp(d, req.appId, access);
  if (req.name.length > LIMITS.name) throw invalid('name', `must be at most ${LIMITS.name} characters`);
  const row = await objectRow(d, app, req.engineObjectId, access);
  await access.require(appObjectSnapshot(d.cache, row), 'update');
  if (row.name === req.name) return JSON.stringify(d.entities.json(appObjectKind, row));
  const updated = await viaDb(() => d.stores.appObjects.update(row.id, row.modifiedDate, { name: req.name }, access.actor.name));
  d.cache.put('App.Object', updated);
  await recorded(d, access, 'entity.update', row.id, { field: 'name', before: row.modifiedDate.toISOString(), after: updated.modifiedDate.toISOString() });
  return JSON.stringify(d.entities.json(appObjectKind, updated));
}

/** The object left the app file: Delete on the row. */
export async function removeAppObject(d: AppActionDeps, req: AppObjectRowIn, access: RequestAccess): Promise<void> {
  const app = await readableApp(d, req.appId, access);
  const row = await objectRow(d, app, req.engineObjectId, access);
  await access.require(appObjectSnapshot(d.cache, row), 'delete');
  await viaDb(() => d.stores.appObjects.delete(row.id));
  d.cache.remove('App.Object', row.id);
  await recorded(d, access, 'entity.delete', row.id, { engineObjectId: row.engineObjectId, app: app.id });
}

/**
 * Qlik's state changes of an app object (QRS `PUT /qrs/app/object/{id}/publish|unpublish|approve|
 * unapprove`; Engine API Publish/UnPublish need the publish right, Approve/UnApprove approve). The
 * states follow the hub: an object is published within a published app; approving makes a published
 * (community) object a base object; a base object is unapproved before it can be unpublished.
 */
const CHANGES = {
  publish: { right: 'publish', patch: { published: true } },
  unpublish: { right: 'publish', patch: { published: false } },
  approve: { right: 'approve', patch: { approved: true } },
  unapprove: { right: 'approve', patch: { approved: false } },
} as const;

function stateError(row: AppObjectRecord, app: AppRecord, change: keyof typeof CHANGES): string | undefined {
  if (!app.published) return 'the app is not published: its objects are published with it';
  if (change === 'unpublish' && row.approved) return 'a base (approved) object is unapproved before it can be unpublished';
  if (change === 'approve' && !row.published) return 'only a published object can be approved';
  return undefined;
}

export async function changeAppObjectState(d: AppActionDeps, req: AppObjectStateIn, access: RequestAccess): Promise<string> {
  const change = req.change.toLowerCase();
  if (!Object.hasOwn(CHANGES, change)) throw invalid('change', `must be one of ${Object.keys(CHANGES).join(', ')}`);
  const spec = CHANGES[change as keyof typeof CHANGES];
  await d.cache.load(appObjectKind.needs);
  let row: AppObjectRecord;
  if (req.id) {
    row = (await d.entities.readable(appObjectKind, req.id, access)).record;
  } else {
    row = await objectRow(d, await readableApp(d, req.appId, access), req.engineObjectId, access);
  }
  const app = d.cache.records('App').get(row.app.id);
  if (!app) throw notFound('App');
  // The right first (audited when denied), then the state: a user without the right learns nothing about the state.
  await access.require(appObjectSnapshot(d.cache, row), spec.right, undefined, { change });
  const problem = stateError(row, app, change as keyof typeof CHANGES);
  if (problem) throw precondition(problem, 'change');
  const [key, value] = Object.entries(spec.patch)[0] as ['published' | 'approved', boolean];
  if (row[key] === value) return JSON.stringify(d.entities.json(appObjectKind, row));
  const updated = await viaDb(() => d.stores.appObjects.update(row.id, row.modifiedDate, spec.patch, access.actor.name));
  d.cache.put('App.Object', updated);
  await recorded(d, access, `app.object.${change}`, row.id, { app: app.id, engineObjectId: row.engineObjectId, before: row.modifiedDate.toISOString(), after: updated.modifiedDate.toISOString() });
  return JSON.stringify(d.entities.json(appObjectKind, updated));
}

export interface ExistingAppObjectsIn {
  appId: string;
  objects: readonly { engineObjectId: string; objectType: string; owner: string; published: boolean; approved: boolean }[];
}

/**
 * Rows for the objects an app file held before App.Object rows existed (an app from an older
 * site): without a row an object is invisible to everyone, its owner included. The engine sends
 * the app's top-level objects when it first opens the app; an id that already has a row is left as
 * it is (the row is the truth), and only missing rows are made — owned by the user the file names
 * (an owner this site does not know leaves the object invisible: fail closed), published and
 * approved only as the file says and only within a published app. Each row is audited.
 */
export async function registerExistingAppObjects(d: AppActionDeps, req: ExistingAppObjectsIn, ctx: Pick<CallContext, 'caller' | 'user'>): Promise<string> {
  if (req.objects.length > MAX_OBJECTS_PER_CHECK) throw new ServiceError(ErrorCode.PayloadTooLarge, `at most ${MAX_OBJECTS_PER_CHECK} objects per call`, { field: 'objects' });
  await d.cache.load(appObjectKind.needs);
  const app = d.cache.records('App').get(parseId(req.appId, 'appId'));
  if (!app) throw notFound('App');
  const users = new Map<string, string>();
  for (const u of d.cache.records('User').values()) users.set(`${u.userDirectory}\\${u.userId}`.toLowerCase(), u.id);
  const registered: string[] = [];
  let unknownOwner = 0;
  for (const [i, o] of req.objects.entries()) {
    const id = engineId(o.engineObjectId, `objects[${i}].engineObjectId`);
    const type = objectType(o.objectType);
    if (rowsOf(d, app.id).has(id)) continue;
    const ownerId = users.get(o.owner.toLowerCase());
    if (ownerId === undefined) {
      unknownOwner++;
      continue;
    }
    const published = app.published && o.published;
    const approved = published && o.approved;
    const row = await viaDb(() => d.stores.appObjects.create({ appId: app.id, engineObjectId: id, objectType: type, name: '', ownerId, published, approved }, 'engine'));
    d.cache.put('App.Object', row);
    await d.audit.record({ actor: callActor(ctx), action: 'entity.create', outcome: 'success', target: { type: 'App.Object', id: row.id }, details: { engineObjectId: id, objectType: type, app: app.id, existing: true, published, approved } });
    registered.push(id);
  }
  return JSON.stringify({ registered, unknownOwner });
}
