import { RulesError, RulesErrorCode } from '../rules.error';

/** A malformed `/qrs` filter or orderby: the proxy answers 400 with `position` (0-based offset). */
export class QrsFilterError extends RulesError {
  override readonly name = 'QrsFilterError';

  constructor(
    readonly position: number,
    readonly detail: string,
  ) {
    super(RulesErrorCode.QRS_FILTER_SYNTAX, `${detail} at position ${position}`);
  }
}
