import { readdir, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { appFileName, appIdFromFileName } from '../app-id';
import { AppStoreError } from '../app-store.error';
import type { AppStoreErrorCode } from '../app-store.error';
import { rewrapAppFile } from '../format/app-file-codec';
import type { AppAuthKey } from '../keys/app-auth-key';
import type { KeyStore } from '../keys/key-store';
import { FORMAT_VERSION } from '../format/app-file-format';
import { APP_FILE_MODE, readAppFile, readAppHeader } from './app-store';
import { withAppLock } from './app-lock';
import { TEMP_PREFIX, writeFileAtomic } from './atomic-file';

export type RekeyOutcome = 'rewrapped' | 'encrypted' | 'skipped' | 'failed';

export interface RekeyProgress {
  appId: string;
  /** 1-based position and total, for a progress bar. */
  index: number;
  total: number;
  outcome: RekeyOutcome;
  error?: AppStoreError;
}

export interface RekeyOptions {
  appsDir: string;
  keyStore: KeyStore;
  /** The site's app authentication key (files stay authenticated under it). */
  authKey: AppAuthKey;
  /** Thumbprint of the key every app should end up under; it must be in the key store. */
  toThumbprint: string;
  /** Called after each app. Throwing aborts the run; every file is still whole (old or new). */
  onProgress?: (progress: RekeyProgress) => void | Promise<void>;
  /** Encrypt checksummed-only files too (default true): turning encryption on should cover old apps. */
  encryptPlain?: boolean;
  lockTimeoutMs?: number;
}

export interface RekeyResult {
  total: number;
  rewrapped: number;
  encrypted: number;
  skipped: number;
  failed: Array<{ appId: string; code: AppStoreErrorCode; message: string }>;
}

/** Temp files older than this are leftovers of a crashed write, not a write in progress. */
const STALE_TEMP_MS = 60_000;

export async function removeStaleTemps(appsDir: string): Promise<void> {
  for (const name of await readdir(appsDir)) {
    if (!name.startsWith(TEMP_PREFIX)) continue;
    const s = await stat(join(appsDir, name)).catch(() => undefined);
    if (s && Date.now() - s.mtimeMs > STALE_TEMP_MS) await rm(join(appsDir, name), { force: true });
  }
}

/**
 * Re-wraps every app's data key under `toThumbprint` (trust-zone.md: `tz apps rekey --to`).
 * Online-safe: each file is replaced atomically under the per-app write lock the engine's saves
 * also take. Idempotent and resumable: files already under the target are skipped, so rerunning an
 * interrupted run finishes it. A file that cannot be re-wrapped (unknown key, damaged) is reported
 * and left untouched; the run goes on with the others.
 */
export async function rekeyApps(options: RekeyOptions): Promise<RekeyResult> {
  const { appsDir, keyStore, toThumbprint } = options;
  const target = keyStore.wrappingKey(toThumbprint);
  const encryptPlain = options.encryptPlain ?? true;
  await removeStaleTemps(appsDir);
  const ids = (await readdir(appsDir)).map(appIdFromFileName).filter((id): id is string => id !== undefined).sort();
  const result: RekeyResult = { total: ids.length, rewrapped: 0, encrypted: 0, skipped: 0, failed: [] };
  for (const [i, appId] of ids.entries()) {
    let outcome: RekeyOutcome;
    let error: AppStoreError | undefined;
    try {
      outcome = await withAppLock(appsDir, appId, options.lockTimeoutMs ?? 10_000, async () => {
        const info = await readAppHeader(appsDir, appId);
        // A format-1 file is not skipped: the rewrap refuses it (LEGACY_FORMAT), so the run reports it.
        if (info.version === FORMAT_VERSION && (info.mode === 'encrypted' ? info.thumbprint === target.thumbprint : !encryptPlain)) return 'skipped';
        const parts = rewrapAppFile(await readAppFile(appsDir, appId), appId, (t, id) => keyStore.privateKeyFor(t, id), target, options.authKey);
        await writeFileAtomic(join(appsDir, appFileName(appId)), parts, APP_FILE_MODE);
        return info.mode === 'encrypted' ? 'rewrapped' : 'encrypted';
      });
    } catch (caught) {
      if (!(caught instanceof AppStoreError)) throw caught;
      outcome = 'failed';
      error = caught;
      result.failed.push({ appId, code: caught.code, message: caught.message });
    }
    if (outcome !== 'failed') result[outcome] += 1;
    await options.onProgress?.({ appId, index: i + 1, total: ids.length, outcome, ...(error ? { error } : {}) });
  }
  return result;
}
