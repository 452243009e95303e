import type { ActionName } from '../model/action-bits';
import type { Decision, RuleFailure } from '../model/decision';
import type { RequestContext, Resource, User } from '../model/subject';
import type { EngineCore } from './engine-core';
import { bitOf, denyOnThrow, invalidRequest, openSession, toDecision } from './engine-core';
import { describeFalse } from './false-clause';

export interface RuleVerdict {
  readonly ruleId: string;
  readonly ruleName: string;
  readonly outcome: 'granted' | 'false' | 'error';
  /** For 'false': which clause was false and the values involved. */
  readonly falseClause?: string;
  /** For 'error': what failed. */
  readonly error?: RuleFailure;
}

export interface Explanation {
  readonly decision: Decision;
  readonly action: ActionName | string;
  readonly context: RequestContext;
  /** Every candidate rule (enabled, filter matches, context and action bit apply), in evaluation order. */
  readonly candidates: readonly RuleVerdict[];
  /** One line per candidate, for humans (`GET /qrs/systemrule/security/explain`). */
  readonly text: string;
}

/**
 * Why allowed / why denied for one (user, resource, action, context). Evaluates every candidate
 * (no early exit) with the same compiled rules and session semantics as decide(), so the verdict
 * agrees with the decision.
 */
export function explain(core: EngineCore, user: User, resource: Resource, action: ActionName | string, context: RequestContext): Explanation {
  const base = { action, context };
  const opened = openSession(core, user, context);
  if ('failure' in opened) return finish({ ...base, decision: invalidRequest(opened.failure), candidates: [] });
  const bit = bitOf(action);
  if (typeof bit !== 'number') return finish({ ...base, decision: invalidRequest(bit), candidates: [] });
  const session = opened.session;
  try {
    const outcome = session.run(resource, bit, true);
    const candidates = core.index.candidates(resource.resourcetype.toLowerCase(), resource.id, bit, session.contextBit).rules;
    const verdicts = candidates.map((rule): RuleVerdict => {
      const ids = { ruleId: rule.id, ruleName: rule.name };
      if (outcome.granted.includes(rule)) return { ...ids, outcome: 'granted' };
      const error = outcome.errors.find((failure) => failure.ruleId === rule.id);
      if (error !== undefined) return { ...ids, outcome: 'error', error };
      const root = rule.condition.root;
      const falseClause = root === null ? 'empty condition' : describeFalse(root, session.scope(resource));
      return { ...ids, outcome: 'false', falseClause };
    });
    return finish({ ...base, decision: toDecision(outcome), candidates: verdicts });
  } catch (error) {
    return finish({ ...base, decision: denyOnThrow(error), candidates: [] });
  }
}

function finish(partial: Omit<Explanation, 'text'>): Explanation {
  const lines: string[] = [];
  const d = partial.decision;
  if (d.kind === 'allow') lines.push(`ALLOWED ${partial.action} (${partial.context}) by ${d.grantedBy.join(', ')}`);
  else lines.push(`DENIED ${partial.action} (${partial.context}): ${d.reason}`);
  if (d.kind === 'deny' && d.reason === 'invalid-request') lines.push(...d.errors.map((e) => `  request: ${e.message}`));
  for (const v of partial.candidates) {
    const detail = v.outcome === 'granted' ? 'grants' : v.outcome === 'error' ? `error ${v.error?.code}: ${v.error?.message}` : v.falseClause;
    lines.push(`  rule '${v.ruleName}' (${v.ruleId}): ${detail}`);
  }
  if (partial.candidates.length === 0 && d.kind === 'deny' && d.reason === 'no-candidate-rules') {
    lines.push('  no enabled rule covers this resource type with this action in this context');
  }
  return { ...partial, text: lines.join('\n') };
}
