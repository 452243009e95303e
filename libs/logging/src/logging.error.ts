/** String codes so the CLI and the services can map failures without parsing messages. */
export enum LoggingErrorCode {
  InvalidOption = 'INVALID_OPTION',
  InvalidEvent = 'INVALID_EVENT',
  RecordTooLarge = 'RECORD_TOO_LARGE',
  WriteFailed = 'WRITE_FAILED',
  LogClosed = 'LOG_CLOSED',
  LogBroken = 'LOG_BROKEN',
  LogLocked = 'LOG_LOCKED',
  LogCorrupt = 'LOG_CORRUPT',
  LogMissing = 'LOG_MISSING',
  SignerInvalid = 'SIGNER_INVALID',
  FileUnsafe = 'FILE_UNSAFE',
}

/**
 * Failures of the operational and audit logs. Messages name files and sequence numbers but never
 * contain record contents or key material, so they are safe to print and to log.
 */
export class LoggingError extends Error {
  constructor(
    readonly code: LoggingErrorCode,
    message: string,
    readonly file?: string,
    /** The underlying failure (e.g. the file system's ENOSPC), so callers can tell a full disk by code. */
    cause?: unknown,
  ) {
    super(message, cause === undefined ? undefined : { cause });
    this.name = 'LoggingError';
  }
}
