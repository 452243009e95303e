import { fireDueSchemaEvents } from './schema-event-firing';
import { detail, type SchedulerContext } from './scheduler-context';
import { SCHEDULER_USER_NAME } from './scheduler-identity';
import { TaskRuns } from './task-runs';

export const SCHEDULER_LEASE = 'scheduler';

export interface TaskSchedulerOptions {
  tickMs: number;
  leaseMs: number;
  concurrency: number;
}

/**
 * Qlik's scheduler service (QSS) inside the repository. Every repository of a site runs one; only
 * the holder of the database lease (db/scheduler-lease-store.ts) fires triggers and runs tasks.
 * Each tick: renew or take the lease; on becoming leader, close the runs a previous leader left
 * behind (marked Error); fire due schema events; start queued runs. A tick that fails (database
 * briefly unreachable) is logged and the next one tries again.
 */
export class TaskScheduler {
  private timer: NodeJS.Timeout | undefined;
  private ticking: Promise<void> | undefined;
  private stopped = false;
  private token: number | null = null;
  private readonly runs: TaskRuns;

  constructor(private readonly ctx: SchedulerContext, private readonly o: TaskSchedulerOptions) {
    this.runs = new TaskRuns(ctx, o.concurrency);
  }

  /** The fencing token while this repository leads, else null. */
  get leaderToken(): number | null {
    return this.token;
  }

  start(): void {
    this.stopped = false;
    this.schedule(0);
  }

  /** One tick now (tests drive the scheduler with an injected clock). */
  tick(): Promise<void> {
    this.ticking ??= this.once().finally(() => {
      this.ticking = undefined;
    });
    return this.ticking;
  }

  /** Resolves once the runs started so far have finished (tests, and nothing else, wait on it). */
  idle(): Promise<void> {
    return this.runs.settled();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    await this.ticking;
    await this.runs.stop();
    if (this.token !== null) {
      await this.ctx.stores.schedulerLeases.release(SCHEDULER_LEASE, this.ctx.node, this.token).catch(() => undefined);
      this.token = null;
    }
  }

  private schedule(ms: number): void {
    if (this.stopped) return;
    this.timer = setTimeout(() => {
      void this.tick().finally(() => this.schedule(this.o.tickMs));
    }, ms);
    this.timer.unref();
  }

  private async once(): Promise<void> {
    try {
      const lease = await this.ctx.stores.schedulerLeases.acquire(SCHEDULER_LEASE, this.ctx.node, this.o.leaseMs, new Date(this.ctx.now()));
      if (!lease) {
        if (this.token !== null) this.ctx.logger.warn('this repository lost the scheduler lease; another repository schedules tasks now', { node: this.ctx.node });
        this.token = null;
        return;
      }
      if (lease.token !== this.token) await this.becameLeader(lease.token);
      await fireDueSchemaEvents(this.ctx);
      await this.runs.claimAndStart(lease.token);
    } catch (e) {
      this.ctx.logger.error('scheduler tick failed; retrying at the next tick', { error: e instanceof Error ? e.message : String(e) });
    }
  }

  private async becameLeader(token: number): Promise<void> {
    this.token = token;
    const stale = await this.ctx.stores.executionResults.abandonStale(token, new Date(this.ctx.now()), detail(this.ctx, 0, 'the scheduler that ran this attempt stopped (its lease expired); the attempt is closed as an error'));
    this.ctx.logger.info('this repository now runs the scheduler', { node: this.ctx.node, token, closedRuns: stale.length });
    await this.ctx.audit.record({ actor: { service: 'repository', user: SCHEDULER_USER_NAME }, action: 'scheduler.lead', outcome: 'success', details: { node: this.ctx.node, token, closedRuns: stale.map((r) => r.id) } });
  }
}
