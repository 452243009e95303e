import type { AppObjectRecord, AppRecord } from '../db';
import { viaDb } from '../errors/db-error.mapper';
import { invalid, notFound } from '../errors/service-errors';
import { callActor } from '../audit/repository-audit';
import { appKind } from '../entities/kinds/app.kind';
import { parseId } from '../entities/entity-service';
import { streamSnapshot } from '../security/resource-snapshots';
import type { RequestAccess } from '../security/request-access';
import type { AppActionDeps } from './app-action-deps';

export interface PublishRequest {
  appId: string;
  streamId: string;
  name: string;
}

/**
 * Publishing moves an app into a stream (security-rules.md): Publish on the stream and Update on
 * the app. The app's existing objects become its published base objects (published, approved), so
 * the shipped rules make them readable through the stream and read-only for their owners.
 */
export async function publishApp(d: AppActionDeps, req: PublishRequest, access: RequestAccess): Promise<string> {
  const streamId = parseId(req.streamId, 'streamId');
  if (req.name.length > 1024) throw invalid('name', 'must be at most 1024 characters');
  await d.cache.load([...appKind.needs, 'App.Object']);
  const { record: app, snapshot } = await d.entities.readable(appKind, req.appId, access);
  const stream = d.cache.records('Stream').get(streamId);
  if (!stream) throw notFound('Stream');
  const target = streamSnapshot(d.cache, stream);
  await access.requireReadable(target, 'Stream');
  await access.require(target, 'publish');
  await access.require(snapshot, 'update');

  const updated: AppRecord = await viaDb(() =>
    d.stores.apps.update(app.id, app.modifiedDate, { published: true, streamId, publishTime: new Date(), ...(req.name.trim() ? { name: req.name } : {}) }, access.actor.name),
  );
  d.cache.put('App', updated);
  let objects = 0;
  for (const o of [...d.cache.records('App.Object').values()].filter((x: AppObjectRecord) => x.app.id === app.id && !(x.published && x.approved))) {
    d.cache.put('App.Object', await viaDb(() => d.stores.appObjects.update(o.id, o.modifiedDate, { published: true, approved: true }, access.actor.name)));
    objects++;
  }
  await d.audit.record({
    actor: callActor(access.ctx),
    action: 'app.publish',
    outcome: 'success',
    target: { type: 'App', id: app.id },
    details: { stream: streamId, streamBefore: app.stream?.id ?? null, before: app.modifiedDate.toISOString(), after: updated.modifiedDate.toISOString(), objectsPublished: objects },
  });
  return JSON.stringify(d.entities.json(appKind, updated));
}
