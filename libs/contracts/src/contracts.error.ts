/**
 * Error codes shared by every service. A service throws ServiceError with one of these codes; the
 * gRPC layer maps it to a status exactly once (grpc-status.mapper.ts) and the client turns the status
 * back into the same ServiceError, so the proxy maps codes to HTTP in one place too.
 */
export enum ErrorCode {
  InvalidArgument = 'INVALID_ARGUMENT',
  NotFound = 'NOT_FOUND',
  Conflict = 'CONFLICT',
  PermissionDenied = 'PERMISSION_DENIED',
  Unauthenticated = 'UNAUTHENTICATED',
  ResourceExhausted = 'RESOURCE_EXHAUSTED',
  /**
   * A service is at a capacity limit (e.g. the engine's reload slots and queue); the caller may try
   * again after `detail.retryAfterSeconds` (HTTP: 429 with Retry-After).
   */
  TooManyRequests = 'TOO_MANY_REQUESTS',
  PayloadTooLarge = 'PAYLOAD_TOO_LARGE',
  FailedPrecondition = 'FAILED_PRECONDITION',
  Unavailable = 'UNAVAILABLE',
  /**
   * The service's data volume (database, app files, audit trail) is full: the write was refused and
   * nothing was written; reads keep working (HTTP: 507 Insufficient Storage). Never retried blindly —
   * an operator has to free space.
   */
  StorageFull = 'STORAGE_FULL',
  DeadlineExceeded = 'DEADLINE_EXCEEDED',
  Internal = 'INTERNAL',
}

export interface ServiceErrorOptions {
  /** The input field the error is about (shown to clients: "body.name: required"). */
  field?: string;
  /** Extra, client-safe structured detail (e.g. a parse position). Never secrets or internals. */
  detail?: Record<string, unknown>;
  cause?: unknown;
}

export class ServiceError extends Error {
  readonly field: string | undefined;
  readonly detail: Record<string, unknown> | undefined;

  constructor(
    readonly code: ErrorCode,
    message: string,
    options: ServiceErrorOptions = {},
  ) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'ServiceError';
    this.field = options.field;
    this.detail = options.detail;
  }

  /** Message safe to show a client: internal errors never expose their text. */
  get publicMessage(): string {
    return this.code === ErrorCode.Internal ? 'internal error' : this.message;
  }
}

/** A TooManyRequests error with its Retry-After hint (whole seconds, at least 1). */
export function tooManyRequests(message: string, retryAfterSeconds: number): ServiceError {
  return new ServiceError(ErrorCode.TooManyRequests, message, { detail: { retryAfterSeconds: Math.max(1, Math.ceil(retryAfterSeconds)) } });
}

/** The Retry-After hint a service error carries, if any. */
export function retryAfterOf(e: ServiceError): number | undefined {
  const v = e.detail?.['retryAfterSeconds'];
  return typeof v === 'number' && Number.isFinite(v) && v > 0 ? v : undefined;
}

/** Which service's data volume filled up (named in the client-visible message). */
export type StorageVolume = 'repository' | 'engine' | 'proxy';

/** The one disk-full refusal every service throws: a clear, fixed, client-safe text. */
export function storageFull(volume: StorageVolume, cause?: unknown): ServiceError {
  return new ServiceError(ErrorCode.StorageFull, `the ${volume}'s data volume is full; nothing was written (reads keep working; free space on the volume, then retry)`, cause === undefined ? {} : { cause });
}

const NO_SPACE_ERRNO = new Set(['ENOSPC', 'EDQUOT']);

/** True when `e` or one of its causes is a file system "no space left" (ENOSPC) or quota (EDQUOT) failure. */
export function isOutOfSpace(e: unknown): boolean {
  let cur: unknown = e;
  for (let depth = 0; depth < 8 && typeof cur === 'object' && cur !== null; depth++) {
    const code = (cur as { code?: unknown }).code;
    if (typeof code === 'string' && NO_SPACE_ERRNO.has(code)) return true;
    cur = (cur as { cause?: unknown }).cause;
  }
  return false;
}

export function isServiceError(e: unknown): e is ServiceError {
  return e instanceof ServiceError;
}
