import { randomUUID } from 'node:crypto';
import { nextOccurrence, parseSchedule } from './schedule/schema-schedule';
import type { SchedulerContext } from './scheduler-context';
import { SCHEDULER_USER_NAME } from './scheduler-identity';

const BATCH = 100;

/**
 * Fires every schema event that is due: queues a run of its task and moves the event to its next
 * occurrence after now (missed occurrences while no scheduler ran collapse into this one run). The
 * move is a compare-and-set on the due time (db/scheduler-store.ts), so each due time fires once
 * even if two repositories both believe they lead. A task that is disabled, or already waiting or
 * running, is not queued (Qlik skips the trigger too); the event still moves on, so enabling a task
 * again does not fire the triggers it missed meanwhile.
 */
export async function fireDueSchemaEvents(ctx: SchedulerContext): Promise<number> {
  const now = ctx.now();
  let fired = 0;
  for (const e of await ctx.stores.schemaEvents.due(new Date(now), BATCH)) {
    const due = e.nextExecution as Date;
    const p = parseSchedule(e);
    const after = Math.max(now, due.getTime());
    const next = p.ok ? nextOccurrence(p.schedule, after) : null;
    const task = await ctx.stores.reloadTasks.find(e.reloadTask.id);
    const busy = task ? await ctx.stores.executionResults.active(task.id) : true;
    const id = randomUUID();
    const run = task && task.enabled && !busy ? { id, taskId: task.id, appId: task.app.id, executionId: id, attempt: 1, trigger: `schema:${e.id}`, notBefore: new Date(now), modifiedByUserName: SCHEDULER_USER_NAME } : null;
    const r = await ctx.stores.scheduler.fireSchemaEvent(e.id, due, next === null ? null : new Date(next), run);
    if (!r.fired) continue;
    fired++;
    await ctx.audit.record({
      actor: { service: 'repository', user: SCHEDULER_USER_NAME },
      action: 'task.trigger',
      outcome: r.execution ? 'success' : 'failure',
      target: { type: 'ReloadTask', id: e.reloadTask.id },
      ...(r.execution ? {} : { reason: !task ? 'the task no longer exists' : !task.enabled ? 'the task is disabled: this trigger is skipped' : 'the task is already waiting or running: this trigger is skipped' }),
      details: { trigger: `schema:${e.id}`, due: due.toISOString(), lateMs: now - due.getTime(), next: next === null ? null : new Date(next).toISOString(), ...(r.execution ? { executionId: r.execution.executionId } : {}), ...(p.ok ? {} : { problem: p.message }) },
    });
  }
  return fired;
}
