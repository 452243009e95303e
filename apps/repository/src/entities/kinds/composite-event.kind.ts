import { z } from 'zod';
import type { CompositeEventInput, CompositeEventRecord, ReloadTaskRecord } from '../../db';
import { parseWith } from '../../rpc/json-body';
import { taskCondensedJson } from '../../tasks/task-json';
import { constraintJson, constraintSeconds, intLike, literal, onlyNull, timeConstraintInput } from '../../tasks/task-body-fields';
import { compositeEventSnapshot, reloadTaskSnapshot } from '../../tasks/task-snapshots';
import { COMMON_READ_ONLY, modifiedDate, NAME, namedRefInput, readOnly, refuseChange } from '../body-fields';
import type { EntityKind, ExtraCheck, WriteContext } from '../entity-kind';
import { iso } from '../qrs-json';

const ruleInput = z.strictObject({
  id: readOnly,
  privileges: readOnly,
  createdDate: readOnly,
  modifiedDate: readOnly,
  modifiedByUserName: readOnly,
  schemaPath: readOnly,
  ruleState: intLike(1, 2),
  reloadTask: namedRefInput.optional(),
  userSyncTask: onlyNull,
  externalProgramTask: onlyNull,
});
const fields = {
  ...COMMON_READ_ONLY,
  name: NAME.optional(),
  enabled: z.boolean().optional(),
  eventType: literal(1, 'a composite event'),
  reloadTask: namedRefInput.optional(),
  userSyncTask: onlyNull,
  externalProgramTask: onlyNull,
  timeConstraint: timeConstraintInput.optional(),
  compositeRules: z.array(ruleInput).max(64, 'must have at most 64 rules').optional(),
  operational: readOnly,
  modifiedDate: readOnly,
};
export const compositeEventCreateBody = z.strictObject(fields);
const updateBody = z.strictObject({ ...fields, modifiedDate });

async function taskFor(w: WriteContext, ref: { id?: string | undefined }) {
  const task = await w.refs.entity<ReloadTaskRecord>('reloadTask', ref);
  return { task, check: { action: 'update' as const, on: reloadTaskSnapshot(w.cache, task) } as ExtraCheck };
}

/** The watched tasks, each through the rules (an unreadable one is refused like a missing one). */
async function rules(w: WriteContext, b: z.output<typeof compositeEventCreateBody>): Promise<CompositeEventInput['rules']> {
  const list = b.compositeRules ?? [];
  if (list.length === 0) refuseChange('compositeRules', 'needs at least one rule ({ "reloadTask": { "id": … }, "ruleState": 1 success | 2 failure })');
  const tasks = await w.refs.taskRules('compositeRules', list.map((r) => ({ reloadTask: r.reloadTask ?? {} })));
  return list.map((r, i) => ({ ruleState: r.ruleState, reloadTaskId: tasks[i] as string }));
}

export const compositeEventKind: EntityKind<CompositeEventRecord> = {
  type: 'compositeevent',
  resourceType: 'CompositeEvent',
  needs: ['CompositeEvent', 'ReloadTask', 'App', 'User', 'Stream', 'CustomPropertyDefinition', 'SchemaEvent', 'ExecutionResult'],
  condensed: ['id', 'name', 'enabled', 'eventType', 'operational'],
  snapshot: (_cache, r) => compositeEventSnapshot(r),
  json: (cache, r) => ({
    id: r.id, createdDate: iso(r.createdDate), modifiedDate: iso(r.modifiedDate), modifiedByUserName: r.modifiedByUserName,
    name: r.name, enabled: r.enabled, eventType: 1,
    reloadTask: taskCondensedJson(cache, r.reloadTask.id, r.reloadTask.name), userSyncTask: null, externalProgramTask: null,
    timeConstraint: constraintJson(r.timeConstraintSeconds),
    compositeRules: r.rules.map((rule) => ({ id: rule.id, ruleState: rule.ruleState, reloadTask: taskCondensedJson(cache, rule.reloadTask.id, rule.reloadTask.name), userSyncTask: null, externalProgramTask: null })),
    operational: {},
    schemaPath: 'CompositeEvent',
  }),

  async planCreate(body, w, newId) {
    const b = parseWith(compositeEventCreateBody, body);
    if (b.name === undefined || b.name.trim() === '') refuseChange('name', 'is required');
    if (b.reloadTask === undefined) refuseChange('reloadTask', 'is required ({ "id": <the reload task to run> })');
    const { task, check } = await taskFor(w, b.reloadTask);
    const input: CompositeEventInput & { id: string } = { id: newId, name: b.name, enabled: b.enabled ?? true, reloadTaskId: task.id, timeConstraintSeconds: constraintSeconds(b.timeConstraint), rules: await rules(w, b) };
    return { wouldBe: compositeEventSnapshot({ id: newId, name: b.name } as CompositeEventRecord), checks: [check], commit: (by) => w.stores.compositeEvents.create(input, by) };
  },

  async planUpdate(body, current, w) {
    const b = parseWith(updateBody, body);
    const patch: Partial<CompositeEventInput> = {};
    if (b.name !== undefined) patch.name = b.name;
    if (b.enabled !== undefined) patch.enabled = b.enabled;
    if (b.timeConstraint !== undefined) patch.timeConstraintSeconds = constraintSeconds(b.timeConstraint);
    if (b.compositeRules !== undefined) patch.rules = await rules(w, b);
    const checks = [(await taskFor(w, { id: current.reloadTask.id })).check];
    if (b.reloadTask !== undefined && (b.reloadTask.id ?? '').toLowerCase() !== current.reloadTask.id) {
      const { task, check } = await taskFor(w, b.reloadTask);
      patch.reloadTaskId = task.id;
      checks.push(check);
    }
    return { wouldBe: compositeEventSnapshot(current), checks, commit: (by) => w.stores.compositeEvents.update(current.id, b.modifiedDate, patch, by) };
  },

  remove: (stores, id) => stores.compositeEvents.delete(id),
};
