import type { ActionName } from '../model/action-bits';
import type { Decision } from '../model/decision';
import type { RuleEntity, RuleProblem } from '../model/rule-entity';
import type { RequestContext, Resource, User, Values } from '../model/subject';
import type { AuditInput, AuditResult } from './audit';
import { audit } from './audit';
import type { CompiledRule } from './compiled-rule';
import { compileRule } from './compiled-rule';
import type { EngineCore } from './engine-core';
import { DEFAULT_MAX_PRIVILEGE_DEPTH } from './engine-core';
import type { Explanation } from './explain';
import { explain } from './explain';
import { PreparedRequest } from './prepared-request';
import { RuleIndex } from './rule-index';

export interface RuleEngineOptions {
  /** Deepest HasPrivilege nesting before the rule errors (default 16). */
  readonly maxPrivilegeDepth?: number;
  /** Use rule plans (user-only guards, literal index). Default true; false evaluates every candidate
   *  rule's whole condition — a reference path for tests and debugging. */
  readonly shortcuts?: boolean;
}

/**
 * The compiled rule set: compile once (at load and whenever the rule table changes), then decide
 * on every request. Default deny, allow-only union of enabled rules whose filter, context and
 * action bit match. Every public method is total: malformed input denies, nothing throws
 * (except audit() refusing an unanswerable request, see audit.ts).
 */
export class RuleEngine {
  /** Problems found at load; rules with severity 'error' are not loaded and never grant. */
  readonly problems: readonly RuleProblem[];
  /** Loaded rules (enabled and disabled) in input order. */
  readonly rules: readonly CompiledRule[];
  private readonly core: EngineCore;

  private constructor(rules: readonly CompiledRule[], problems: readonly RuleProblem[], maxDepth: number, ruleCount: number) {
    this.rules = rules;
    this.problems = problems;
    this.core = {
      index: new RuleIndex(rules.filter((r) => !r.disabled)),
      disabledIndex: new RuleIndex(rules.filter((r) => r.disabled)),
      maxDepth,
      ruleCount,
    };
  }

  static compile(entities: readonly RuleEntity[], options: RuleEngineOptions = {}): RuleEngine {
    const rules: CompiledRule[] = [];
    const problems: RuleProblem[] = [];
    const seen = new Set<string>();
    if (!Array.isArray(entities)) {
      problems.push({ ruleId: '', ruleName: '', field: 'id', severity: 'error', code: 'INVALID_RULE', message: 'the rule table must be an array' });
      entities = [];
    }
    entities.forEach((entity, order) => {
      const result = compileRule(entity, order, options.shortcuts ?? true);
      problems.push(...result.problems);
      if (result.rule === undefined) return;
      if (seen.has(result.rule.id)) {
        problems.push({ ruleId: result.rule.id, ruleName: result.rule.name, field: 'id', severity: 'error', code: 'INVALID_RULE', message: 'duplicate rule id' });
        return;
      }
      seen.add(result.rule.id);
      rules.push(result.rule);
    });
    return new RuleEngine(rules, problems, options.maxPrivilegeDepth ?? DEFAULT_MAX_PRIVILEGE_DEPTH, entities.length);
  }

  /** One user's request: reuse it for several decisions (shares the prepared user and memo). */
  prepare(user: User, context: RequestContext, environment?: Values): PreparedRequest {
    return new PreparedRequest(this.core, user, context, environment);
  }

  decide(user: User, resource: Resource, action: ActionName | string, context: RequestContext): Decision {
    return this.prepare(user, context).decide(resource, action);
  }

  isAllowed(user: User, resource: Resource, action: ActionName | string, context: RequestContext): boolean {
    return this.decide(user, resource, action, context).kind === 'allow';
  }

  filter<T extends Resource>(user: User, resources: readonly T[], action: ActionName | string, context: RequestContext): T[] {
    return this.prepare(user, context).filter(resources, action);
  }

  privileges(user: User, resource: Resource, context: RequestContext): ActionName[] {
    return this.prepare(user, context).privileges(resource);
  }

  explain(user: User, resource: Resource, action: ActionName | string, context: RequestContext): Explanation {
    return explain(this.core, user, resource, action, context);
  }

  audit(input: AuditInput): AuditResult {
    return audit(this.core, input);
  }
}
