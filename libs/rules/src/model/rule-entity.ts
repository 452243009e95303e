/** Rule context codes of the entity: 0 both, 1 hub only, 2 management only. */
export type RuleContextCode = 0 | 1 | 2;

export type RuleType = 'Default' | 'ReadOnly' | 'Custom';

/** A security rule as stored by the repository (security-rules.md "Rule entity"). */
export interface RuleEntity {
  readonly id: string;
  readonly name: string;
  readonly resourceFilter: string;
  /** Condition text; empty = true for everything the filter matches. */
  readonly rule: string;
  /** Bitmask of ACTION_BITS, at least one bit. */
  readonly actions: number;
  readonly ruleContext: RuleContextCode;
  readonly disabled: boolean;
  readonly type?: RuleType;
  readonly category?: string;
  readonly comment?: string;
}

/** A rule that cannot be loaded, or that loads but will error on every evaluation (`severity`). */
export interface RuleProblem {
  readonly ruleId: string;
  readonly ruleName: string;
  readonly field: 'id' | 'name' | 'resourceFilter' | 'rule' | 'actions' | 'ruleContext';
  /** 'error': the rule is not loaded and grants nothing. 'evaluation': it loads, and every
   *  evaluation reports this error (unknown path/function, type mismatch) and grants nothing. */
  readonly severity: 'error' | 'evaluation';
  readonly code: string;
  readonly message: string;
  readonly line?: number;
  readonly column?: number;
}
