import { auditUser } from '../audit/repository-audit';
import { viaDb } from '../errors/db-error.mapper';
import { invalid } from '../errors/service-errors';
import { appKind } from '../entities/kinds/app.kind';
import { dataConnectionKind } from '../entities/kinds/data-connection.kind';
import type { RequestAccess } from '../security/request-access';
import type { AppActionDeps } from './app-action-deps';

export interface ReloadPlanOut {
  appId: string;
  script: string;
  connections: { name: string; path: string }[];
  runAs: string;
}

/**
 * What the engine may run for this user: Update on the app, and only the data connections the
 * reloading user may read (a script naming any other connection fails in the sandbox, which never
 * learns where it points).
 */
export async function prepareReload(d: AppActionDeps, ref: { type: string; id: string }, access: RequestAccess): Promise<ReloadPlanOut> {
  if (ref.type !== '' && ref.type.toLowerCase() !== 'app') throw invalid('type', "only apps are reloaded (type 'app')");
  const { record, snapshot } = await d.entities.readable(appKind, ref.id, access);
  await access.require(snapshot, 'update');
  await d.cache.load(dataConnectionKind.needs);
  const all = [...d.cache.records('DataConnection').values()];
  // A reload reads data for the app (app access), so a connection readable in hub context counts
  // even when the reload was started through the management API; the Update check above stays in
  // the caller's context.
  const snapshots = all.map((c) => dataConnectionKind.snapshot(d.cache, c));
  const granted = new Set([...access.prepared.filter(snapshots, 'read'), ...access.hub.filter(snapshots, 'read')].map((s) => s.id));
  const connections = all.filter((c) => granted.has(c.id)).map((c) => ({ name: c.name, path: c.connectionString }));
  const script = await viaDb(() => d.stores.apps.getScript(record.id));
  return { appId: record.id, script, connections, runAs: auditUser(access.actor.asserted) };
}
