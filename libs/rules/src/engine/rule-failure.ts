import type { RuleFailure } from '../model/decision';
import { RulesErrorCode, isRulesError } from '../rules.error';
import type { CompiledRule } from './compiled-rule';

/** Whatever a condition threw, as a reportable failure. Unexpected exceptions (a TypeError from a
 *  malformed snapshot, a stack overflow) are reported too — they never escape the evaluator. */
export function toFailure(rule: CompiledRule, error: unknown): RuleFailure {
  if (isRulesError(error)) return { ruleId: rule.id, ruleName: rule.name, code: error.code, message: error.message };
  const code = error instanceof TypeError ? RulesErrorCode.INVALID_INPUT : RulesErrorCode.INTERNAL;
  const message = error instanceof Error ? error.message : String(error);
  return { ruleId: rule.id, ruleName: rule.name, code, message: `evaluation failed: ${message}` };
}
