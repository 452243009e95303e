import { DataModelError, DataModelErrorCode } from './data-model.error';

/** A non-negative safe integer, or an INVALID_ARGUMENT error naming the parameter. */
export function checkIndex(value: unknown, name: string): number {
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < 0) {
    throw new DataModelError(DataModelErrorCode.INVALID_ARGUMENT, `${name} must be a non-negative integer`);
  }
  return value;
}

export function tooLarge(what: string, limit: number): DataModelError {
  return new DataModelError(DataModelErrorCode.PAGE_TOO_LARGE, `${what} exceeds the limit of ${limit}`);
}
