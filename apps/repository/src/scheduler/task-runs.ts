import { randomUUID } from 'node:crypto';
import { TaskStatus, type ExecutionResultRecord } from '../db';
import { fireCompositeEvents } from './composite-triggers';
import { detail, type SchedulerContext } from './scheduler-context';
import { SCHEDULER_USER_NAME } from './scheduler-identity';

const stamp = (t: number) => new Date(t).toISOString().replace('T', ' ').slice(0, 19);

/**
 * Claims queued runs (compare-and-set under the lease token) and runs them, at most `limit` at once.
 * Each run: the reload on an engine (bounded by the task's session timeout), its log and outcome
 * stored under the token (a deposed leader's late writes match nothing), a retry queued while the
 * task allows one, then the composite events that wait for this task.
 */
export class TaskRuns {
  private readonly running = new Map<string, AbortController>();
  private readonly done = new Set<Promise<void>>();

  constructor(private readonly ctx: SchedulerContext, private readonly limit: number) {}

  get size(): number {
    return this.running.size;
  }

  async claimAndStart(token: number): Promise<void> {
    const free = this.limit - this.running.size;
    if (free <= 0) return;
    const now = this.ctx.now();
    for (const r of await this.ctx.stores.executionResults.claimable(new Date(now), free)) {
      if (this.running.has(r.id)) continue;
      if (!(await this.ctx.stores.executionResults.claim(r.id, r.status, token, this.ctx.node, new Date(this.ctx.now())))) continue;
      const abort = new AbortController();
      this.running.set(r.id, abort);
      const p = this.run(r, token, abort.signal)
        .catch((e: unknown) => {
          this.ctx.logger.error('task run failed unexpectedly', { executionId: r.id, error: e instanceof Error ? e.message : String(e) });
        })
        .finally(() => {
          this.running.delete(r.id);
          this.done.delete(p);
        });
      this.done.add(p);
    }
  }

  /** Resolves once every run started so far has finished and recorded its outcome. */
  async settled(): Promise<void> {
    await Promise.allSettled([...this.done]);
  }

  /** Stops every run (repository shutdown) and waits for them to record it. */
  async stop(): Promise<void> {
    for (const a of this.running.values()) a.abort();
    await Promise.allSettled([...this.done]);
  }

  private async run(r: ExecutionResultRecord, token: number, signal: AbortSignal): Promise<void> {
    const { ctx } = this;
    const log: string[] = [];
    const line = (text: string) => log.push(`${stamp(ctx.now())}  ${text}`);
    const task = await ctx.stores.reloadTasks.find(r.task.id);
    if (!task) {
      await ctx.stores.executionResults.finish(r.id, token, { status: TaskStatus.Error, stopTime: new Date(ctx.now()), details: [detail(ctx, 0, 'the task was deleted before it ran')], scriptLog: '' });
      return;
    }
    line(`Execution started: task "${task.name}", app ${task.app.id}, attempt ${r.attempt} of ${task.maxRetries + 1}, trigger ${r.trigger}, on ${ctx.node}`);
    const outcome = await ctx.reload({ appId: r.appId, executionId: r.id, timeoutMs: task.taskSessionTimeout * 60_000, log: line, signal });
    const now = ctx.now();
    if (outcome.kind === 'busy') {
      const wait = outcome.retryAfterMs ?? ctx.busyDelayMs;
      await ctx.stores.executionResults.requeue(r.id, token, new Date(now + wait), detail(ctx, 2, `the engine's reload queue is full; offered again in ${Math.round(wait / 1000)} s`));
      return;
    }
    if (signal.aborted) {
      line('Execution stopped: the repository is shutting down');
      await ctx.stores.executionResults.finish(r.id, token, { status: TaskStatus.Aborted, stopTime: new Date(now), details: [detail(ctx, 1, 'stopped: the repository shut down during the run')], scriptLog: log.join('\n') });
      return;
    }
    const succeeded = outcome.kind === 'succeeded';
    line(succeeded ? 'Execution finished.' : `Execution failed: ${outcome.message}`);
    const stored = await ctx.stores.executionResults.finish(r.id, token, {
      status: succeeded ? TaskStatus.FinishedSuccess : TaskStatus.FinishedFail,
      stopTime: new Date(now),
      details: [detail(ctx, succeeded ? 2 : 0, succeeded ? 'Reload finished successfully' : outcome.message)],
      scriptLog: log.join('\n'),
    });
    if (!stored) {
      ctx.logger.warn('a task run finished after this repository lost the scheduler lease; its result was not recorded', { executionId: r.id });
      return;
    }
    const retry = !succeeded && r.attempt <= task.maxRetries;
    await ctx.audit.record({
      actor: { service: 'repository', user: SCHEDULER_USER_NAME },
      action: 'task.run',
      outcome: succeeded ? 'success' : 'failure',
      target: { type: 'ReloadTask', id: task.id },
      ...(succeeded ? {} : { reason: outcome.message.slice(0, 2000) }),
      details: { executionId: r.executionId, resultId: r.id, attempt: r.attempt, appId: r.appId, trigger: r.trigger, retry },
    });
    if (retry) {
      await ctx.stores.executionResults.trigger({ id: randomUUID(), taskId: task.id, appId: task.app.id, executionId: r.executionId, attempt: r.attempt + 1, trigger: r.trigger, notBefore: new Date(now + ctx.retryDelayMs), modifiedByUserName: SCHEDULER_USER_NAME });
      return;
    }
    await fireCompositeEvents(ctx, task.id, succeeded);
  }
}
