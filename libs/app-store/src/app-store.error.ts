/** String codes so the engine, the CLI and the audit log can name a failure without parsing messages. */
export enum AppStoreErrorCode {
  InvalidAppId = 'INVALID_APP_ID',
  NotFound = 'NOT_FOUND',
  BadMagic = 'BAD_MAGIC',
  UnsupportedVersion = 'UNSUPPORTED_VERSION',
  Truncated = 'TRUNCATED',
  TrailingData = 'TRAILING_DATA',
  HeaderInvalid = 'HEADER_INVALID',
  HeaderChecksum = 'HEADER_CHECKSUM',
  AppIdMismatch = 'APP_ID_MISMATCH',
  UnknownKey = 'UNKNOWN_KEY',
  KeyStoreMissing = 'KEYSTORE_MISSING',
  UnwrapFailed = 'UNWRAP_FAILED',
  AuthFailed = 'AUTH_FAILED',
  PayloadChecksum = 'PAYLOAD_CHECKSUM',
  PayloadTooLarge = 'PAYLOAD_TOO_LARGE',
  KeyInvalid = 'KEY_INVALID',
  KeyTooWeak = 'KEY_TOO_WEAK',
  KeyMismatch = 'KEY_MISMATCH',
  KeyExpired = 'KEY_EXPIRED',
  KeyFileUnsafe = 'KEY_FILE_UNSAFE',
  KeyNotFound = 'KEY_NOT_FOUND',
  KeyActive = 'KEY_ACTIVE',
  ActiveKeyMissing = 'ACTIVE_KEY_MISSING',
  LockTimeout = 'LOCK_TIMEOUT',
  /** A format-1 file: not authenticated with the site's app authentication key (`tz apps authenticate`). */
  LegacyFormat = 'LEGACY_FORMAT',
  AuthKeyMissing = 'AUTH_KEY_MISSING',
  AuthKeyInvalid = 'AUTH_KEY_INVALID',
  /** The payload's document container (model + script) is malformed, or from a newer engine. */
  DocumentInvalid = 'DOCUMENT_INVALID',
  /** A load script above MAX_SCRIPT_BYTES. */
  ScriptTooLarge = 'SCRIPT_TOO_LARGE',
}

/** The part of an app file a read failure points at (README.md "File format"). */
export type AppFileRegion = 'file' | 'header' | 'key-slot' | 'wrapped-key' | 'iv' | 'ciphertext-or-tag' | 'payload' | 'checksum';

/**
 * Every failure of the app store. Messages name the app id, the file and the region, and never
 * contain key material or payload bytes, so they can be shown to an operator and written to the
 * audit log as they are.
 */
export class AppStoreError extends Error {
  constructor(
    readonly code: AppStoreErrorCode,
    message: string,
    readonly details: { appId?: string; file?: string; region?: AppFileRegion; thumbprint?: string } = {},
  ) {
    super(message);
    this.name = 'AppStoreError';
  }
}
