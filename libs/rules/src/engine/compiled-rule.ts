import type { CompiledCondition } from '../compile/compiled-node';
import { compileCondition } from '../compile/condition-compiler';
import { parseCondition } from '../condition/condition-parser';
import { ALL_ACTIONS_MASK } from '../model/action-bits';
import type { RuleEntity, RuleProblem } from '../model/rule-entity';
import type { FilterEntry } from '../resource-filter/resource-filter';
import { parseResourceFilter } from '../resource-filter/resource-filter';
import { RuleParseError } from '../rule-parse.error';
import type { RulePlan } from './rule-plan';
import { planRule } from './rule-plan';
import { isRulesError, RulesErrorCode } from '../rules.error';

/** Request context bits: a rule's `contexts` mask says where it applies. */
export const CONTEXT_BIT = { hub: 1, management: 2 } as const;
const CONTEXTS_OF_CODE: Readonly<Record<number, number>> = { 0: 3, 1: 1, 2: 2 };

export interface CompiledRule {
  readonly entity: RuleEntity;
  readonly id: string;
  readonly name: string;
  readonly actions: number;
  readonly contexts: number;
  readonly disabled: boolean;
  readonly filter: readonly FilterEntry[];
  readonly condition: CompiledCondition;
  /** Shortcuts (user-only guard, literal guards) or null; see rule-plan.ts. */
  readonly plan: RulePlan | null;
  /** Position in the input table: the tie-break that keeps evaluation order deterministic. */
  readonly order: number;
}

export interface RuleCompilation {
  readonly rule: CompiledRule | undefined;
  readonly problems: readonly RuleProblem[];
}

/**
 * Validates and compiles one rule entity. A rule with an 'error' problem is not returned (it can
 * never grant) — the caller reports it, it is never silently skipped. 'evaluation' problems
 * (unknown path, type mismatch) still compile: every evaluation then reports the error.
 */
export function compileRule(entity: RuleEntity, order: number, shortcuts = true): RuleCompilation {
  const problems: RuleProblem[] = [];
  const ruleId = typeof entity?.id === 'string' ? entity.id : '';
  const ruleName = typeof entity?.name === 'string' ? entity.name : '';
  const problem = (field: RuleProblem['field'], message: string, code: string = RulesErrorCode.INVALID_RULE, extra: Partial<RuleProblem> = {}): void => {
    problems.push({ ruleId, ruleName, field, severity: 'error', code, message, ...extra });
  };
  if (entity === null || typeof entity !== 'object') {
    problem('id', 'a rule must be an object');
    return { rule: undefined, problems };
  }
  if (ruleId.trim() === '') problem('id', 'id is required');
  if (ruleName.trim() === '') problem('name', 'name is required');
  const actions = entity.actions;
  if (!Number.isInteger(actions) || actions <= 0 || (actions & ~ALL_ACTIONS_MASK) !== 0) {
    problem('actions', `actions must be a non-empty mask of known bits (1..${ALL_ACTIONS_MASK})`);
  }
  // Index only with a number: a hostile object key (e.g. a non-callable toString) would throw here.
  const contexts = typeof entity.ruleContext === 'number' ? CONTEXTS_OF_CODE[entity.ruleContext] : undefined;
  if (contexts === undefined) problem('ruleContext', 'ruleContext must be 0 (both), 1 (hub) or 2 (management)');
  if (typeof entity.disabled !== 'boolean') problem('id', 'disabled must be a boolean');

  let filter: FilterEntry[] = [];
  try {
    filter = parseResourceFilter(entity.resourceFilter);
  } catch (error) {
    problem('resourceFilter', isRulesError(error) ? error.message : 'invalid resource filter', RulesErrorCode.INVALID_RESOURCE_FILTER);
  }

  let condition: CompiledCondition | undefined;
  try {
    condition = compileCondition(parseCondition(entity.rule ?? ''));
    for (const d of condition.diagnostics) {
      problems.push({ ruleId, ruleName, field: 'rule', severity: 'evaluation', code: d.code, message: d.message, line: d.line, column: d.column });
    }
  } catch (error) {
    if (error instanceof RuleParseError) {
      problem('rule', error.detail, error.code, { line: error.line, column: error.column });
    } else {
      problem('rule', isRulesError(error) ? error.message : 'condition does not compile', RulesErrorCode.PARSE_ERROR);
    }
  }

  if (problems.some((p) => p.severity === 'error') || condition === undefined || contexts === undefined) {
    return { rule: undefined, problems };
  }
  return {
    rule: { entity, id: ruleId, name: ruleName, actions, contexts, disabled: entity.disabled, filter, condition, plan: shortcuts ? planRule(condition) : null, order },
    problems,
  };
}

/** Save-time validation for the repository (POST/PUT /qrs/systemrule): every problem, none thrown. */
export function validateRule(entity: RuleEntity): readonly RuleProblem[] {
  return compileRule(entity, 0).problems;
}
