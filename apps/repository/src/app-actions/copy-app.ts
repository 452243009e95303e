import { randomUUID } from 'node:crypto';
import type { AppRecord } from '../db';
import { viaDb } from '../errors/db-error.mapper';
import { invalid } from '../errors/service-errors';
import { callActor } from '../audit/repository-audit';
import { appKind, ownerRecordRef, requireStoredActor } from '../entities/kinds/app.kind';
import { appObjectSnapshot, appSnapshot } from '../security/resource-snapshots';
import type { RequestAccess } from '../security/request-access';
import type { AppActionDeps } from './app-action-deps';

const MAX_NAME = 1024;

/**
 * Duplicates an app: Read on the source, Create on the copy, which is unpublished and owned by the
 * caller. The copy takes the description, custom properties, tags and the objects of the source the
 * caller may read (never someone's private sheet they cannot see). The engine copies the app file
 * separately (CopyAppData); it keeps its security table, so the copy opens reduced as the source
 * does, and it takes the load script (which lives in the file) only when the caller may read the
 * script (Update on the source, as GET .../script needs): the script holds the section-access table
 * and the connection names, and the copy's owner could read and rewrite it. Qlik's QMC does the same
 * ("Duplicating apps": the script is only duplicated if you also have read access to the script).
 */
export async function copyApp(d: AppActionDeps, req: { appId: string; name: string }, access: RequestAccess): Promise<string> {
  if (req.name.length > MAX_NAME) throw invalid('name', `must be at most ${MAX_NAME} characters`);
  await d.cache.load([...appKind.needs, 'App.Object']);
  const { record: source, snapshot } = await d.entities.readable(appKind, req.appId, access);
  const caller = requireStoredActor(access);
  const name = req.name.trim() ? req.name : `${source.name} (copy)`.slice(0, MAX_NAME);
  const now = new Date();
  const copy: AppRecord = {
    ...source, id: randomUUID(), createdDate: now, modifiedDate: now, modifiedByUserName: access.actor.name, name,
    owner: ownerRecordRef(d.cache, caller), stream: null, published: false, publishTime: null, lastReloadTime: null, fileSize: 0, engineNode: null,
  };
  await access.require(appSnapshot(d.cache, copy, false), 'create');
  const objects = [...d.cache.records('App.Object').values()].filter((o) => o.app.id === source.id && access.canRead(appObjectSnapshot(d.cache, o)));

  const withScript = access.decide(snapshot, 'update').kind === 'allow';
  const created = await viaDb(() =>
    d.stores.apps.create({
      id: copy.id, name, description: source.description, ownerId: caller,
      customProperties: source.customProperties.map((v) => ({ definitionId: v.definitionId, value: v.value })), tagIds: source.tags.map((t) => t.id),
    }, access.actor.name),
  );
  d.cache.put('App', created);
  for (const o of objects) {
    const c = await viaDb(() => d.stores.appObjects.create({ appId: created.id, objectType: o.objectType, name: o.name, ownerId: caller, published: false, approved: false, ...(o.engineObjectId ? { engineObjectId: o.engineObjectId } : {}) }, access.actor.name));
    d.cache.put('App.Object', c);
  }
  await d.audit.record({
    actor: callActor(access.ctx),
    action: 'app.copy',
    outcome: 'success',
    target: { type: 'App', id: created.id },
    details: { copiedFrom: source.id, objects: objects.length, script: withScript ? 'copied' : 'withheld', after: created.modifiedDate.toISOString() },
  });
  return JSON.stringify(d.entities.json(appKind, created));
}
