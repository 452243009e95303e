import { closeSync, openSync, rmSync, statSync } from 'node:fs';
import { TrustError, TrustErrorCode } from './trust.error';

const WAIT_MS = 5000;
/** A lock older than this belongs to a process that died mid-operation. */
const STALE_MS = 30_000;

/**
 * Serializes CA operations (rotate, revoke, export) across processes: two concurrent revokes must
 * not each write a CRL that lacks the other's serial.
 */
export async function withSiteLock<T>(lockPath: string, fn: () => Promise<T>): Promise<T> {
  const deadline = Date.now() + WAIT_MS;
  for (;;) {
    try {
      closeSync(openSync(lockPath, 'wx', 0o600));
      break;
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') {
        throw new TrustError(TrustErrorCode.FileMissing, `${lockPath}: cannot create lock (${(e as NodeJS.ErrnoException).code ?? 'error'})`, lockPath);
      }
      if (isStale(lockPath)) {
        rmSync(lockPath, { force: true });
        continue;
      }
      if (Date.now() > deadline) throw new TrustError(TrustErrorCode.SiteLocked, `${lockPath}: another tz command holds the site lock`, lockPath);
      await new Promise((r) => setTimeout(r, 50));
    }
  }
  try {
    return await fn();
  } finally {
    rmSync(lockPath, { force: true });
  }
}

function isStale(path: string): boolean {
  try {
    return Date.now() - statSync(path).mtimeMs > STALE_MS;
  } catch {
    return false;
  }
}
