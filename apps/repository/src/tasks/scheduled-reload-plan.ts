import type { RuleEngine, User } from '@trustzone/rules';
import { TaskStatus } from '../db';
import { viaDb } from '../errors/db-error.mapper';
import { denied, invalid, notFound } from '../errors/service-errors';
import { dataConnectionKind } from '../entities/kinds/data-connection.kind';
import { parseId } from '../entities/entity-service';
import type { AppActionDeps } from '../app-actions/app-action-deps';
import { isSchedulerUser, SCHEDULER_USER_NAME } from '../scheduler/scheduler-identity';
import { customPropertyValues } from '../security/resource-snapshots';
import type { RequestAccess } from '../security/request-access';
import type { ReloadPlanOut } from '../app-actions/reload-plan';

/**
 * The plan of a scheduled reload: the engine relays INTERNAL\sa_scheduler with the run's execution
 * id. That identity has no rights of its own; what authorises the reload is the run — it must be a
 * run this site's scheduler started (status Started) of a task on exactly this app. The script then
 * gets the data connections the app owner may read, as any reload of someone else's app does
 * (load-script.md: "the reload runs as the app owner"), so a task can reach nothing the owner's own
 * reload could not.
 */
export async function scheduledReloadPlan(d: AppActionDeps, appIdRaw: string, executionId: string, access: RequestAccess, rules: RuleEngine): Promise<ReloadPlanOut> {
  if (!isSchedulerUser(access.actor.asserted)) throw denied('only the scheduler runs task reloads');
  const appId = parseId(appIdRaw);
  const runId = parseId(executionId, 'taskExecutionId');
  const run = await viaDb(() => d.stores.executionResults.find(runId));
  if (!run || run.appId !== appId) throw notFound('App');
  if (run.status !== TaskStatus.Started) throw invalid('taskExecutionId', 'the run is not in progress');
  await d.cache.load(['App', 'User', 'CustomPropertyDefinition', ...dataConnectionKind.needs]);
  const app = d.cache.records('App').get(appId) ?? (await viaDb(() => d.stores.apps.find(appId)));
  if (!app) throw notFound('App');
  const owner = ownerUser(d, app.owner.id);
  const snapshots = [...d.cache.records('DataConnection').values()].map((c) => ({ c, s: dataConnectionKind.snapshot(d.cache, c) }));
  const prepared = owner ? rules.prepare(owner, 'hub') : null;
  const granted = new Set(prepared ? prepared.filter(snapshots.map((x) => x.s), 'read').map((s) => s.id) : []);
  // A STORE target needs Update, here the owner's alone: the scheduler has no rights of its own.
  const writable = new Set(prepared ? prepared.filter(snapshots.map((x) => x.s), 'update').map((s) => s.id) : []);
  const connections = snapshots.filter((x) => granted.has(x.c.id)).map((x) => ({ name: x.c.name, path: x.c.connectionString, writable: writable.has(x.c.id) }));
  return { appId, connections, runAs: SCHEDULER_USER_NAME };
}

function ownerUser(d: AppActionDeps, ownerId: string): User | null {
  const u = d.cache.records('User').get(ownerId);
  if (!u || u.inactive || u.removedExternally) return null;
  return { id: u.id, userId: u.userId, userDirectory: u.userDirectory, name: u.name, email: u.email, roles: u.roles, groups: u.groups, customProperties: customPropertyValues(d.cache, u.customProperties), environment: {}, anonymous: false };
}
