import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger } from '@trustzone/logging';
import { TaskStatus } from '../db';
import { testProviders } from '../db/test-database';
import { asUser, startRepository, type RepositoryHarness } from '../test-support/repository-harness';
import { repositoryCalls } from '../test-support/repository-calls';
import type { SchedulerContext } from './scheduler-context';
import { TaskScheduler } from './task-scheduler';
import type { ReloadAttempt, ReloadRequestForTask } from './task-reloader';

/**
 * The scheduler against a real database with an injected clock and a recording reloader (the engine
 * path is covered end to end in apps/site-tests): two schedulers of one site compete for the lease as
 * two repositories would.
 */
describe.each(testProviders())('task scheduler on %s', (provider) => {
  let h: RepositoryHarness;
  const admin = asUser('CORP', 'admin');
  let clock = Date.now();
  const reloads: { node: string; req: ReloadRequestForTask }[] = [];
  let answer: (req: ReloadRequestForTask) => ReloadAttempt = () => ({ kind: 'succeeded' });

  const scheduler = (node: string, leaseMs = 10_000, reload?: SchedulerContext['reload']) => {
    const ctx: SchedulerContext = {
      stores: h.repository.core.stores, audit: h.repository.core.audit, logger: createLogger({ service: 'repository', level: 'error' }),
      now: () => clock, node, retryDelayMs: 1_000, busyDelayMs: 2_000,
      reload: reload ?? (async (req) => {
        reloads.push({ node, req });
        return answer(req);
      }),
    };
    return new TaskScheduler(ctx, { tickMs: 1_000_000, leaseMs, concurrency: 4 });
  };
  /** Ticks each scheduler and waits for the runs it started, twice (a run's end may queue another). */
  const tick = async (...s: TaskScheduler[]) => {
    for (let round = 0; round < 2; round++) {
      for (const x of s) {
        await x.tick();
        await x.idle();
      }
    }
  };

  const q = () => repositoryCalls(h.proxy);
  const results = async (taskId: string) => (await h.repository.core.stores.executionResults.list()).filter((r) => r.task.id === taskId);
  const wall = (t: number) => new Date(t).toISOString().slice(0, 23);

  async function task(name: string, more: Record<string, unknown> = {}) {
    const app = await q().create('app', { name: `${name} app` }, admin);
    return q().create('reloadtask', { name, app: { id: app.id }, ...more }, admin);
  }

  beforeAll(async () => {
    h = await startRepository(provider, { TZ_SCHEDULER: 'false' });
  });
  afterAll(() => h?.stop());

  it('one lease for two schedulers: only the holder runs; the other takes over once it expires, with a larger token', async () => {
    const a = scheduler(`a-${randomUUID()}`, 5_000);
    const b = scheduler(`b-${randomUUID()}`, 5_000);
    await a.tick();
    await b.tick();
    expect(a.leaderToken).not.toBeNull();
    expect(b.leaderToken).toBeNull();
    clock += 6_000;
    await b.tick();
    expect(b.leaderToken).toBeGreaterThan(a.leaderToken as number);
    await a.tick();
    expect(a.leaderToken).toBeNull();
    await b.stop();
    // A released lease is free at once.
    await a.tick();
    expect(a.leaderToken).not.toBeNull();
    await a.stop();
  });

  it('a due schema event fires exactly once with two schedulers ticking, and moves to its next occurrence', async () => {
    const t = await task('every minute');
    const start = clock + 30_000;
    await q().create('schemaevent', { name: 'minutely', reloadTask: { id: t.id }, timeZone: 'UTC', startDate: wall(start), incrementOption: 5, incrementDescription: '1 0 0 0' }, admin);
    const a = scheduler(`a-${randomUUID()}`);
    const b = scheduler(`b-${randomUUID()}`);
    await tick(a, b);
    expect(await results(t.id as string)).toEqual([]);
    clock = start;
    reloads.length = 0;
    await tick(a, b, a, b);
    const runs = await results(t.id as string);
    expect(runs.map((r) => [r.status, r.trigger.startsWith('schema:')])).toEqual([[TaskStatus.FinishedSuccess, true]]);
    expect(reloads.filter((r) => r.req.appId === runs[0]!.appId)).toHaveLength(1);
    const event = (await h.repository.core.stores.schemaEvents.list()).find((e) => e.reloadTask.id === t.id)!;
    expect(event.nextExecution?.getTime()).toBe(start + 60_000);
    expect(event.lastExecution?.getTime()).toBe(start);
    await a.stop();
    await b.stop();
  });

  it('a disabled task\'s trigger passes without a run and moves on', async () => {
    const t = await task('disabled', { enabled: false });
    const start = clock + 5_000;
    await q().create('schemaevent', { name: 'hourly', reloadTask: { id: t.id }, timeZone: 'UTC', startDate: wall(start), incrementOption: 1, incrementDescription: '0 1 0 0' }, admin);
    const s = scheduler(`s-${randomUUID()}`);
    clock = start + 10;
    await tick(s);
    expect(await results(t.id as string)).toEqual([]);
    const event = (await h.repository.core.stores.schemaEvents.list()).find((e) => e.reloadTask.id === t.id)!;
    expect(event.nextExecution?.getTime()).toBe(start + 3_600_000);
    await s.stop();
  });

  it('a deposed leader cannot record a run it started: the new leader closes it, the late result is dropped', async () => {
    const t = await task('slow');
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    // a's engine takes until the gate opens; meanwhile a stops renewing its lease (no ticks).
    const a = scheduler(`a-${randomUUID()}`, 2_000, async () => {
      await gate;
      return { kind: 'succeeded' };
    });
    const b = scheduler(`b-${randomUUID()}`, 2_000);
    await a.tick();
    await h.repository.core.stores.executionResults.trigger({ id: randomUUID(), taskId: t.id, appId: (t.app as { id: string }).id, executionId: randomUUID(), attempt: 1, trigger: 'manual', notBefore: new Date(clock), modifiedByUserName: 'test' });
    await a.tick();
    const [claimed] = await results(t.id as string);
    expect(claimed!.status).toBe(TaskStatus.Started);
    clock += 3_000;
    await b.tick();
    expect((await results(t.id as string))[0]!.status).toBe(TaskStatus.Error);
    release();
    await a.idle();
    expect((await results(t.id as string))[0]!.status).toBe(TaskStatus.Error);
    await a.stop();
    await b.stop();
  });

  it('a failed run is retried while the task allows, a full engine queue is not a failure, then the composite event runs the next task', async () => {
    const first = await task('extract', { maxRetries: 1 });
    const second = await task('transform');
    await q().create('compositeevent', { name: 'after extract', reloadTask: { id: second.id }, compositeRules: [{ reloadTask: { id: first.id }, ruleState: 1 }] }, admin);
    const s = scheduler(`s-${randomUUID()}`);
    const firstApp = (first.app as { id: string }).id;
    let calls = 0;
    answer = (req) => {
      if (req.appId !== firstApp) return { kind: 'succeeded' };
      calls++;
      if (calls === 1) return { kind: 'busy' };
      if (calls === 2) return { kind: 'failed', message: 'line 1: no such table' };
      return { kind: 'succeeded' };
    };
    const started = JSON.parse((await h.proxy.unary('StartTask', { taskId: first.id, name: '', synchronous: false }, { deadlineMs: 5_000, user: admin })).json) as { value: string };
    // A manual start is due at the real time of the call.
    clock = Math.max(clock, Date.now() + 1_000);
    await tick(s);
    let runs = await results(first.id as string);
    expect(runs.map((r) => r.status)).toEqual([TaskStatus.Queued]);
    clock += 2_000;
    await tick(s);
    runs = await results(first.id as string);
    expect(runs.map((r) => [r.attempt, r.status]).sort()).toEqual([[1, TaskStatus.FinishedFail], [2, TaskStatus.Triggered]]);
    expect(await results(second.id as string)).toEqual([]);
    clock += 1_000;
    await tick(s, s);
    runs = await results(first.id as string);
    expect(runs.map((r) => [r.attempt, r.status, r.executionId]).sort()).toEqual([[1, TaskStatus.FinishedFail, started.value], [2, TaskStatus.FinishedSuccess, started.value]]);
    expect(runs.find((r) => r.attempt === 1)!.id).toBe(started.value);
    const chained = await results(second.id as string);
    expect(chained.map((r) => [r.status, r.trigger.startsWith('composite:')])).toEqual([[TaskStatus.FinishedSuccess, true]]);
    expect(calls).toBe(3);
    answer = () => ({ kind: 'succeeded' });
    await s.stop();
  });
});
