import { statfsSync } from 'node:fs';
import type { Metrics } from './metrics';

/** Below this much free space the data directory counts as low (TZ_DISK_LOW_FREE_BYTES). */
export const DEFAULT_DISK_LOW_FREE_BYTES = 1024 ** 3;

export interface DiskSpace {
  /** Bytes an unprivileged process may still write (what the service user gets). */
  freeBytes: number;
  sizeBytes: number;
  low: boolean;
}

/** Free space of the file system holding `path`; undefined when it cannot be read. */
export function diskSpace(path: string, lowFreeBytes: number): DiskSpace | undefined {
  try {
    const s = statfsSync(path);
    const freeBytes = s.bavail * s.bsize;
    return { freeBytes, sizeBytes: s.blocks * s.bsize, low: freeBytes < lowFreeBytes };
  } catch {
    return undefined;
  }
}

/** One line for logs and `tz site status`: what is low, how much is left, the threshold. */
export function lowDiskWarning(path: string, space: DiskSpace, lowFreeBytes: number): string {
  const mib = (n: number) => `${Math.floor(n / 1024 ** 2)} MiB`;
  return `${path} is low on disk space: ${mib(space.freeBytes)} free of ${mib(space.sizeBytes)} (warning below ${mib(lowFreeBytes)}); free space or grow the volume before writes fail (the audit trail refuses actions it cannot record)`;
}

/**
 * Gauges of the data directory's file system, read at scrape time: an alert rule on
 * `tz_data_dir_low_disk == 1` fires before the disk fills, instead of writes failing first.
 */
export function registerDiskGauges(metrics: Metrics, path: string, lowFreeBytes: number): void {
  metrics.gauge('tz_data_dir_free_bytes', 'Bytes free for the service user on the file system of the data directory', () => diskSpace(path, lowFreeBytes)?.freeBytes ?? -1);
  metrics.gauge('tz_data_dir_size_bytes', 'Size in bytes of the file system of the data directory', () => diskSpace(path, lowFreeBytes)?.sizeBytes ?? -1);
  metrics.gauge('tz_data_dir_low_disk', `1 while the data directory has less free space than TZ_DISK_LOW_FREE_BYTES (${lowFreeBytes} bytes here), else 0`, () => (diskSpace(path, lowFreeBytes)?.low ? 1 : 0));
}
