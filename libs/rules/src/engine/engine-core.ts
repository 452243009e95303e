import { PreparedUser } from '../compile/prepared-user';
import type { ActionName } from '../model/action-bits';
import { actionBit } from '../model/action-bits';
import type { Decision, RuleFailure } from '../model/decision';
import type { RequestContext, User, Values } from '../model/subject';
import { RulesErrorCode, isRulesError } from '../rules.error';
import { CONTEXT_BIT } from './compiled-rule';
import type { Outcome } from './decision-session';
import { DecisionSession } from './decision-session';
import type { RuleIndex } from './rule-index';

/** Deepest HasPrivilege chain (app object → app → stream is 2); beyond it the rule errors. */
export const DEFAULT_MAX_PRIVILEGE_DEPTH = 16;

/** What explain/audit/prepared requests share: the indexes of enabled and of disabled rules. */
export interface EngineCore {
  readonly index: RuleIndex;
  readonly disabledIndex: RuleIndex;
  readonly maxDepth: number;
  /** Number of entities compiled (rule.order < ruleCount). */
  readonly ruleCount: number;
}

export type SessionOrFailure = { readonly session: DecisionSession } | { readonly failure: RuleFailure };

/** Validates user and context once; a malformed request yields a failure every decision reports. */
export function openSession(core: EngineCore, user: User, context: RequestContext, environment?: Values): SessionOrFailure {
  const contextBit = CONTEXT_BIT[context];
  if (!Object.hasOwn(CONTEXT_BIT, context) || contextBit === undefined) {
    return { failure: requestFailure(RulesErrorCode.INVALID_INPUT, `unknown request context '${String(context)}'`) };
  }
  try {
    return { session: new DecisionSession(core.index, new PreparedUser(user, context, environment), contextBit, core.maxDepth, core.ruleCount) };
  } catch (error) {
    return { failure: requestFailure(isRulesError(error) ? error.code : RulesErrorCode.INVALID_INPUT, isRulesError(error) ? error.message : 'malformed user') };
  }
}

export function requestFailure(code: RulesErrorCode, message: string): RuleFailure {
  return { ruleId: '', ruleName: '', code, message };
}

export function invalidRequest(failure: RuleFailure): Decision {
  return { kind: 'deny', reason: 'invalid-request', errors: [failure] };
}

export function bitOf(action: ActionName | string): number | RuleFailure {
  return actionBit(action) ?? requestFailure(RulesErrorCode.UNKNOWN_ACTION, `unknown action '${String(action)}'`);
}

export function toDecision(outcome: Outcome): Decision {
  if (outcome.granted.length > 0) return { kind: 'allow', grantedBy: outcome.granted.map((rule) => rule.id) };
  return { kind: 'deny', reason: outcome.candidates === 0 ? 'no-candidate-rules' : 'no-rule-granted', errors: outcome.errors };
}

/** Anything thrown while deciding (a malformed resource) becomes an invalid-request denial. */
export function denyOnThrow(error: unknown): Decision {
  if (isRulesError(error)) return invalidRequest(requestFailure(error.code, error.message));
  return invalidRequest(requestFailure(RulesErrorCode.INVALID_INPUT, error instanceof Error ? error.message : 'malformed request'));
}
