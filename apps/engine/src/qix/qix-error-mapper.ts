import { ErrorCode, isOutOfSpace, ServiceError, storageFull } from '@trustzone/contracts';
import { DataModelErrorCode, isDataModelError } from '@trustzone/data-model';
import { isQixError, QixError, QixErrorCode } from './qix.error';

export interface MappedError {
  error: QixError;
  /** True when the failure is ours (a bug or a broken dependency), to be logged, not blamed on the caller. */
  internal: boolean;
}

/**
 * The one mapper from thrown values to QIX errors. Data-model messages are safe to pass on (they
 * echo caller input, never a data value — see data-model.error.ts); anything unexpected becomes a
 * bare internal error so no stack, path or value reaches the client.
 */
export function toQixError(err: unknown): MappedError {
  // A QixError was raised on purpose (an internal one is reported where it was raised).
  if (isQixError(err)) return { error: err, internal: false };
  // A full data volume is the operator's to fix, not a bug: the client gets Qlik's disk-full code
  // with the site's one fixed STORAGE_FULL text (the REST side answers it as 507), and nothing was
  // written. Either the engine's own write hit ENOSPC, or a service it wrote through (the
  // repository) refused with STORAGE_FULL, whose message names that service's volume.
  if (err instanceof ServiceError && err.code === ErrorCode.StorageFull) return storageFullError(err.message);
  if (isOutOfSpace(err)) return storageFullError(storageFull('engine').message);
  if (isDataModelError(err)) {
    switch (err.code) {
      case DataModelErrorCode.NOT_FOUND:
        return caller(QixErrorCode.NOT_FOUND, err.message);
      case DataModelErrorCode.INVALID_EXPRESSION:
        return caller(QixErrorCode.CALC_INVALID_DEF, err.message);
      case DataModelErrorCode.INVALID_ARGUMENT:
      case DataModelErrorCode.PAGE_TOO_LARGE:
      case DataModelErrorCode.RESULT_TOO_LARGE:
        return caller(QixErrorCode.INVALID_PARAMETERS, err.message);
      case DataModelErrorCode.CORRUPT_PAYLOAD:
      case DataModelErrorCode.COMPOSITE_KEY:
      case DataModelErrorCode.CIRCULAR_REFERENCE:
      case DataModelErrorCode.INVALID_INPUT:
        // Build/decode failures cannot come from a query: something is wrong with the app itself.
        return internalError();
      default:
        return assertNever(err.code);
    }
  }
  return internalError();
}

function storageFullError(message: string): MappedError {
  return { error: new QixError(QixErrorCode.PERSISTENCE_DISK_FULL, message, { parameter: ErrorCode.StorageFull }), internal: false };
}

export function internalError(): MappedError {
  return { error: new QixError(QixErrorCode.INTERNAL_ERROR, 'Internal error'), internal: true };
}

function caller(code: QixErrorCode, message: string): MappedError {
  return { error: new QixError(code, message), internal: false };
}

function assertNever(code: never): MappedError {
  void code;
  return internalError();
}
