import type { Logger } from '@trustzone/logging';
import type { RepositoryStores } from '../db';
import type { RepositoryAudit } from '../audit/repository-audit';
import type { TaskReloader } from './task-reloader';

/** What the scheduler's parts share; `now` is injectable so tests can drive time. */
export interface SchedulerContext {
  stores: RepositoryStores;
  audit: RepositoryAudit;
  logger: Logger;
  reload: TaskReloader;
  now: () => number;
  /** This repository in the lease and in execution results (executingNodeName). */
  node: string;
  retryDelayMs: number;
  busyDelayMs: number;
}

export const detail = (ctx: SchedulerContext, detailsType: 0 | 1 | 2, message: string) => ({ detailsType, message: message.slice(0, 4096), detailCreatedDate: new Date(ctx.now()).toISOString() });
