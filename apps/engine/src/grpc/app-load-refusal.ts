import { AppStoreError, AppStoreErrorCode } from '@trustzone/app-store';
import { QixError, QixErrorCode } from '../qix';

const KEY_MISSING = new Set<AppStoreErrorCode>([AppStoreErrorCode.UnknownKey, AppStoreErrorCode.KeyStoreMissing]);
const INTEGRITY = new Set<AppStoreErrorCode>([
  AppStoreErrorCode.BadMagic, AppStoreErrorCode.UnsupportedVersion, AppStoreErrorCode.Truncated, AppStoreErrorCode.TrailingData,
  AppStoreErrorCode.HeaderInvalid, AppStoreErrorCode.HeaderChecksum, AppStoreErrorCode.AppIdMismatch,
  AppStoreErrorCode.AuthFailed, AppStoreErrorCode.PayloadChecksum,
]);

function kindOf(error: unknown): string {
  if (!(error instanceof AppStoreError)) return 'the app could not be loaded';
  if (error.code === AppStoreErrorCode.LegacyFormat) return 'its file is in a format not authenticated by this site (an operator must run tz apps authenticate)';
  // Also a file not written by an engine of this site (forged without the app authentication key):
  // to the engine it is a file changed since an engine wrote it; the audit reason says which check failed.
  if (INTEGRITY.has(error.code)) return 'integrity check failed (the app file was changed or damaged)';
  if (KEY_MISSING.has(error.code)) return 'its decryption key is not available to the engine';
  if (error.code === AppStoreErrorCode.UnwrapFailed) return 'its data key could not be unwrapped (wrong key or altered key slot)';
  return 'the app could not be loaded';
}

/**
 * What a QIX client is told when an app it may read (the repository said so just before) cannot be
 * loaded: the app and the kind of failure, so a damaged or undecryptable app is not mistaken for a
 * missing one. File paths, regions and key thumbprints stay in the log and the audit record.
 */
export function appLoadRefusal(appId: string, error: unknown): QixError {
  const reason = error instanceof Error ? error.message : 'load failed';
  if (error instanceof AppStoreError && error.code === AppStoreErrorCode.NotFound) return new QixError(QixErrorCode.APP_NOT_FOUND, 'App not found', { reason });
  return new QixError(QixErrorCode.APP_NOT_FOUND, 'App could not be opened', { parameter: `${appId}: ${kindOf(error)}`, reason });
}
