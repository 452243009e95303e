import { z } from 'zod';
import type { AppRecord, ReloadTaskInput, ReloadTaskRecord } from '../../db';
import { parseWith } from '../../rpc/json-body';
import { appSnapshot } from '../../security/resource-snapshots';
import { reloadTaskJson, TASK_TYPE_RELOAD } from '../../tasks/task-json';
import { reloadTaskSnapshot } from '../../tasks/task-snapshots';
import { emptyList, literal } from '../../tasks/task-body-fields';
import { COMMON_READ_ONLY, modifiedDate, NAME, namedRefInput, readOnly, refuseChange } from '../body-fields';
import type { EntityKind, ExtraCheck, WriteContext } from '../entity-kind';

const fields = {
  ...COMMON_READ_ONLY,
  name: NAME.optional(),
  app: namedRefInput.optional(),
  enabled: z.boolean().optional(),
  taskSessionTimeout: z.number().int().min(1, 'must be at least 1 (minutes)').max(7 * 24 * 60, 'must be at most a week (10080 minutes)').optional(),
  maxRetries: z.number().int().min(0).max(20, 'must be at most 20').optional(),
  isManuallyTriggered: z.boolean().optional(),
  isPartialReload: z.literal(false, { error: 'partial reloads are not supported' }).optional(),
  taskType: literal(TASK_TYPE_RELOAD, 'a reload task'),
  customProperties: emptyList,
  tags: emptyList,
  operational: readOnly,
  modifiedDate: readOnly,
};
export const reloadTaskCreateBody = z.strictObject(fields);
const updateBody = z.strictObject({ ...fields, modifiedDate });

/** Changing what a task runs is changing the app: Update on the app, in whatever context. */
async function appFor(w: WriteContext, ref: { id?: string | undefined }): Promise<{ app: AppRecord; check: ExtraCheck }> {
  const app = await w.refs.entity<AppRecord>('app', ref);
  return { app, check: { action: 'update', on: appSnapshot(w.cache, app) } };
}

function settings(b: z.output<typeof reloadTaskCreateBody>): Partial<ReloadTaskInput> {
  const out: Partial<ReloadTaskInput> = {};
  for (const k of ['name', 'enabled', 'taskSessionTimeout', 'maxRetries', 'isManuallyTriggered'] as const) if (b[k] !== undefined) Object.assign(out, { [k]: b[k] });
  return out;
}

export const reloadTaskKind: EntityKind<ReloadTaskRecord> = {
  type: 'reloadtask',
  resourceType: 'ReloadTask',
  needs: ['ReloadTask', 'App', 'User', 'Stream', 'CustomPropertyDefinition', 'SchemaEvent', 'ExecutionResult'],
  condensed: ['id', 'name', 'taskType', 'enabled', 'operational'],
  snapshot: (cache, r) => reloadTaskSnapshot(cache, r),
  json: (cache, r) => reloadTaskJson(cache, r),

  async planCreate(body, w, newId) {
    const b = parseWith(reloadTaskCreateBody, body);
    if (b.name === undefined || b.name.trim() === '') refuseChange('name', 'is required');
    if (b.app === undefined) refuseChange('app', 'is required ({ "id": <app id> })');
    const { app, check } = await appFor(w, b.app);
    const now = new Date();
    const record: ReloadTaskRecord = {
      id: newId, createdDate: now, modifiedDate: now, modifiedByUserName: w.actor.name, name: b.name, app: { id: app.id, name: app.name },
      enabled: b.enabled ?? true, taskSessionTimeout: b.taskSessionTimeout ?? 1440, maxRetries: b.maxRetries ?? 0, isManuallyTriggered: b.isManuallyTriggered ?? false, isPartialReload: false,
    };
    const input: ReloadTaskInput & { id: string } = { ...settings(b), id: newId, name: b.name, appId: app.id };
    return { wouldBe: reloadTaskSnapshot(w.cache, record, false), checks: [check], commit: (by) => w.stores.reloadTasks.create(input, by) };
  },

  async planUpdate(body, current, w) {
    const b = parseWith(updateBody, body);
    const patch = settings(b);
    const checks: ExtraCheck[] = [];
    if (b.app !== undefined && (b.app.id ?? '').toLowerCase() !== current.app.id) {
      const { app, check } = await appFor(w, b.app);
      patch.appId = app.id;
      checks.push(check);
    }
    return { wouldBe: reloadTaskSnapshot(w.cache, current), checks, commit: (by) => w.stores.reloadTasks.update(current.id, b.modifiedDate, patch, by) };
  },

  remove: (stores, id) => stores.reloadTasks.delete(id),
  cascades: ['SchemaEvent', 'CompositeEvent', 'ExecutionResult'],
};
