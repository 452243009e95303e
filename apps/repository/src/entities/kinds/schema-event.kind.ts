import { z } from 'zod';
import type { ReloadTaskRecord, SchemaEventInput, SchemaEventRecord } from '../../db';
import { invalid } from '../../errors/service-errors';
import { parseWith } from '../../rpc/json-body';
import { nextOccurrence, parseSchedule } from '../../scheduler/schedule/schema-schedule';
import { taskCondensedJson } from '../../tasks/task-json';
import { intLike, literal, onlyNull } from '../../tasks/task-body-fields';
import { reloadTaskSnapshot, schemaEventSnapshot } from '../../tasks/task-snapshots';
import { COMMON_READ_ONLY, modifiedDate, NAME, namedRefInput, readOnly, refuseChange } from '../body-fields';
import type { EntityKind, WriteContext } from '../entity-kind';
import { iso } from '../qrs-json';

const fields = {
  ...COMMON_READ_ONLY,
  name: NAME.optional(),
  enabled: z.boolean().optional(),
  eventType: literal(0, 'a schema event'),
  reloadTask: namedRefInput.optional(),
  userSyncTask: onlyNull,
  externalProgramTask: onlyNull,
  timeZone: z.string().max(64).optional(),
  daylightSavingTime: intLike(0, 2).optional(),
  startDate: z.string().max(40).optional(),
  expirationDate: z.string().max(40).optional(),
  schemaFilterDescription: z.array(z.string().max(256)).max(16).optional(),
  incrementDescription: z.string().max(64).optional(),
  incrementOption: intLike(0, 5).optional(),
  operational: readOnly,
  modifiedDate: readOnly,
};
export const schemaEventCreateBody = z.strictObject(fields);
const updateBody = z.strictObject({ ...fields, modifiedDate });
type Body = z.output<typeof schemaEventCreateBody>;

type Timing = Pick<SchemaEventInput, 'timeZone' | 'daylightSavingTime' | 'startDate' | 'expirationDate' | 'schemaFilterDescription' | 'incrementDescription' | 'incrementOption' | 'nextExecution'>;

/** Validates the schedule as a whole (field errors name the body field) and computes the next run from now. */
export function timing(b: Body, current: SchemaEventRecord | undefined, at = 'body', now = Date.now()): Timing {
  const merged = {
    timeZone: b.timeZone ?? current?.timeZone ?? 'UTC',
    daylightSavingTime: b.daylightSavingTime ?? current?.daylightSavingTime ?? 0,
    startDate: b.startDate ?? current?.startDate ?? '',
    expirationDate: b.expirationDate ?? current?.expirationDate ?? '9999-01-01T00:00:00.000',
    schemaFilterDescription: b.schemaFilterDescription ?? current?.schemaFilterDescription ?? ['* * - * * * * *'],
    incrementDescription: b.incrementDescription ?? current?.incrementDescription ?? '',
    incrementOption: b.incrementOption ?? current?.incrementOption ?? 0,
  };
  if (merged.startDate === '') throw invalid(`${at}.startDate`, 'is required');
  if (merged.incrementDescription === '') merged.incrementDescription = '0 0 0 0';
  const p = parseSchedule(merged);
  if (!p.ok) throw invalid(`${at}.${p.field}`, p.message);
  const next = nextOccurrence(p.schedule, now - 1);
  return { ...merged, startDate: p.startDate, expirationDate: p.expirationDate, nextExecution: next === null ? null : new Date(next) };
}

/** Adding or changing a trigger changes when the task runs: Update on the task. */
async function taskFor(w: WriteContext, ref: { id?: string | undefined }) {
  const task = await w.refs.entity<ReloadTaskRecord>('reloadTask', ref);
  return { task, check: { action: 'update' as const, on: reloadTaskSnapshot(w.cache, task) } };
}

export const schemaEventKind: EntityKind<SchemaEventRecord> = {
  type: 'schemaevent',
  resourceType: 'SchemaEvent',
  needs: ['SchemaEvent', 'ReloadTask', 'App', 'User', 'Stream', 'CustomPropertyDefinition', 'ExecutionResult'],
  condensed: ['id', 'name', 'enabled', 'eventType', 'operational'],
  snapshot: (_cache, r) => schemaEventSnapshot(r),
  json: (cache, r) => ({
    id: r.id, createdDate: iso(r.createdDate), modifiedDate: iso(r.modifiedDate), modifiedByUserName: r.modifiedByUserName,
    name: r.name, enabled: r.enabled, eventType: 0,
    reloadTask: taskCondensedJson(cache, r.reloadTask.id, r.reloadTask.name), userSyncTask: null, externalProgramTask: null,
    timeZone: r.timeZone, daylightSavingTime: r.daylightSavingTime, startDate: r.startDate, expirationDate: r.expirationDate,
    schemaFilterDescription: r.schemaFilterDescription, incrementDescription: r.incrementDescription, incrementOption: r.incrementOption,
    operational: { lastTrigger: iso(r.lastExecution), nextExecution: iso(r.nextExecution) },
    schemaPath: 'SchemaEvent',
  }),

  async planCreate(body, w, newId) {
    const b = parseWith(schemaEventCreateBody, body);
    if (b.name === undefined || b.name.trim() === '') refuseChange('name', 'is required');
    if (b.reloadTask === undefined) refuseChange('reloadTask', 'is required ({ "id": <reload task id> })');
    const { task, check } = await taskFor(w, b.reloadTask);
    const input: SchemaEventInput & { id: string } = { id: newId, name: b.name, enabled: b.enabled ?? true, reloadTaskId: task.id, ...timing(b, undefined) as Required<Timing> };
    return { wouldBe: schemaEventSnapshot({ id: newId, name: b.name } as SchemaEventRecord), checks: [check], commit: (by) => w.stores.schemaEvents.create(input, by) };
  },

  async planUpdate(body, current, w) {
    const b = parseWith(updateBody, body);
    const patch: Partial<SchemaEventInput> = { ...timing(b, current) };
    if (b.name !== undefined) patch.name = b.name;
    if (b.enabled !== undefined) patch.enabled = b.enabled;
    const checks = [(await taskFor(w, { id: current.reloadTask.id })).check];
    if (b.reloadTask !== undefined && (b.reloadTask.id ?? '').toLowerCase() !== current.reloadTask.id) {
      const { task, check } = await taskFor(w, b.reloadTask);
      patch.reloadTaskId = task.id;
      checks.push(check);
    }
    return { wouldBe: schemaEventSnapshot(current), checks, commit: (by) => w.stores.schemaEvents.update(current.id, b.modifiedDate, patch, by) };
  },

  remove: (stores, id) => stores.schemaEvents.delete(id),
};
