import type { EvalScope, PrivilegeOracle } from '../compile/eval-scope';
import type { PreparedUser } from '../compile/prepared-user';
import { actionIndex, actionNamesOf } from '../model/action-bits';
import type { RuleFailure } from '../model/decision';
import type { Resource } from '../model/subject';
import { RulesError, RulesErrorCode } from '../rules.error';
import type { CandidateSet } from './candidate-set';
import type { CompiledRule } from './compiled-rule';
import type { RuleIndex } from './rule-index';
import { toFailure } from './rule-failure';

/** Result of evaluating the candidates of one (resource, action). */
export interface Outcome {
  readonly candidates: number;
  readonly granted: readonly CompiledRule[];
  readonly errors: readonly RuleFailure[];
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
  /** Same memo keyed by snapshot object: apps of one stream share its snapshot, so list filtering
   *  answers the stream's HasPrivilege without building a key string per app. */
  private memoByObject: Map<Resource, (boolean | RuleFailure | undefined)[]> | undefined;
  /** Decisions being made, outermost first; keys are computed only when HasPrivilege needs them. */
  private readonly stack: StackEntry[] = [];
  private cycles = 0;
  /** Per rule (by order): 0 not evaluated, then USER_GUARD_* — the user-only part is constant per request. */
  private guardStates: number[] | undefined;
  private uncachedGuards = 0;
  private userSelections: Map<CandidateSet, readonly number[] | undefined> | undefined;

  constructor(
    private readonly index: RuleIndex,
    readonly user: PreparedUser,
    readonly contextBit: number,
    private readonly maxDepth: number,
    private readonly ruleCount: number,
  ) {}

  /** Top-level evaluation; `all` = evaluate every candidate (explain/audit) instead of stopping at the first grant. */
  run(resource: Resource, bit: number, all: boolean, index: RuleIndex = this.index): Outcome {
    checkResource(resource);
    this.stack.push({ resource, bit, key: undefined });
    try {
      return this.evaluate(resource, bit, all, index);
    } finally {
      this.stack.pop();
    }
  }

  hasPrivilege(resource: Resource, bit: number): boolean {
    const byObject = this.memoByObject?.get(resource)?.[actionIndex(bit)];
    if (byObject !== undefined) return answer(byObject);
    checkResource(resource);
    const key = privilegeKey(resource, bit);
    const known = this.memo?.get(key);
    if (known !== undefined) return answer(known);
    if (this.onStack(key)) {
      this.cycles++;
      throw new RulesError(RulesErrorCode.PRIVILEGE_CYCLE, `HasPrivilege cycle on ${resource.resourcetype} ${resource.id} (${actionNamesOf(bit).join()})`);
    }
    // The outermost entry is the request itself; the rest are nested HasPrivilege decisions.
    if (this.stack.length > this.maxDepth) {
      throw new RulesError(RulesErrorCode.DEPTH_EXCEEDED, `HasPrivilege nested deeper than ${this.maxDepth}`);
    }
    const cyclesBefore = this.cycles;
    this.stack.push({ resource, bit, key });
    let outcome: Outcome;
    try {
      outcome = this.evaluate(resource, bit, false, this.index);
    } finally {
      this.stack.pop();
    }
    const result = nestedResult(outcome, resource, bit);
    // A result shaped by a cycle depends on what was on the stack: do not reuse it elsewhere.
    if (this.cycles === cyclesBefore) {
      (this.memo ??= new Map()).set(key, result);
      const slots = (this.memoByObject ??= new Map()).get(resource) ?? [];
      slots[actionIndex(bit)] = result;
      this.memoByObject.set(resource, slots);
    }
    return answer(result);
  }

  scope(resource: Resource): EvalScope {
    return { user: this.user, resource, oracle: this };
  }

  private evaluate(resource: Resource, bit: number, all: boolean, index: RuleIndex): Outcome {
    const rules = index.candidates(resource.resourcetype.toLowerCase(), resource.id, bit, this.contextBit);
    const candidates = rules.rules;
    if (candidates.length === 0) return { candidates: 0, granted: NONE, errors: NO_ERRORS };
    let granted: CompiledRule[] | undefined;
    let errors: RuleFailure[] | undefined;
    const scope: EvalScope = { user: this.user, resource, oracle: this };
    // Unguarded rules first (cheap-first order), then those the user's values select, then those
    // the resource's values select (buckets are disjoint: no rule is evaluated twice).
    for (let phase = 0; phase < 3; phase++) {
      const positions = phase === 0 ? rules.unguarded : phase === 1 ? this.userSelection(rules, scope) : rules.selectedByResource(scope);
      if (positions === undefined) continue;
      for (let k = 0; k < positions.length; k++) {
        const rule = candidates[positions[k] as number] as CompiledRule;
        try {
          if (this.holds(rule, scope)) {
            (granted ??= []).push(rule);
            if (!all) return { candidates: candidates.length, granted, errors: errors ?? NO_ERRORS };
          }
        } catch (error) {
          (errors ??= []).push(toFailure(rule, error));
        }
      }
    }
    return { candidates: candidates.length, granted: granted ?? NONE, errors: errors ?? NO_ERRORS };
  }

  /** The rule's condition, using its plan: a false user-only part ends it. Its value is cached once
   *  a request evaluates many resources (a single decision does not pay for the cache). */
  private holds(rule: CompiledRule, scope: EvalScope): boolean {
    const guard = rule.plan?.userGuard;
    if (guard === undefined || guard === null) return rule.condition.test(scope);
    if (this.guardStates === undefined) {
      if (++this.uncachedGuards <= GUARD_CACHE_AFTER) return this.holdsUncached(rule, guard, scope);
      this.guardStates = new Array<number>(this.ruleCount).fill(0);
    }
    const states = this.guardStates;
    let state = states[rule.order] as number;
    if (state === 0) {
      try {
        state = guard(scope) ? USER_GUARD_TRUE : USER_GUARD_FALSE;
      } catch {
        // Let the full condition run and report the problem where it occurs.
        state = USER_GUARD_UNKNOWN;
      }
      states[rule.order] = state;
    }
    if (state === USER_GUARD_FALSE) return false;
    return state === USER_GUARD_TRUE ? (rule.plan as { residual: (s: EvalScope) => boolean }).residual(scope) : rule.condition.test(scope);
  }

  private holdsUncached(rule: CompiledRule, guard: (s: EvalScope) => boolean, scope: EvalScope): boolean {
    let passed: boolean;
    try {
      passed = guard(scope);
    } catch {
      return rule.condition.test(scope);
    }
    return passed && (rule.plan as { residual: (s: EvalScope) => boolean }).residual(scope);
  }

  private userSelection(rules: CandidateSet, scope: EvalScope): readonly number[] | undefined {
    if (!rules.hasUserGroups) return undefined;
    const cache = (this.userSelections ??= new Map());
    if (cache.has(rules)) return cache.get(rules);
    const selected = rules.selectedByUser(scope);
    cache.set(rules, selected);
    return selected;
  }

  private onStack(key: string): boolean {
    for (const entry of this.stack) {
      entry.key ??= privilegeKey(entry.resource, entry.bit);
      if (entry.key === key) return true;
    }
    return false;
  }
}

const NONE: readonly CompiledRule[] = Object.freeze([]);
const NO_ERRORS: readonly RuleFailure[] = Object.freeze([]);
/** User-guard evaluations before a request starts caching them (allocating the cache costs more
 *  than a few guard evaluations). */
const GUARD_CACHE_AFTER = 64;
const USER_GUARD_TRUE = 1;
const USER_GUARD_FALSE = 2;
const USER_GUARD_UNKNOWN = 3;

interface StackEntry {
  readonly resource: Resource;
  readonly bit: number;
  key: string | undefined;
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
