import { ErrorCode, ServiceError } from '@trustzone/contracts';
import { isRulesError, QrsFilterError, RuleParseError, RulesErrorCode } from '@trustzone/rules';

/**
 * Rule-language errors that reach a caller: malformed `/qrs` filters and orderby (with the
 * 0-based position), unknown action names, an audit request over its budget. Anything else from
 * the rules lib is unexpected here and stays internal.
 */
export function rulesErrorToService(e: unknown, field: string): ServiceError {
  if (e instanceof QrsFilterError) return new ServiceError(ErrorCode.InvalidArgument, `${field}: ${e.message}`, { field, detail: { position: e.position }, cause: e });
  if (e instanceof RuleParseError) return new ServiceError(ErrorCode.InvalidArgument, `${field}: ${e.message}`, { field, detail: { line: e.line, column: e.column }, cause: e });
  if (isRulesError(e)) {
    if (e.code === RulesErrorCode.AUDIT_TOO_LARGE) return new ServiceError(ErrorCode.PayloadTooLarge, e.message, { field, cause: e });
    if (e.code === RulesErrorCode.UNKNOWN_ACTION) return new ServiceError(ErrorCode.InvalidArgument, e.message, { field, cause: e });
    if (e.code === RulesErrorCode.QRS_FILTER_SYNTAX) return new ServiceError(ErrorCode.InvalidArgument, `${field}: ${e.message}`, { field, cause: e });
  }
  return new ServiceError(ErrorCode.Internal, 'internal error', { cause: e });
}

/** Runs a rules-lib call whose failures are the caller's input (`field` names it). */
export function viaRules<T>(field: string, fn: () => T): T {
  try {
    return fn();
  } catch (e) {
    throw rulesErrorToService(e, field);
  }
}
