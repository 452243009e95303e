import { ErrorCode, ServiceError, storageFull } from '@trustzone/contracts';
import { assertNever } from '@trustzone/rules';
import { DbErrorCode, isDbError, type DbError } from '../db';

/**
 * The one place where data-access failures become service errors (architecture.md "Errors").
 * Client-visible text is built here from the code, entity and field only: a DbError's message may
 * quote the database (constraint names, driver text) and is kept for the operational log.
 */
export function dbErrorToService(e: DbError): ServiceError {
  const field = e.field ? `body.${e.field}` : undefined;
  const withField = field ? { field, cause: e } : { cause: e };
  switch (e.code) {
    case DbErrorCode.NotFound:
      return new ServiceError(ErrorCode.NotFound, `${e.entity ?? 'entity'} not found`, { cause: e });
    case DbErrorCode.Conflict:
      return new ServiceError(ErrorCode.Conflict, `${e.entity ?? 'entity'} was changed by someone else; reload it and send its current modifiedDate`, {
        cause: e,
        ...(e.currentModifiedDate ? { detail: { currentModifiedDate: e.currentModifiedDate.toISOString() } } : {}),
      });
    case DbErrorCode.Duplicate:
      return new ServiceError(ErrorCode.Conflict, `another ${e.entity ?? 'entity'} already has this ${e.field ?? 'value'}`, withField);
    case DbErrorCode.InUse:
      return new ServiceError(ErrorCode.FailedPrecondition, `${e.entity ?? 'entity'} is still referenced by other entities (or refers to one that does not exist)`, withField);
    case DbErrorCode.InvalidInput:
      // Built by the stores' own schemas ("App.name: must not be empty"): safe to show.
      return new ServiceError(ErrorCode.InvalidArgument, e.message, withField);
    case DbErrorCode.StorageFull:
      return storageFull('repository', e);
    case DbErrorCode.Unavailable:
      return new ServiceError(ErrorCode.Unavailable, 'the database is unavailable', { cause: e });
    case DbErrorCode.CorruptData:
    case DbErrorCode.UnsupportedUrl:
    case DbErrorCode.MigrationFailed:
      return new ServiceError(ErrorCode.Internal, 'internal error', { cause: e });
    default:
      return assertNever(e.code);
  }
}

/** Runs a data-access call and maps its DbError; anything else passes through unchanged. */
export async function viaDb<T>(fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (e) {
    if (isDbError(e)) throw dbErrorToService(e);
    throw e;
  }
}
