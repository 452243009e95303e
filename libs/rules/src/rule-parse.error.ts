import { RulesError, RulesErrorCode } from './rules.error';

/** A condition (or regex literal inside it) that does not parse; line and column are 1-based. */
export class RuleParseError extends RulesError {
  override readonly name = 'RuleParseError';

  constructor(
    readonly line: number,
    readonly column: number,
    readonly detail: string,
    code: RulesErrorCode = RulesErrorCode.PARSE_ERROR,
  ) {
    super(code, `${detail} (line ${line}, column ${column})`);
  }
}
