import { setTimeout as sleep } from 'node:timers/promises';
import { randomUUID } from 'node:crypto';
import { callActor } from '../audit/repository-audit';
import { TaskStatus, type ReloadTaskRecord, type RepositoryStores } from '../db';
import type { SiteCache } from '../cache/site-cache';
import type { RepositoryAudit } from '../audit/repository-audit';
import { reloadTaskKind } from '../entities/kinds/reload-task.kind';
import type { EntityService } from '../entities/entity-service';
import { viaDb } from '../errors/db-error.mapper';
import { invalid, notFound, precondition } from '../errors/service-errors';
import type { RequestAccess } from '../security/request-access';

export const EMPTY_GUID = '00000000-0000-0000-0000-000000000000';

export interface StartTaskDeps {
  cache: SiteCache;
  stores: RepositoryStores;
  audit: RepositoryAudit;
  entities: EntityService;
  /** How long a synchronous start waits for a scheduler to pick the run up. */
  waitMs: number;
}

async function taskByName(d: StartTaskDeps, name: string, access: RequestAccess): Promise<ReloadTaskRecord> {
  await d.cache.load(reloadTaskKind.needs);
  const want = name.toLowerCase();
  const found = [...d.cache.records('ReloadTask').values()].filter((t) => t.name.toLowerCase() === want && access.canRead(reloadTaskKind.snapshot(d.cache, t)));
  if (found.length !== 1) throw found.length === 0 ? notFound('ReloadTask') : invalid('name', 'names more than one task; start it by id');
  return found[0] as ReloadTaskRecord;
}

/**
 * POST /qrs/task/{id}/start[/synchronous] and /qrs/task/start/synchronous?name=: queues a run for the
 * scheduler. Starting needs Update on the task (who may change a task may run it). Answers Qlik's
 * `{ value: <execution id> }`; the first attempt's execution result has that id too, so both
 * GET /qrs/executionresult/{value} and ?filter=executionID eq {value} find it. A synchronous start
 * waits until a scheduler has started the run; when none does within the wait, the run is withdrawn
 * and the answer is the empty GUID, as in Qlik ("no scheduler to perform the reload"). A task that is
 * already waiting or running is not started twice: its current run's id is answered.
 */
export async function startTask(d: StartTaskDeps, req: { taskId: string; name: string; synchronous: boolean }, access: RequestAccess): Promise<string> {
  let task: ReloadTaskRecord;
  if (req.taskId) task = (await d.entities.readable(reloadTaskKind, req.taskId, access)).record;
  else if (req.name) task = await taskByName(d, req.name, access);
  else throw invalid('name', 'give the task id in the path or ?name=');
  await access.require(reloadTaskKind.snapshot(d.cache, task), 'update');
  if (!task.enabled) {
    if (req.synchronous) return JSON.stringify({ value: EMPTY_GUID });
    throw precondition('the task is disabled', 'enabled');
  }
  const running = [...d.cache.records('ExecutionResult').values()].find((r) => r.task.id === task.id && (r.status === TaskStatus.Triggered || r.status === TaskStatus.Started || r.status === TaskStatus.Queued));
  let executionId = running?.executionId;
  if (!executionId) {
    const id = randomUUID();
    const run = await viaDb(() => d.stores.executionResults.trigger({ id, taskId: task.id, appId: task.app.id, executionId: id, attempt: 1, trigger: 'manual', notBefore: new Date(), modifiedByUserName: access.actor.name.slice(0, 256) }));
    executionId = run.executionId;
    await d.audit.record({ actor: callActor(access.ctx), action: 'task.start', outcome: 'success', target: { type: 'ReloadTask', id: task.id }, details: { executionId, synchronous: req.synchronous } });
  }
  if (!req.synchronous) return JSON.stringify({ value: executionId });
  return JSON.stringify({ value: await waitStarted(d, executionId, running === undefined) });
}

/** Polls until the run left Triggered; withdraws a run nobody picked up in time (only one we queued). */
async function waitStarted(d: StartTaskDeps, executionId: string, ours: boolean): Promise<string> {
  const until = Date.now() + d.waitMs;
  for (;;) {
    const r = await viaDb(() => d.stores.executionResults.find(executionId));
    if (!r) return EMPTY_GUID;
    if (r.status !== TaskStatus.Triggered) return executionId;
    if (Date.now() >= until) {
      if (ours && (await viaDb(() => d.stores.executionResults.withdraw(executionId)))) return EMPTY_GUID;
      if (!ours) return executionId;
    }
    await sleep(100);
  }
}
