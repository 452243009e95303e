import { validateRule, type RuleEntity } from '@trustzone/rules';
import { invalid } from '../errors/service-errors';

/**
 * A rule is saved only when it compiles cleanly: a condition that does not parse, a malformed
 * resource filter, no action bit, or a path/function that would error on every evaluation is
 * refused with the field and, for text, the 1-based line and column. Nothing is stored.
 */
export function assertRuleValid(entity: RuleEntity): void {
  const problem = validateRule(entity)[0];
  if (!problem) return;
  const where = problem.line !== undefined ? { line: problem.line, column: problem.column ?? 0 } : {};
  const message = problem.line !== undefined && !problem.message.includes('line') ? `${problem.message} (line ${problem.line}, column ${problem.column ?? 0})` : problem.message;
  throw invalid(`body.${problem.field}`, message, { code: problem.code, severity: problem.severity, ...where });
}
