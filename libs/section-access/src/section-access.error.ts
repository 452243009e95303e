/**
 * Load-time problems of a security table (the reload must fail with this message) and the reasons
 * an app open is denied. Neither kind of message carries a data value.
 */
export enum SectionAccessErrorCode {
  MISSING_ACCESS_COLUMN = 'MISSING_ACCESS_COLUMN',
  INVALID_ACCESS_VALUE = 'INVALID_ACCESS_VALUE',
  UNKNOWN_REDUCTION_FIELD = 'UNKNOWN_REDUCTION_FIELD',
  /** An OMIT value names no field of the data model (field-names.ts). */
  UNKNOWN_OMIT_FIELD = 'UNKNOWN_OMIT_FIELD',
  MALFORMED_TABLE = 'MALFORMED_TABLE',
}

export class SectionAccessError extends Error {
  override readonly name = 'SectionAccessError';

  constructor(
    readonly code: SectionAccessErrorCode,
    message: string,
  ) {
    super(message);
  }
}

/** Why an open was denied (the engine answers QIX error 5 and audits the code and reason). */
export enum DenyCode {
  /** No row of the security table applies to the user. */
  NO_MATCHING_ROW = 'NO_MATCHING_ROW',
  /** Strict exclusion: none of the user's values for a reduction field exist in the data. */
  NO_MATCHING_VALUES = 'NO_MATCHING_VALUES',
  /** The user's values exist, but no row of the data satisfies all reduction fields together. */
  NO_DATA = 'NO_DATA',
  /** The security table is invalid; nobody gets in until the app is reloaded with a valid one. */
  INVALID_SECURITY_TABLE = 'INVALID_SECURITY_TABLE',
  /** The caller passed no usable identity. */
  INVALID_USER = 'INVALID_USER',
}
