import { open, readFile, rm, stat } from 'node:fs/promises';
import { resolve } from 'node:path';
import { lockOwnerState, lockOwnerText, parseLockOwner } from '@trustzone/config';
import { AppStoreError, AppStoreErrorCode } from '../app-store.error';

const RETRY_MS = 20;
/** A lock file without a pid (crash between create and write) is stale after this long. */
const EMPTY_LOCK_STALE_MS = 5000;

const inProcess = new Map<string, Promise<void>>();

/**
 * Serialises writers of one app across processes (the engine saving, `tz apps rekey` re-wrapping):
 * without it a rekey could rename an old version over a newer save. The lock is a `.lock-<id>`
 * file created with O_EXCL holding the owner's pid and host (engines in containers share the apps
 * volume from separate PID namespaces: lockOwnerState); a lock whose owner died (kill -9), or that
 * names our own pid and host while we do not hold it (a restarted container), is taken over; one of
 * another host is waited for, never taken.
 * Readers need no lock: they only ever see a complete file (atomic rename).
 */
export async function withAppLock<T>(appsDir: string, appId: string, timeoutMs: number, fn: () => Promise<T>): Promise<T> {
  const path = resolve(appsDir, `.lock-${appId}`);
  // Same-process callers queue on a promise first, so they don't spin on their own lock file.
  while (inProcess.has(path)) await inProcess.get(path);
  let release!: () => void;
  inProcess.set(path, new Promise<void>((r) => (release = r)));
  try {
    await acquire(path, appId, timeoutMs);
    try {
      return await fn();
    } finally {
      await rm(path, { force: true });
    }
  } finally {
    inProcess.delete(path);
    release();
  }
}

async function acquire(path: string, appId: string, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      const handle = await open(path, 'wx', 0o600);
      await handle.writeFile(lockOwnerText());
      await handle.close();
      return;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }
    const owner = parseLockOwner(await readFile(path, 'utf8').catch(() => ''));
    const emptyAndOld = !owner && Date.now() - ((await stat(path).catch(() => undefined))?.mtimeMs ?? Date.now()) > EMPTY_LOCK_STALE_MS;
    // 'mine': same-process writers queue on inProcess above, so a file naming us is not ours.
    const state = owner ? lockOwnerState(owner) : undefined;
    if (state === 'dead' || state === 'mine' || emptyAndOld) {
      await rm(path, { force: true });
      continue;
    }
    if (Date.now() > deadline) {
      const who = owner ? `process ${owner.pid}${owner.host ? ` on host ${owner.host}` : ''}` : 'an unknown process';
      throw new AppStoreError(AppStoreErrorCode.LockTimeout, `app ${appId} is being written by ${who} (lock ${path})`, { appId });
    }
    await new Promise((r) => setTimeout(r, RETRY_MS));
  }
}
