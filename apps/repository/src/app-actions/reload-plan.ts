import type { RuleEngine, User } from '@trustzone/rules';
import { auditUser } from '../audit/repository-audit';
import { invalid, notFound } from '../errors/service-errors';
import { isSchedulerUser } from '../scheduler/scheduler-identity';
import { appKind } from '../entities/kinds/app.kind';
import { dataConnectionKind } from '../entities/kinds/data-connection.kind';
import { customPropertyValues } from '../security/resource-snapshots';
import type { RequestAccess } from '../security/request-access';
import type { AppActionDeps } from './app-action-deps';
import { scheduledReloadPlan } from '../tasks/scheduled-reload-plan';

export interface ReloadPlanOut {
  appId: string;
  connections: { name: string; path: string; writable: boolean }[];
  runAs: string;
}

/**
 * What the engine may run for this user: Update on the app, and only the data connections both the
 * reloading user and the app owner may read (a script naming any other connection fails in the
 * sandbox, which never learns where it points). The script is the owner's work, so it runs with the
 * owner's grants (load-script.md: "the reload runs as the app owner"): otherwise an administrator
 * reloading a user's app would let that user's script read every connection the administrator can
 * (a confused deputy). The caller's own grants still bound it, so nobody reaches a connection they
 * could not read themselves by reloading someone else's app.
 *
 * A connection is writable (a `STORE … INTO lib://<name>/…` target) only when both may also
 * Update it. Qlik lets any reload write where the engine's account can; trustzone asks the rules,
 * so reading a shared folder never implies overwriting the QVDs in it.
 */
export async function prepareReload(d: AppActionDeps, ref: { type: string; id: string; taskExecutionId?: string }, access: RequestAccess, rules: RuleEngine): Promise<ReloadPlanOut> {
  if (ref.type !== '' && ref.type.toLowerCase() !== 'app') throw invalid('type', "only apps are reloaded (type 'app')");
  if (ref.taskExecutionId) return scheduledReloadPlan(d, ref.id, ref.taskExecutionId, access, rules);
  // The scheduler's account is a root administrator (ServiceAccount rule), but it reloads task runs
  // only: a plan without a run is answered as for an app it cannot see.
  if (isSchedulerUser(access.actor.asserted)) throw notFound('App');
  const { record, snapshot } = await d.entities.readable(appKind, ref.id, access);
  await access.require(snapshot, 'update');
  await d.cache.load(dataConnectionKind.needs);
  const all = [...d.cache.records('DataConnection').values()];
  // A reload reads data for the app (app access), so a connection readable in hub context counts
  // even when the reload was started through the management API; the Update check above stays in
  // the caller's context.
  const snapshots = all.map((c) => dataConnectionKind.snapshot(d.cache, c));
  const granted = new Set([...access.prepared.filter(snapshots, 'read'), ...access.hub.filter(snapshots, 'read')].map((s) => s.id));
  const owner = ownerAsUser(d, record.owner.id);
  // The caller's own reload keeps its session attributes (user.environment.*); another user's
  // reload sees the owner as stored (no session of theirs is present).
  const ownerGrants = record.owner.id === access.actor.record?.id ? granted : new Set(owner ? rules.prepare(owner, 'hub').filter(snapshots, 'read').map((s) => s.id) : []);
  const readable = all.filter((c) => granted.has(c.id) && ownerGrants.has(c.id));
  const readableSnapshots = snapshots.filter((s) => readable.some((c) => c.id === s.id));
  const updatable = new Set([...access.prepared.filter(readableSnapshots, 'update'), ...access.hub.filter(readableSnapshots, 'update')].map((s) => s.id));
  const ownerUpdatable = record.owner.id === access.actor.record?.id ? updatable : new Set(owner ? rules.prepare(owner, 'hub').filter(readableSnapshots, 'update').map((s) => s.id) : []);
  const connections = readable.map((c) => ({ name: c.name, path: c.connectionString, writable: updatable.has(c.id) && ownerUpdatable.has(c.id) }));
  return { appId: record.id, connections, runAs: auditUser(access.actor.asserted) };
}

/** The app owner as the rules see a stored user; null when the owner is gone or may not act. */
function ownerAsUser(d: AppActionDeps, ownerId: string): User | null {
  const u = d.cache.records('User').get(ownerId);
  if (!u || u.inactive || u.removedExternally) return null;
  return {
    id: u.id, userId: u.userId, userDirectory: u.userDirectory, name: u.name, email: u.email, roles: u.roles, groups: u.groups,
    customProperties: customPropertyValues(d.cache, u.customProperties), environment: {}, anonymous: false,
  };
}
