import { ErrorCode, isServiceError, retryAfterOf } from '@trustzone/contracts';
import { EdgeErrorCode, isEdgeError } from './edge.error';

/**
 * The proxy's one table from error codes (the services' ErrorCode and the edge's own) to HTTP status,
 * and the one JSON shape clients see: `{"error":{"code","message","field?"}}`. Internal failures
 * become a 500 with a generic message; no other path produces a 5xx with a cause's text.
 */
export type HttpErrorStatus = 400 | 401 | 403 | 404 | 409 | 413 | 429 | 500 | 503 | 507;

export const HTTP_STATUS_BY_CODE: Readonly<Record<ErrorCode | EdgeErrorCode, HttpErrorStatus>> = {
  [ErrorCode.InvalidArgument]: 400,
  [ErrorCode.NotFound]: 404,
  [ErrorCode.Conflict]: 409,
  [ErrorCode.PermissionDenied]: 403,
  [ErrorCode.Unauthenticated]: 401,
  [ErrorCode.ResourceExhausted]: 429,
  [ErrorCode.TooManyRequests]: 429,
  [ErrorCode.PayloadTooLarge]: 413,
  [ErrorCode.FailedPrecondition]: 409,
  [ErrorCode.Unavailable]: 503,
  [ErrorCode.DeadlineExceeded]: 503,
  // RFC 4918 Insufficient Storage: the write was refused, nothing stored; the text names the volume.
  [ErrorCode.StorageFull]: 507,
  [ErrorCode.Internal]: 500,
  [EdgeErrorCode.InvalidConfig]: 500,
  [EdgeErrorCode.InvalidRequest]: 400,
  [EdgeErrorCode.XrfkeyMismatch]: 403,
  [EdgeErrorCode.ClientCertificateRequired]: 403,
  [EdgeErrorCode.Unauthenticated]: 401,
  [EdgeErrorCode.TicketInvalid]: 401,
  [EdgeErrorCode.HeaderCredentialInvalid]: 401,
  [EdgeErrorCode.HeaderSourceUntrusted]: 403,
  [EdgeErrorCode.JwtInvalid]: 401,
  [EdgeErrorCode.OriginNotAllowed]: 403,
  [EdgeErrorCode.CsrfTokenMismatch]: 403,
  [EdgeErrorCode.SessionLimitReached]: 403,
  [EdgeErrorCode.PayloadTooLarge]: 413,
  [EdgeErrorCode.JsonTooDeep]: 400,
  [EdgeErrorCode.RateLimited]: 429,
  [EdgeErrorCode.TicketCapacity]: 503,
  [EdgeErrorCode.AnonymousCapacity]: 503,
  [EdgeErrorCode.StoreUnavailable]: 503,
  [EdgeErrorCode.ReservedIdentity]: 403,
  [EdgeErrorCode.IdpLoginFailed]: 401,
  [EdgeErrorCode.IdpUnavailable]: 503,
};

// Codes whose text is about our internals (configuration, an unreachable store or service — a gRPC
// client's UNAVAILABLE text names hosts and ports): clients get a fixed text.
const GENERIC_MESSAGES: Partial<Record<ErrorCode | EdgeErrorCode, string>> = {
  [ErrorCode.Internal]: 'internal error',
  [ErrorCode.Unavailable]: 'service temporarily unavailable',
  [ErrorCode.DeadlineExceeded]: 'service did not answer in time',
  [EdgeErrorCode.InvalidConfig]: 'internal error',
  [EdgeErrorCode.StoreUnavailable]: 'service temporarily unavailable',
};

export interface HttpErrorBody {
  error: { code: string; message: string; field?: string };
}

export interface HttpErrorResponse {
  status: HttpErrorStatus;
  headers: Record<string, string>;
  body: HttpErrorBody;
}

export function httpStatusFor(code: ErrorCode | EdgeErrorCode): HttpErrorStatus {
  return HTTP_STATUS_BY_CODE[code];
}

function response(code: ErrorCode | EdgeErrorCode, message: string, field: string | undefined, retryAfter?: number): HttpErrorResponse {
  const status = HTTP_STATUS_BY_CODE[code];
  const text = GENERIC_MESSAGES[code] ?? message;
  const headers: Record<string, string> = { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store' };
  if (retryAfter !== undefined && (status === 429 || status === 503)) headers['retry-after'] = String(Math.max(1, Math.ceil(retryAfter)));
  const exposeField = field !== undefined && status < 500;
  return { status, headers, body: { error: { code, message: text, ...(exposeField ? { field } : {}) } } };
}

/** Anything thrown → the response to send. Unknown errors are internal. */
export function toHttpError(error: unknown): HttpErrorResponse {
  if (isEdgeError(error)) return response(error.code, error.message, error.field, error.retryAfterSeconds);
  if (isServiceError(error)) return response(error.code, error.publicMessage, error.field, retryAfterOf(error));
  return response(ErrorCode.Internal, 'internal error', undefined);
}
