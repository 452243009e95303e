import { tmpdir } from 'node:os';
import { describe, expect, it } from 'vitest';
import { diskSpace, lowDiskWarning, registerDiskGauges } from './disk-space';
import { Metrics } from './metrics';

describe('data directory disk space', () => {
  it('reads the file system of a path and says low below the threshold', () => {
    const space = diskSpace(tmpdir(), 0);
    expect(space?.sizeBytes).toBeGreaterThan(0);
    expect(space?.freeBytes).toBeGreaterThanOrEqual(0);
    expect(space?.low).toBe(false);
    expect(diskSpace(tmpdir(), Number.MAX_SAFE_INTEGER)?.low).toBe(true);
    expect(diskSpace('/nonexistent/path/for/sure', 0)).toBeUndefined();
    expect(lowDiskWarning('/data', { freeBytes: 300 * 1024 ** 2, sizeBytes: 10 * 1024 ** 3, low: true }, 1024 ** 3)).toBe(
      '/data is low on disk space: 300 MiB free of 10240 MiB (warning below 1024 MiB); free space or grow the volume before writes fail (the audit trail refuses actions it cannot record)',
    );
  });

  it('exposes free bytes and the low-disk state as gauges read at scrape time', () => {
    const m = new Metrics();
    registerDiskGauges(m, tmpdir(), Number.MAX_SAFE_INTEGER);
    const text = m.render();
    expect(text).toMatch(/^tz_data_dir_free_bytes \d+$/m);
    expect(text).toMatch(/^tz_data_dir_size_bytes [1-9]\d*$/m);
    expect(text).toMatch(/^tz_data_dir_low_disk 1$/m);
    const relaxed = new Metrics();
    registerDiskGauges(relaxed, tmpdir(), 0);
    expect(relaxed.render()).toMatch(/^tz_data_dir_low_disk 0$/m);
  });
});
