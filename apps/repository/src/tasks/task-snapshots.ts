import type { Resource } from '@trustzone/rules';
import type { CompositeEventRecord, ExecutionResultRecord, ReloadTaskRecord, SchemaEventRecord } from '../db';
import type { SiteCache } from '../cache/site-cache';
import { appSnapshot } from '../security/resource-snapshots';

/**
 * Rule inputs for tasks and what hangs off them. A task and its results carry their app
 * (`resource.app.owner = user`, `resource.app.stream.HasPrivilege("read")` work in custom rules); an
 * execution result is named after its task, so a rule on names treats a task and its runs alike.
 */
function appOf(cache: SiteCache, appId: string): Resource | null {
  const app = cache.records('App').get(appId);
  return app ? appSnapshot(cache, app) : null;
}

export function reloadTaskSnapshot(cache: SiteCache, t: ReloadTaskRecord, memo = true): Resource {
  const build = (): Resource => ({ resourcetype: 'ReloadTask', id: t.id, name: t.name, properties: {}, customProperties: {}, app: appOf(cache, t.app.id) });
  return memo ? cache.memo('snap:ReloadTask', t.id, build) : build();
}

export function schemaEventSnapshot(e: SchemaEventRecord): Resource {
  return { resourcetype: 'SchemaEvent', id: e.id, name: e.name, properties: {}, customProperties: {} };
}

export function compositeEventSnapshot(e: CompositeEventRecord): Resource {
  return { resourcetype: 'CompositeEvent', id: e.id, name: e.name, properties: {}, customProperties: {} };
}

export function executionResultSnapshot(cache: SiteCache, r: ExecutionResultRecord): Resource {
  const task = cache.records('ReloadTask').get(r.task.id);
  return cache.memo('snap:ExecutionResult', r.id, () => ({ resourcetype: 'ExecutionResult', id: r.id, name: task?.name ?? r.task.name, properties: {}, customProperties: {}, app: appOf(cache, r.appId) }));
}
