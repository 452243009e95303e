/**
 * Errors of the rule language. The repository maps codes to HTTP/gRPC statuses in its own mapper:
 * parse and validation codes → 400 (with line/column or position), AUDIT_TOO_LARGE → 413, the
 * evaluation codes never leave the lib as exceptions — they are reported inside decisions.
 */
export enum RulesErrorCode {
  /** Condition text does not parse (RuleParseError carries line/column). */
  PARSE_ERROR = 'PARSE_ERROR',
  /** Resource filter text is malformed. */
  INVALID_RESOURCE_FILTER = 'INVALID_RESOURCE_FILTER',
  /** A rule entity field other than the condition is invalid (name, actions, ruleContext, id). */
  INVALID_RULE = 'INVALID_RULE',
  /** A `matches` pattern uses something outside the supported regex subset, or is too large. */
  UNSUPPORTED_REGEX = 'UNSUPPORTED_REGEX',
  /** Evaluation: a path segment that does not exist on that side (user / resource / owner). */
  UNKNOWN_PATH = 'UNKNOWN_PATH',
  /** Evaluation: a function name that does not exist or is not defined on that target. */
  UNKNOWN_FUNCTION = 'UNKNOWN_FUNCTION',
  /** Evaluation: comparing an entity with a string, `like` on an entity, … */
  TYPE_MISMATCH = 'TYPE_MISMATCH',
  /** Evaluation: a function argument is wrong (unknown action name, wrong count). */
  BAD_ARGUMENT = 'BAD_ARGUMENT',
  /** Evaluation: HasPrivilege re-entered a decision that is still being made. */
  PRIVILEGE_CYCLE = 'PRIVILEGE_CYCLE',
  /** Evaluation: HasPrivilege nested deeper than the engine allows. */
  DEPTH_EXCEEDED = 'DEPTH_EXCEEDED',
  /** Evaluation: a nested HasPrivilege decision was denied while some of its rules errored. */
  NESTED_RULE_ERROR = 'NESTED_RULE_ERROR',
  /** Evaluation: a value is larger than the matcher accepts. */
  INPUT_TOO_LARGE = 'INPUT_TOO_LARGE',
  /** The request or the entity snapshot is malformed (wrong types, missing identity). */
  INVALID_INPUT = 'INVALID_INPUT',
  /** Unknown action name passed to the API. */
  UNKNOWN_ACTION = 'UNKNOWN_ACTION',
  /** Audit request exceeds the cell budget. */
  AUDIT_TOO_LARGE = 'AUDIT_TOO_LARGE',
  /** `/qrs` filter or orderby text is malformed or too complex (QrsFilterError carries the position). */
  QRS_FILTER_SYNTAX = 'QRS_FILTER_SYNTAX',
  /** An exception the evaluator did not anticipate (reported as a rule error, never thrown out). */
  INTERNAL = 'INTERNAL',
}

export class RulesError extends Error {
  override readonly name: string = 'RulesError';

  constructor(
    readonly code: RulesErrorCode,
    message: string,
  ) {
    super(message);
  }
}

export function isRulesError(value: unknown): value is RulesError {
  return value instanceof RulesError;
}
