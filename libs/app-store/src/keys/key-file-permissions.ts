import type { Stats } from 'node:fs';
import { AppStoreError, AppStoreErrorCode } from '../app-store.error';

/**
 * The SSH rule the trust lib applies to every private key (trust-zone.md "Server security"): a key
 * file must be a regular file (not a symlink), mode 0600 or stricter, and owned by the user the
 * service runs as. Anything else is refused, naming the file and the expected mode.
 */
export function assertKeyFileSafe(file: string, stats: Stats): void {
  if (stats.isSymbolicLink() || !stats.isFile()) {
    throw new AppStoreError(AppStoreErrorCode.KeyFileUnsafe, `key file ${file} must be a regular file, not a link`, { file });
  }
  const mode = stats.mode & 0o777;
  if ((mode & 0o077) !== 0) {
    throw new AppStoreError(AppStoreErrorCode.KeyFileUnsafe, `key file ${file} is accessible by group or others (mode ${mode.toString(8).padStart(4, '0')}); it must be 0600`, { file });
  }
  const uid = process.getuid?.();
  if (uid !== undefined && stats.uid !== uid) {
    throw new AppStoreError(AppStoreErrorCode.KeyFileUnsafe, `key file ${file} is owned by uid ${stats.uid}, not by the service user (uid ${uid})`, { file });
  }
}
