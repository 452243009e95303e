import type { RulesErrorCode } from '../rules.error';

/** A rule that failed to evaluate for a request: it granted nothing and is reported here. */
export interface RuleFailure {
  readonly ruleId: string;
  readonly ruleName: string;
  readonly code: RulesErrorCode;
  readonly message: string;
}

export type DenyReason =
  /** No enabled rule with this action bit, context and a matching resource filter. */
  | 'no-candidate-rules'
  /** Candidates exist; every condition was false or errored (see `errors`). */
  | 'no-rule-granted'
  /** The request itself is malformed (unknown action, broken user/resource snapshot). */
  | 'invalid-request';

/** Decisions are a closed union; errors never grant and never throw — they ride on the denial. */
export type Decision =
  | { readonly kind: 'allow'; readonly grantedBy: readonly string[] }
  | { readonly kind: 'deny'; readonly reason: DenyReason; readonly errors: readonly RuleFailure[] };

export function assertNever(value: never): never {
  throw new Error(`unexpected variant: ${JSON.stringify(value)}`);
}
