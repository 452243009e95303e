/**
 * Every failure of the data-access layer is a DbError with a closed code, so transports map codes,
 * never messages (architecture.md "Errors"). `message` is internal (logs); `field` and `entity` are
 * safe to show a client for InvalidInput / Duplicate / Conflict / NotFound / InUse.
 */
export enum DbErrorCode {
  /** No entity with that id (or identity). */
  NotFound = 'DB_NOT_FOUND',
  /** The caller's modifiedDate is not the stored one: someone else changed it first. Nothing was written. */
  Conflict = 'DB_CONFLICT',
  /** A unique field already holds that value; `field` names it. */
  Duplicate = 'DB_DUPLICATE',
  /** Still referenced (a user who owns apps, a stream that holds apps); or a reference to nothing. */
  InUse = 'DB_IN_USE',
  /** Input failed validation; `field` names the first offending field. */
  InvalidInput = 'DB_INVALID_INPUT',
  /** A stored value does not parse (JSON-in-text): refuse rather than guess. */
  CorruptData = 'DB_CORRUPT_DATA',
  /** The URL is not one we can open. */
  UnsupportedUrl = 'DB_UNSUPPORTED_URL',
  /** The database's disk is full (SQLite SQLITE_FULL, PostgreSQL 53100 disk_full): nothing was written. */
  StorageFull = 'DB_STORAGE_FULL',
  /** Could not reach or use the database. */
  Unavailable = 'DB_UNAVAILABLE',
  /** Applying migrations failed, or the database's history does not match the migration folders. */
  MigrationFailed = 'DB_MIGRATION_FAILED',
}

export interface DbErrorDetails {
  entity?: string;
  field?: string;
  /** For Conflict: the stored modifiedDate the caller should reload. */
  currentModifiedDate?: Date;
  cause?: unknown;
}

export class DbError extends Error {
  override readonly name = 'DbError';
  readonly entity: string | undefined;
  readonly field: string | undefined;
  readonly currentModifiedDate: Date | undefined;

  constructor(
    readonly code: DbErrorCode,
    message: string,
    details: DbErrorDetails = {},
  ) {
    super(message, details.cause === undefined ? undefined : { cause: details.cause });
    this.entity = details.entity;
    this.field = details.field;
    this.currentModifiedDate = details.currentModifiedDate;
  }
}

export function isDbError(value: unknown, code?: DbErrorCode): value is DbError {
  return value instanceof DbError && (code === undefined || value.code === code);
}
