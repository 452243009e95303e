import type { ExecutionResultRecord, ReloadTaskRecord } from '../db';
import type { SiteCache } from '../cache/site-cache';
import { iso, type Json } from '../entities/qrs-json';

/**
 * The QRS shapes of reload tasks and their execution results (Qlik's ReloadTask, ReloadTaskCondensed,
 * ExecutionResult). Qlik's `operational` objects carry an id of their own; trustzone keeps the
 * operational state on the task and the event, so it shows none.
 */
export const TASK_TYPE_RELOAD = 0;

/** An execution result's fileReferenceID is the result itself: its script log is read through it. */
export function executionResultJson(r: ExecutionResultRecord): Json {
  return {
    id: r.id,
    createdDate: iso(r.createdDate),
    modifiedDate: iso(r.modifiedDate),
    modifiedByUserName: r.modifiedByUserName,
    taskID: r.task.id,
    executionID: r.executionId,
    appID: r.appId,
    executingNodeID: null,
    executingNodeName: r.executingNodeName,
    status: r.status,
    startTime: iso(r.startTime),
    stopTime: iso(r.stopTime),
    duration: r.duration,
    fileReferenceID: r.id,
    scriptLogAvailable: r.scriptLogSize > 0,
    details: r.details.map((d, i) => ({ id: `${r.id.slice(0, 24)}${String(i).padStart(12, '0')}`, detailsType: d.detailsType, message: d.message, detailCreatedDate: d.detailCreatedDate })),
    scriptLogLocation: '',
    scriptLogSize: r.scriptLogSize,
    attempt: r.attempt,
    trigger: r.trigger,
    schemaPath: 'ExecutionResult',
  };
}

/** The latest attempt of a task (by creation), from the cached results. */
export function lastExecution(cache: SiteCache, taskId: string): ExecutionResultRecord | undefined {
  let last: ExecutionResultRecord | undefined;
  for (const r of cache.records('ExecutionResult').values()) {
    if (r.task.id !== taskId) continue;
    if (!last || r.createdDate.getTime() > last.createdDate.getTime() || (r.createdDate.getTime() === last.createdDate.getTime() && r.attempt > last.attempt)) last = r;
  }
  return last;
}

export function nextExecution(cache: SiteCache, taskId: string): Date | null {
  let next: Date | null = null;
  for (const e of cache.records('SchemaEvent').values()) {
    if (e.reloadTask.id !== taskId || !e.enabled || !e.nextExecution) continue;
    if (!next || e.nextExecution < next) next = e.nextExecution;
  }
  return next;
}

function operational(cache: SiteCache, t: ReloadTaskRecord): Json {
  const last = lastExecution(cache, t.id);
  const r = last ? executionResultJson(last) : null;
  return {
    lastExecutionResult: r && {
      id: r['id'], executingNodeName: r['executingNodeName'], status: r['status'], startTime: r['startTime'], stopTime: r['stopTime'], duration: r['duration'],
      fileReferenceID: r['fileReferenceID'], scriptLogAvailable: r['scriptLogAvailable'], details: r['details'], scriptLogLocation: '', scriptLogSize: r['scriptLogSize'],
    },
    nextExecution: iso(nextExecution(cache, t.id)),
  };
}

/** ReloadTaskCondensed: what events and rules show of their task. */
export function taskCondensedJson(cache: SiteCache, id: string, fallbackName: string): Json {
  const t = cache.records('ReloadTask').get(id);
  return t ? { id: t.id, name: t.name, taskType: TASK_TYPE_RELOAD, enabled: t.enabled, operational: operational(cache, t) } : { id, name: fallbackName, taskType: TASK_TYPE_RELOAD };
}

export function reloadTaskJson(cache: SiteCache, t: ReloadTaskRecord): Json {
  const app = cache.records('App').get(t.app.id);
  return {
    id: t.id,
    createdDate: iso(t.createdDate),
    modifiedDate: iso(t.modifiedDate),
    modifiedByUserName: t.modifiedByUserName,
    customProperties: [],
    app: app ? { id: app.id, name: app.name, published: app.published, publishTime: iso(app.publishTime), stream: app.stream } : { id: t.app.id, name: t.app.name },
    isManuallyTriggered: t.isManuallyTriggered,
    operational: operational(cache, t),
    name: t.name,
    taskType: TASK_TYPE_RELOAD,
    enabled: t.enabled,
    taskSessionTimeout: t.taskSessionTimeout,
    maxRetries: t.maxRetries,
    tags: [],
    isPartialReload: t.isPartialReload,
    schemaPath: 'ReloadTask',
  };
}
