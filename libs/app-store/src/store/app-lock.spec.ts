import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { AppStoreErrorCode } from '../app-store.error';
import { withAppLock } from './app-lock';

// Engines in containers share the apps volume from separate PID namespaces, each numbering pids
// from 1: a pid alone in the lock file meant another container's live save could be taken over
// (its pid not alive here) and a restarted container's own stale lock waited for (its pid is ours).
const NO_SUCH_PID = 2 ** 22 + 7;
let dir: string;
beforeEach(() => void (dir = mkdtempSync(join(tmpdir(), 'tz-app-lock-'))));
afterEach(() => rmSync(dir, { recursive: true, force: true }));
const lockFile = (appId: string) => join(dir, `.lock-${appId}`);

describe('withAppLock across hosts (containers)', () => {
  it('writes its pid and host, and removes the lock when done', async () => {
    const seen = await withAppLock(dir, 'a1', 1_000, async () => readFileSync(lockFile('a1'), 'utf8'));
    expect(seen).toBe(`${process.pid}@${hostname()}`);
    expect(existsSync(lockFile('a1'))).toBe(false);
  });

  it('never takes over a lock of another host, even with a pid that is dead (or ours) here', async () => {
    for (const pid of [NO_SUCH_PID, process.pid]) {
      writeFileSync(lockFile('a2'), `${pid}@engine2-container`);
      await expect(withAppLock(dir, 'a2', 200, async () => 'ran')).rejects.toMatchObject({ code: AppStoreErrorCode.LockTimeout, message: expect.stringContaining('on host engine2-container') });
      expect(readFileSync(lockFile('a2'), 'utf8')).toBe(`${pid}@engine2-container`);
    }
  });

  it('takes over stale locks of this host: a dead pid (also without a host), or our own pid that we do not hold', async () => {
    for (const stale of [`${NO_SUCH_PID}@${hostname()}`, String(NO_SUCH_PID), `${process.pid}@${hostname()}`]) {
      writeFileSync(lockFile('a3'), stale);
      expect(await withAppLock(dir, 'a3', 1_000, async () => 'ran')).toBe('ran');
    }
  });
});
