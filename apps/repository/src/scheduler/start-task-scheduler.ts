import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import type { ServiceHost } from '@trustzone/service-host';
import type { RepositoryConfig } from '../config';
import type { RepositoryCore } from '../repository-core';
import { engineTaskReloader } from './engine-task-reloader';
import { TaskScheduler } from './task-scheduler';

/** The engines tasks run on: TZ_ENGINE_ADDRESSES, else TZ_ENGINE_ADDRESS (as the proxy reads them). */
export function engineAddresses(config: Pick<RepositoryConfig, 'engineAddress' | 'engineAddresses'>): string[] {
  const list = config.engineAddresses?.split(',').map((s) => s.trim()).filter((s) => s !== '');
  return list && list.length > 0 ? list : [config.engineAddress];
}

/** Starts this repository's scheduler (it competes for the site's lease); stop() hands the lease back. */
export function startTaskScheduler(config: RepositoryConfig, host: ServiceHost, core: RepositoryCore): { scheduler: TaskScheduler; stop(): Promise<void> } {
  const engines = engineTaskReloader(engineAddresses(config), host.tls);
  const node = `${hostname()}:${config.port}:${process.pid}:${randomBytes(4).toString('hex')}`;
  const scheduler = new TaskScheduler(
    { stores: core.stores, audit: core.audit, logger: host.logger.child({ component: 'scheduler' }), reload: engines.reload, now: Date.now, node, retryDelayMs: config.taskRetryDelayMs, busyDelayMs: config.engineBusyDelayMs },
    { tickMs: config.schedulerTickMs, leaseMs: config.schedulerLeaseMs, concurrency: config.schedulerConcurrency },
  );
  scheduler.start();
  return {
    scheduler,
    async stop() {
      await scheduler.stop();
      engines.close();
    },
  };
}
