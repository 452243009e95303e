import type { ActionName } from '../model/action-bits';
import { ACTION_BITS, ACTION_NAMES, actionBit } from '../model/action-bits';
import type { RuleFailure } from '../model/decision';
import type { RequestContext, Resource, User, Values } from '../model/subject';
import { RulesError, RulesErrorCode, isRulesError } from '../rules.error';
import type { DecisionSession } from './decision-session';
import type { EngineCore } from './engine-core';
import { openSession } from './engine-core';

export interface AuditInput {
  readonly users: readonly User[];
  readonly resources: readonly Resource[];
  /** Default: every action. */
  readonly actions?: readonly (ActionName | string)[];
  readonly context: RequestContext;
  /** Simulated session attributes applied to every user (`user.environment.*`). */
  readonly environment?: Values;
  /** Also evaluate disabled rules and report what they would grant (rule preview). */
  readonly includeDisabled?: boolean;
  /** Bound on users × resources × actions; default AUDIT_MAX_EVALUATIONS. */
  readonly maxEvaluations?: number;
}

export interface AuditGrant {
  readonly action: ActionName;
  /** Every rule that grants it (audit evaluates all candidates, no early exit). */
  readonly grantedBy: readonly string[];
}

export interface AuditCell {
  readonly userId: string;
  readonly resourceId: string;
  readonly resourcetype: string;
  readonly granted: readonly AuditGrant[];
  /** With includeDisabled: what disabled rules would add. */
  readonly disabledWouldGrant?: readonly AuditGrant[];
}

/** A rule that failed to evaluate, aggregated over the matrix, with one example cell. */
export interface AuditError extends RuleFailure {
  readonly occurrences: number;
  readonly example: { readonly userId: string; readonly resourceId: string; readonly action: ActionName };
}

export interface AuditResult {
  readonly actions: readonly ActionName[];
  readonly cells: readonly AuditCell[];
  readonly errors: readonly AuditError[];
  /** Users or resources whose snapshot was malformed: no cells for them. */
  readonly rejected: readonly { readonly kind: 'user' | 'resource'; readonly id: string; readonly message: string }[];
}

export const AUDIT_MAX_EVALUATIONS = 2_000_000;

/** Users × resources → granted actions and the granting rules. Throws RulesError only for a request
 *  that cannot be answered at all (unknown action, over the evaluation budget). */
export function audit(core: EngineCore, input: AuditInput): AuditResult {
  const actions = resolveActions(input.actions);
  const budget = input.maxEvaluations ?? AUDIT_MAX_EVALUATIONS;
  const evaluations = input.users.length * input.resources.length * actions.length * (input.includeDisabled ? 2 : 1);
  if (evaluations > budget) {
    throw new RulesError(RulesErrorCode.AUDIT_TOO_LARGE, `audit needs ${evaluations} evaluations, limit ${budget}: narrow the users, resources or actions`);
  }
  const cells: AuditCell[] = [];
  const errors = new Map<string, { failure: RuleFailure; occurrences: number; example: AuditError['example'] }>();
  const rejected: { kind: 'user' | 'resource'; id: string; message: string }[] = [];
  const rejectedResources = new Set<Resource>();

  for (const user of input.users) {
    const opened = openSession(core, user, input.context, input.environment);
    if ('failure' in opened) {
      rejected.push({ kind: 'user', id: String(user?.id), message: opened.failure.message });
      continue;
    }
    for (const resource of input.resources) {
      if (rejectedResources.has(resource)) continue;
      try {
        const record = (failure: RuleFailure, action: ActionName): void => {
          const key = `${failure.ruleId}\u0000${failure.code}\u0000${failure.message}`;
          const entry = errors.get(key);
          if (entry) entry.occurrences++;
          else errors.set(key, { failure, occurrences: 1, example: { userId: user.id, resourceId: resource.id, action } });
        };
        const granted = grants(opened.session, resource, actions, core.index, record);
        const disabled = input.includeDisabled ? grants(opened.session, resource, actions, core.disabledIndex, record) : undefined;
        cells.push({ userId: user.id, resourceId: resource.id, resourcetype: resource.resourcetype, granted, ...(disabled ? { disabledWouldGrant: disabled } : {}) });
      } catch (error) {
        rejectedResources.add(resource);
        rejected.push({ kind: 'resource', id: String(resource?.id), message: isRulesError(error) ? error.message : 'malformed resource' });
      }
    }
  }
  return {
    actions,
    cells,
    errors: [...errors.values()].map(({ failure, occurrences, example }) => ({ ...failure, occurrences, example })),
    rejected,
  };
}

function grants(session: DecisionSession, resource: Resource, actions: readonly ActionName[], index: EngineCore['index'], record: (f: RuleFailure, a: ActionName) => void): AuditGrant[] {
  const out: AuditGrant[] = [];
  for (const action of actions) {
    const outcome = session.run(resource, ACTION_BITS[action], true, index);
    for (const failure of outcome.errors) record(failure, action);
    if (outcome.granted.length > 0) out.push({ action, grantedBy: outcome.granted.map((rule) => rule.id) });
  }
  return out;
}

function resolveActions(requested: readonly (ActionName | string)[] | undefined): ActionName[] {
  if (requested === undefined) return [...ACTION_NAMES];
  return requested.map((name) => {
    if (actionBit(name) === undefined) throw new RulesError(RulesErrorCode.UNKNOWN_ACTION, `unknown action '${String(name)}'`);
    return name.toLowerCase() as ActionName;
  });
}
