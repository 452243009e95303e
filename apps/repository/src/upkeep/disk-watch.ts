import { diskSpace, lowDiskWarning, registerDiskGauges, type Metrics } from '@trustzone/service-host';
import type { Logger } from '@trustzone/logging';

const CHECK_MS = 30_000;

/**
 * The data directory's free space as gauges on /metrics, and one log line each time it goes low
 * (and back). An alert, never a refusal: the repository keeps serving; the audit trail is what
 * would refuse actions once writes actually fail, and this is the warning before that.
 */
export function watchDataDirDisk(o: { dataDir: string; lowFreeBytes: number; metrics: Metrics; logger: Logger }): { stop(): void } {
  registerDiskGauges(o.metrics, o.dataDir, o.lowFreeBytes);
  let wasLow = false;
  const check = (): void => {
    const space = diskSpace(o.dataDir, o.lowFreeBytes);
    if (!space || space.low === wasLow) return;
    wasLow = space.low;
    if (space.low) o.logger.warn(lowDiskWarning(o.dataDir, space, o.lowFreeBytes), { freeBytes: space.freeBytes });
    else o.logger.info('the data directory has enough free space again', { freeBytes: space.freeBytes });
  };
  check();
  const timer = setInterval(check, CHECK_MS);
  timer.unref();
  return { stop: () => clearInterval(timer) };
}
