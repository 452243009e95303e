import { Metadata, status as GrpcStatus } from '@grpc/grpc-js';
import type { ServiceError as GrpcServiceError, StatusObject } from '@grpc/grpc-js';
import { ErrorCode, ServiceError } from './contracts.error';

// The only place where ErrorCode meets gRPC status codes.
const TO_GRPC: Record<ErrorCode, GrpcStatus> = {
  [ErrorCode.InvalidArgument]: GrpcStatus.INVALID_ARGUMENT,
  [ErrorCode.NotFound]: GrpcStatus.NOT_FOUND,
  [ErrorCode.Conflict]: GrpcStatus.ABORTED,
  [ErrorCode.PermissionDenied]: GrpcStatus.PERMISSION_DENIED,
  [ErrorCode.Unauthenticated]: GrpcStatus.UNAUTHENTICATED,
  [ErrorCode.ResourceExhausted]: GrpcStatus.RESOURCE_EXHAUSTED,
  [ErrorCode.TooManyRequests]: GrpcStatus.RESOURCE_EXHAUSTED,
  [ErrorCode.PayloadTooLarge]: GrpcStatus.OUT_OF_RANGE,
  [ErrorCode.FailedPrecondition]: GrpcStatus.FAILED_PRECONDITION,
  [ErrorCode.Unavailable]: GrpcStatus.UNAVAILABLE,
  // After ResourceExhausted/TooManyRequests, so a bare RESOURCE_EXHAUSTED still maps back to those;
  // ours carry STORAGE_FULL in metadata.
  [ErrorCode.StorageFull]: GrpcStatus.RESOURCE_EXHAUSTED,
  [ErrorCode.DeadlineExceeded]: GrpcStatus.DEADLINE_EXCEEDED,
  [ErrorCode.Internal]: GrpcStatus.INTERNAL,
};

const CODE_KEY = 'tz-error-code';
const FIELD_KEY = 'tz-error-field';
const DETAIL_KEY = 'tz-error-detail';

/** ServiceError (or anything thrown) → the status object a handler sends. Internals stay inside. */
export function toGrpcStatus(error: unknown): Partial<StatusObject> {
  const e = error instanceof ServiceError ? error : new ServiceError(ErrorCode.Internal, 'internal error', { cause: error });
  const metadata = new Metadata();
  metadata.set(CODE_KEY, e.code);
  if (e.field) metadata.set(FIELD_KEY, e.field);
  if (e.detail) metadata.set(DETAIL_KEY, JSON.stringify(e.detail));
  return { code: TO_GRPC[e.code], details: e.publicMessage, metadata };
}

// A status several codes share maps back to the first of them (RESOURCE_EXHAUSTED → ResourceExhausted);
// our own callees send the exact code in metadata anyway.
const FROM_GRPC = new Map<number, ErrorCode>();
for (const [k, v] of Object.entries(TO_GRPC)) if (!FROM_GRPC.has(v)) FROM_GRPC.set(v, k as ErrorCode);

/** A failed call on the client side → ServiceError with the callee's code, field and detail. */
export function fromGrpcError(error: GrpcServiceError | Error): ServiceError {
  if (!('code' in error) || typeof error.code !== 'number') {
    return new ServiceError(ErrorCode.Unavailable, error.message, { cause: error });
  }
  const md = 'metadata' in error && error.metadata instanceof Metadata ? error.metadata : undefined;
  const named = md?.get(CODE_KEY)[0];
  const code = typeof named === 'string' && isErrorCode(named) ? named : (FROM_GRPC.get(error.code) ?? ErrorCode.Unavailable);
  const field = md?.get(FIELD_KEY)[0];
  const rawDetail = md?.get(DETAIL_KEY)[0];
  let detail: Record<string, unknown> | undefined;
  if (typeof rawDetail === 'string') {
    try {
      detail = JSON.parse(rawDetail) as Record<string, unknown>;
    } catch {
      detail = undefined;
    }
  }
  const message = 'details' in error && typeof error.details === 'string' && error.details ? error.details : error.message;
  return new ServiceError(code, message, {
    ...(typeof field === 'string' ? { field } : {}),
    ...(detail ? { detail } : {}),
    cause: error,
  });
}

function isErrorCode(s: string): s is ErrorCode {
  return (Object.values(ErrorCode) as string[]).includes(s);
}
