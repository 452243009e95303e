import { chmodSync, mkdtempSync, rmSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { assertPrivateKeyFileSafe } from './key-file-permissions';
import { TrustErrorCode } from './trust.error';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'tz-keymode-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

function keyWithMode(mode: number): string {
  const path = join(dir, `key-${mode.toString(8)}.pem`);
  writeFileSync(path, 'x');
  chmodSync(path, mode);
  return path;
}

describe('assertPrivateKeyFileSafe', () => {
  it.each([0o600, 0o400])('accepts mode 0%s owned by this user', (mode) => {
    expect(() => assertPrivateKeyFileSafe(keyWithMode(mode))).not.toThrow();
  });

  it.each([0o644, 0o640, 0o604, 0o660, 0o606, 0o700 | 0o070])('refuses mode 0%s, naming the file and the expected mode', (mode) => {
    const path = keyWithMode(mode);
    expect(() => assertPrivateKeyFileSafe(path)).toThrow(expect.objectContaining({ code: TrustErrorCode.KeyFileUnsafe, file: path, message: expect.stringContaining('expected 0600') }));
  });

  it('refuses a missing file and a directory', () => {
    expect(() => assertPrivateKeyFileSafe(join(dir, 'nope.pem'))).toThrow(expect.objectContaining({ code: TrustErrorCode.FileMissing }));
    const sub = join(dir, 'sub');
    mkdirSync(sub, { mode: 0o700 });
    expect(() => assertPrivateKeyFileSafe(sub)).toThrow(expect.objectContaining({ code: TrustErrorCode.KeyFileUnsafe }));
  });
});
