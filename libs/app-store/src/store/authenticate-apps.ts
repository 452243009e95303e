import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { appFileName, appIdFromFileName } from '../app-id';
import { AppStoreError, AppStoreErrorCode } from '../app-store.error';
import { authenticateLegacyFile } from '../format/app-file-codec';
import type { AppAuthKey } from '../keys/app-auth-key';
import type { KeyStore } from '../keys/key-store';
import { withAppLock } from './app-lock';
import { APP_FILE_MODE, readAppFile } from './app-store';
import { writeFileAtomic } from './atomic-file';
import { removeStaleTemps } from './rekey-apps';

export type AuthenticateOutcome = 'authenticated' | 'skipped' | 'failed';

export interface AuthenticateProgress {
  appId: string;
  index: number;
  total: number;
  outcome: AuthenticateOutcome;
  error?: AppStoreError;
}

export interface AuthenticateResult {
  total: number;
  /** App ids migrated from format 1, for the operator to check against what they expect. */
  authenticated: string[];
  skipped: number;
  failed: Array<{ appId: string; code: AppStoreErrorCode; message: string }>;
}

/**
 * The migration to authenticated app files (`tz apps authenticate`): every format-1 file whose own
 * checks pass (GCM tag or SHA-256) is written again in format 2, under the site's app
 * authentication key, atomically and under the per-app lock (online-safe, idempotent, resumable).
 * It trusts what is on disk, so an operator runs it once after upgrading, on app files they trust;
 * the ids it migrated are returned (and audited by the CLI). Encrypted files need their private key
 * (to verify) and its certificate (to wrap the new data key) in the key store.
 */
export async function authenticateApps(options: { appsDir: string; keyStore?: KeyStore; authKey: AppAuthKey; onProgress?: (p: AuthenticateProgress) => void | Promise<void>; lockTimeoutMs?: number }): Promise<AuthenticateResult> {
  const { appsDir, keyStore, authKey } = options;
  await removeStaleTemps(appsDir);
  const ids = (await readdir(appsDir)).map(appIdFromFileName).filter((id): id is string => id !== undefined).sort();
  const result: AuthenticateResult = { total: ids.length, authenticated: [], skipped: 0, failed: [] };
  const noKeys = (thumbprint: string, appId: string): never => {
    throw new AppStoreError(AppStoreErrorCode.UnknownKey, `app ${appId}: encrypted under key ${thumbprint}, but no key store is available`, { appId, thumbprint });
  };
  for (const [i, appId] of ids.entries()) {
    let outcome: AuthenticateOutcome;
    let error: AppStoreError | undefined;
    try {
      outcome = await withAppLock(appsDir, appId, options.lockTimeoutMs ?? 10_000, async () => {
        const parts = authenticateLegacyFile(
          await readAppFile(appsDir, appId),
          appId,
          keyStore ? (t, id) => keyStore.privateKeyFor(t, id) : noKeys,
          (t) => (keyStore ? keyStore.wrappingKey(t) : noKeys(t, appId)),
          authKey,
        );
        if (parts === null) return 'skipped';
        await writeFileAtomic(join(appsDir, appFileName(appId)), parts, APP_FILE_MODE);
        return 'authenticated';
      });
    } catch (caught) {
      if (!(caught instanceof AppStoreError)) throw caught;
      outcome = 'failed';
      error = caught;
      result.failed.push({ appId, code: caught.code, message: caught.message });
    }
    if (outcome === 'authenticated') result.authenticated.push(appId);
    else if (outcome === 'skipped') result.skipped += 1;
    await options.onProgress?.({ appId, index: i + 1, total: ids.length, outcome, ...(error ? { error } : {}) });
  }
  return result;
}
