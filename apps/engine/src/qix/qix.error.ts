/**
 * QIX error codes as the engine's JSON-RPC protocol sends them (NxLocalizedErrorCode plus the
 * JSON-RPC 2.0 codes). Unlike the string code enums of the libs, these are numbers: the number *is*
 * the wire contract enigma.js and other clients switch on, so one enum serves both sides.
 */
export enum QixErrorCode {
  /** LOCERR_INTERNAL_ERROR: a bug on our side; the client sees no detail. */
  INTERNAL_ERROR = -128,
  /** LOCERR_GENERIC_NOT_FOUND: unknown (or, for this user, omitted) field, object, table. */
  NOT_FOUND = 2,
  /** LOCERR_GENERIC_ALREADY_EXISTS: a session object id already in use. */
  ALREADY_EXISTS = 3,
  /** LOCERR_GENERIC_INVALID_PATH: a property path (qPath) the object does not have. */
  INVALID_PATH = 4,
  /** LOCERR_GENERIC_ACCESS_DENIED: repository rules deny the app, or section access admits nothing. */
  ACCESS_DENIED = 5,
  /** LOCERR_GENERIC_INVALID_PARAMETERS: malformed or out-of-bounds parameters. */
  INVALID_PARAMETERS = 8,
  /** LOCERR_GENERIC_ABORTED: a session bound was hit (pending requests, handles, open timeout). */
  ABORTED = 15,
  /** LOCERR_APP_ALREADY_OPEN: a second OpenDoc on one session. */
  APP_ALREADY_OPEN = 1002,
  /** LOCERR_APP_NOT_FOUND. */
  APP_NOT_FOUND = 1003,
  /** LOCERR_APP_INVALID: no active document. */
  APP_INVALID = 1007,
  /** LOCERR_CALC_INVALID_DEF: a measure or expression that does not parse or is unsupported. */
  CALC_INVALID_DEF = 7000,
  /**
   * LOCERR_PERSISTENCE_DISK_FULL: a write refused because a data volume is full (the parameter is
   * trustzone's STORAGE_FULL, the code the REST side answers as 507).
   */
  PERSISTENCE_DISK_FULL = 9008,
  PARSE_ERROR = -32700,
  INVALID_REQUEST = -32600,
  METHOD_NOT_FOUND = -32601,
  /** JSON-RPC "invalid params", which the Qlik engine answers for a handle it does not know. */
  INVALID_HANDLE = -32602,
}

export interface QixErrorOptions {
  /** Short context sent as the error's `parameter` (client-visible). */
  parameter?: string;
  /** Why, for the audit trail and logs only: never sent to the client. */
  reason?: string;
}

/**
 * An error answered to a QIX client. `message` and `parameter` are client-visible, so they may echo
 * what the caller sent but never a data value; `reason` stays inside the engine.
 */
export class QixError extends Error {
  override readonly name = 'QixError';
  readonly parameter: string;
  readonly reason: string | undefined;

  constructor(
    readonly code: QixErrorCode,
    message: string,
    options: QixErrorOptions = {},
  ) {
    super(message);
    this.parameter = options.parameter ?? message;
    this.reason = options.reason;
  }
}

export function isQixError(value: unknown): value is QixError {
  return value instanceof QixError;
}

/** Caller input echoed in messages, clipped so a message never grows with the request. */
export function clipInput(value: unknown, max = 100): string {
  const s = typeof value === 'string' ? value : typeof value === 'number' || typeof value === 'boolean' ? String(value) : `(${value === null ? 'null' : typeof value})`;
  return s.length > max ? `${s.slice(0, max)}…` : s;
}
