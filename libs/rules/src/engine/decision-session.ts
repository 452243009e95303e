import type { EvalScope, PrivilegeOracle } from '../compile/eval-scope';
import type { PreparedUser } from '../compile/prepared-user';
import { actionNamesOf } from '../model/action-bits';
import type { RuleFailure } from '../model/decision';
import type { Resource } from '../model/subject';
import { RulesError, RulesErrorCode } from '../rules.error';
import type { CompiledRule } from './compiled-rule';
import type { RuleIndex } from './rule-index';
import { toFailure } from './rule-failure';

/** Result of evaluating the candidates of one (resource, action). */
export interface Outcome {
  readonly candidates: number;
  readonly granted: CompiledRule[];
  readonly errors: RuleFailure[];
}

/**
 * One request's evaluation state: the prepared user, its context, the HasPrivilege memo and the
 * cycle guard. HasPrivilege re-entering a (resource, action) that is still being decided is a
 * cycle: it throws, so the rule that closed the cycle errors and grants nothing. A nested denial
 * that involved rule errors also throws (NESTED_RULE_ERROR) instead of answering "false": under a
 * `!` a false would grant — fail closed.
 */
export class DecisionSession implements PrivilegeOracle {
  private memo: Map<string, boolean | RuleFailure> | undefined;
  private readonly inProgress = new Set<string>();
  private depth = 0;
  private cycles = 0;

  constructor(
    private readonly index: RuleIndex,
    readonly user: PreparedUser,
    readonly contextBit: number,
    private readonly maxDepth: number,
  ) {}

  /** Top-level evaluation; `all` = evaluate every candidate (explain/audit) instead of stopping at the first grant. */
  run(resource: Resource, bit: number, all: boolean, index: RuleIndex = this.index): Outcome {
    checkResource(resource);
    const key = privilegeKey(resource, bit);
    const added = !this.inProgress.has(key);
    if (added) this.inProgress.add(key);
    try {
      return this.evaluate(resource, bit, all, index);
    } finally {
      if (added) this.inProgress.delete(key);
    }
  }

  hasPrivilege(resource: Resource, bit: number): boolean {
    checkResource(resource);
    const key = privilegeKey(resource, bit);
    const known = this.memo?.get(key);
    if (known !== undefined) return answer(known);
    if (this.inProgress.has(key)) {
      this.cycles++;
      throw new RulesError(RulesErrorCode.PRIVILEGE_CYCLE, `HasPrivilege cycle on ${resource.resourcetype} ${resource.id} (${actionNamesOf(bit).join()})`);
    }
    if (this.depth >= this.maxDepth) {
      throw new RulesError(RulesErrorCode.DEPTH_EXCEEDED, `HasPrivilege nested deeper than ${this.maxDepth}`);
    }
    const cyclesBefore = this.cycles;
    this.inProgress.add(key);
    this.depth++;
    let outcome: Outcome;
    try {
      outcome = this.evaluate(resource, bit, false, this.index);
    } finally {
      this.inProgress.delete(key);
      this.depth--;
    }
    const result = nestedResult(outcome, resource, bit);
    // A result shaped by a cycle depends on what was on the stack: do not reuse it elsewhere.
    if (this.cycles === cyclesBefore) (this.memo ??= new Map()).set(key, result);
    return answer(result);
  }

  /** Evaluates one rule for a resource: true/false, or the failure it reported. */
  test(rule: CompiledRule, resource: Resource): boolean | RuleFailure {
    const scope: EvalScope = { user: this.user, resource, oracle: this };
    try {
      return rule.condition.test(scope);
    } catch (error) {
      return toFailure(rule, error);
    }
  }

  scope(resource: Resource): EvalScope {
    return { user: this.user, resource, oracle: this };
  }

  private evaluate(resource: Resource, bit: number, all: boolean, index: RuleIndex): Outcome {
    const candidates = index.candidates(resource.resourcetype.toLowerCase(), resource.id, bit, this.contextBit);
    const granted: CompiledRule[] = [];
    const errors: RuleFailure[] = [];
    const scope: EvalScope = { user: this.user, resource, oracle: this };
    for (const rule of candidates) {
      try {
        if (rule.condition.test(scope)) {
          granted.push(rule);
          if (!all) break;
        }
      } catch (error) {
        errors.push(toFailure(rule, error));
      }
    }
    return { candidates: candidates.length, granted, errors };
  }
}

function nestedResult(outcome: Outcome, resource: Resource, bit: number): boolean | RuleFailure {
  if (outcome.granted.length > 0) return true;
  const first = outcome.errors[0];
  if (first === undefined) return false;
  return {
    ruleId: first.ruleId,
    ruleName: first.ruleName,
    code: RulesErrorCode.NESTED_RULE_ERROR,
    message: `HasPrivilege(${actionNamesOf(bit).join()}) on ${resource.resourcetype} ${resource.id} was denied while rule '${first.ruleName}' failed: ${first.message}`,
  };
}

function answer(result: boolean | RuleFailure): boolean {
  if (typeof result === 'boolean') return result;
  throw new RulesError(result.code, result.message);
}

export function checkResource(resource: Resource): void {
  if (resource === null || typeof resource !== 'object' || typeof resource.resourcetype !== 'string' || typeof resource.id !== 'string') {
    throw new RulesError(RulesErrorCode.INVALID_INPUT, 'a resource needs string resourcetype and id');
  }
}

function privilegeKey(resource: Resource, bit: number): string {
  return `${bit}\u0000${resource.resourcetype.toLowerCase()}\u0000${resource.id.toLowerCase()}`;
}
