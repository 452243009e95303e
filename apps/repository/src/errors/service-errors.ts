import { ErrorCode, ServiceError } from '@trustzone/contracts';

/** Short constructors for the errors handlers throw; messages are client-safe by construction. */
export const invalid = (field: string, message: string, detail?: Record<string, unknown>): ServiceError =>
  new ServiceError(ErrorCode.InvalidArgument, `${field}: ${message}`, { field, ...(detail ? { detail } : {}) });

/** Missing and unreadable look the same to the caller: existence is not leaked. */
export const notFound = (what: string): ServiceError => new ServiceError(ErrorCode.NotFound, `${what} not found`);

export const denied = (message: string): ServiceError => new ServiceError(ErrorCode.PermissionDenied, message);

export const precondition = (message: string, field?: string): ServiceError =>
  new ServiceError(ErrorCode.FailedPrecondition, message, field ? { field } : {});
