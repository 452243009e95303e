import { readdir, readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { lockOwnerState, parseLockOwner } from '@trustzone/config';
import { appIdFromFileName } from '../app-id';
import { TEMP_PREFIX } from './atomic-file';

/**
 * Removes temp files of app saves that nobody is writing any more (left by a kill -9 of the engine
 * mid-save; found by `npm run chaos`). Every app save writes its temp file while holding that app's
 * `.lock-<id>` (app-lock.ts), so a temp file of an app whose lock is absent, or held by a pid that is
 * no longer alive, is an orphan; one whose lock is held by a live process is a save in progress
 * (another engine on this host, `tz apps rekey`) and stays, as does one whose lock names another host
 * (another engine container on the same volume: its liveness cannot be told from here). Returns what
 * was removed.
 */
export async function removeOrphanTemps(appsDir: string): Promise<string[]> {
  const removed: string[] = [];
  for (const name of await readdir(appsDir).catch(() => [] as string[])) {
    if (!name.startsWith(TEMP_PREFIX)) continue;
    // .tmp-<id>.tzapp.<random hex>
    const target = name.slice(TEMP_PREFIX.length).replace(/\.[0-9a-f]+$/, '');
    const appId = appIdFromFileName(target);
    if (appId === undefined) continue;
    const owner = parseLockOwner(await readFile(join(appsDir, `.lock-${appId}`), 'utf8').catch(() => ''));
    if (owner && lockOwnerState(owner) !== 'dead') continue;
    await rm(join(appsDir, name), { force: true });
    removed.push(name);
  }
  return removed;
}
