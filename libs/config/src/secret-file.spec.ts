import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { readSecretFile } from './secret-file';

const dir = mkdtempSync(join(tmpdir(), 'tz-secret-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('readSecretFile', () => {
  it('returns the content without the trailing newline an editor adds', () => {
    writeFileSync(join(dir, 'url'), 'redis://:s3cret@redis:6379\n');
    expect(readSecretFile(join(dir, 'url'), 'TZ_REDIS_URL_FILE')).toBe('redis://:s3cret@redis:6379');
  });

  it('names the variable and the file, never the content, when the file is missing or empty', () => {
    expect(() => readSecretFile(join(dir, 'missing'), 'TZ_REDIS_URL_FILE')).toThrow(/^TZ_REDIS_URL_FILE: cannot read .*missing \(ENOENT\)$/);
    writeFileSync(join(dir, 'empty'), ' \n');
    expect(() => readSecretFile(join(dir, 'empty'), 'TZ_DATABASE_URL_FILE')).toThrow(expect.objectContaining({ code: 'CONFIG_INVALID', message: expect.stringMatching(/TZ_DATABASE_URL_FILE: .*empty is empty/) }));
  });
});
