import { chmodSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { AppStoreErrorCode } from '../app-store.error';
import { tempDir } from '../testing/key-fixture';
import { appAuthKeyPath, createAppAuthKey, loadAppAuthKey } from './app-auth-key';

let dir: string;
let cleanup: () => void;
beforeEach(() => ({ dir, cleanup } = tempDir('tz-auth-key-')));
afterEach(() => cleanup());

describe('the app authentication key file', () => {
  it('is created once, 0600 in a 0700 folder, and never overwritten', async () => {
    const file = appAuthKeyPath(join(dir, 'keys'));
    expect(await createAppAuthKey(file)).toBe(true);
    const first = readFileSync(file, 'utf8');
    expect(first).toMatch(/^[0-9a-f]{64}\n$/);
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(statSync(join(dir, 'keys')).mode & 0o777).toBe(0o700);
    expect(await createAppAuthKey(file)).toBe(false);
    expect(readFileSync(file, 'utf8')).toBe(first);
    // Two loads of one file derive the same keys.
    const [a, b] = [await loadAppAuthKey(file), await loadAppAuthKey(file)];
    const dataKey = Buffer.alloc(32, 7);
    expect(a.gcmKey(dataKey).equals(b.gcmKey(dataKey))).toBe(true);
    expect(a.gcmKey(dataKey).equals(dataKey)).toBe(false);
  });

  it('a missing, group-readable or malformed key is refused, naming the file (and the command for a missing one)', async () => {
    const file = join(dir, 'app-auth.key');
    await expect(loadAppAuthKey(file)).rejects.toMatchObject({ code: AppStoreErrorCode.AuthKeyMissing, message: expect.stringContaining('tz apps authenticate') });
    writeFileSync(file, `${'ab'.repeat(32)}\n`, { mode: 0o640 });
    chmodSync(file, 0o640);
    await expect(loadAppAuthKey(file)).rejects.toMatchObject({ code: AppStoreErrorCode.KeyFileUnsafe, message: expect.stringContaining(file) });
    chmodSync(file, 0o600);
    expect(await loadAppAuthKey(file)).toBeTruthy();
    writeFileSync(file, 'not a key');
    await expect(loadAppAuthKey(file)).rejects.toMatchObject({ code: AppStoreErrorCode.AuthKeyInvalid, message: expect.stringContaining(file) });
  });
});
