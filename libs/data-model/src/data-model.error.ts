/**
 * Errors of the associative engine. The engine app maps codes to QIX error codes
 * (NOT_FOUND → 2, INVALID_EXPRESSION → 7000, PAGE_TOO_LARGE / INVALID_ARGUMENT → 8, …).
 *
 * Messages may echo what the caller sent (a field name, an expression position) but never a
 * data value: a reduced user must not learn excluded values from an error.
 */
export enum DataModelErrorCode {
  NOT_FOUND = 'NOT_FOUND',
  INVALID_EXPRESSION = 'INVALID_EXPRESSION',
  INVALID_ARGUMENT = 'INVALID_ARGUMENT',
  PAGE_TOO_LARGE = 'PAGE_TOO_LARGE',
  RESULT_TOO_LARGE = 'RESULT_TOO_LARGE',
  CORRUPT_PAYLOAD = 'CORRUPT_PAYLOAD',
  COMPOSITE_KEY = 'COMPOSITE_KEY',
  CIRCULAR_REFERENCE = 'CIRCULAR_REFERENCE',
  INVALID_INPUT = 'INVALID_INPUT',
}

export class DataModelError extends Error {
  override readonly name = 'DataModelError';

  constructor(
    readonly code: DataModelErrorCode,
    message: string,
  ) {
    super(message);
  }
}

export function isDataModelError(value: unknown): value is DataModelError {
  return value instanceof DataModelError;
}
