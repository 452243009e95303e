import type { Expr } from '../condition/condition-ast';
import type { RulesErrorCode } from '../rules.error';
import type { EvalScope } from './eval-scope';

/** Returns the truth of a sub-expression or throws RulesError (the rule then grants nothing). */
export type Test = (s: EvalScope) => boolean;

/** One operand of a comparison as explain shows it: its text and its current value. */
export interface OperandView {
  readonly text: string;
  readonly literal: boolean;
  show(s: EvalScope): string;
}

/**
 * `<path> = "literal"` (case-insensitive equality with a literal) on the resource or the user side:
 * the rule index can look the values up in a table of literals instead of testing each rule
 * (see candidate-set.ts).
 */
export interface ValueGuard {
  /** Canonical path text (`resource.@Dept`, `user.group`): built-in names lower-cased, custom
   *  property names as written. */
  readonly pathKey: string;
  readonly get: (s: EvalScope) => unknown;
  readonly literalLower: string;
}

/** A compiled sub-expression; the tree mirrors the AST so explain can point at the false clause. */
export interface CompiledNode {
  readonly expr: Expr;
  readonly test: Test;
  readonly children: readonly CompiledNode[];
  readonly operands: readonly OperandView[];
  /** Rough relative cost, used only to order independent rules (never clauses inside one rule). */
  readonly cost: number;
  /** Reads only the requesting user and literals (no resource, no HasPrivilege): constant per request. */
  readonly userOnly: boolean;
  readonly guard?: ValueGuard;
}

/** A static problem found while compiling (unknown path/function, type mismatch, bad argument). */
export interface ConditionDiagnostic {
  readonly code: RulesErrorCode;
  readonly message: string;
  readonly line: number;
  readonly column: number;
}

export interface CompiledCondition {
  /** null for an empty condition (always true). */
  readonly root: CompiledNode | null;
  /** Non-empty → every evaluation throws the first one: a rule with a typo never grants. */
  readonly diagnostics: readonly ConditionDiagnostic[];
  readonly cost: number;
  readonly test: Test;
}
