import { randomUUID } from 'node:crypto';
import type { SchedulerContext } from './scheduler-context';
import { SCHEDULER_USER_NAME } from './scheduler-identity';

const STATUS_FOR_RULE: Record<number, number> = { 1: 7, 2: 8 };

/**
 * After a task finished for good (success, or failure with no retry left): queue the tasks of the
 * composite events watching it, when every rule of the event holds — each watched task's last
 * finished run within the event's time constraint ended in the rule's state. Runs once per finish,
 * in the one scheduler that ran the task.
 */
export async function fireCompositeEvents(ctx: SchedulerContext, taskId: string, succeeded: boolean): Promise<void> {
  const state = succeeded ? 1 : 2;
  const now = ctx.now();
  for (const ev of await ctx.stores.compositeEvents.watching(taskId, state)) {
    const since = new Date(now - ev.timeConstraintSeconds * 1000);
    let holds = true;
    for (const rule of ev.rules) {
      if (rule.reloadTask.id === taskId && rule.ruleState === state) continue;
      const last = await ctx.stores.executionResults.lastFinished(rule.reloadTask.id, since);
      if (!last || last.status !== STATUS_FOR_RULE[rule.ruleState]) {
        holds = false;
        break;
      }
    }
    if (!holds) continue;
    const target = await ctx.stores.reloadTasks.find(ev.reloadTask.id);
    if (!target || !target.enabled) continue;
    const busy = await ctx.stores.executionResults.active(target.id);
    const id = randomUUID();
    const execution = busy ? null : await ctx.stores.executionResults.trigger({ id, taskId: target.id, appId: target.app.id, executionId: id, attempt: 1, trigger: `composite:${ev.id}`, notBefore: new Date(now), modifiedByUserName: SCHEDULER_USER_NAME });
    await ctx.audit.record({
      actor: { service: 'repository', user: SCHEDULER_USER_NAME },
      action: 'task.trigger',
      outcome: execution ? 'success' : 'failure',
      target: { type: 'ReloadTask', id: target.id },
      ...(execution ? {} : { reason: 'the task is already waiting or running: this trigger is skipped' }),
      details: { trigger: `composite:${ev.id}`, after: taskId, state: succeeded ? 'success' : 'failure', ...(execution ? { executionId: execution.executionId } : {}) },
    });
  }
}
