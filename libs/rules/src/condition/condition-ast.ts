/** 1-based source position of a node (kept for error reports; not part of a tree's meaning). */
export interface SourcePos {
  readonly line: number;
  readonly column: number;
}

export interface PathOperand {
  readonly kind: 'path';
  /** Segments as written (`resource`, `stream`, `@Department`); names resolve case-insensitively. */
  readonly segments: readonly string[];
  readonly pos: SourcePos;
}

export interface StringOperand {
  readonly kind: 'string';
  readonly value: string;
  readonly pos: SourcePos;
}

export type Operand = PathOperand | StringOperand;

export type CompareOp = '=' | '!=' | '==' | '!==' | 'like' | 'matches';

export const COMPARE_OPS: readonly CompareOp[] = ['=', '!=', '==', '!==', 'like', 'matches'];

export interface CompareExpr {
  readonly kind: 'compare';
  readonly op: CompareOp;
  readonly left: Operand;
  /** A StringOperand whenever op is `like` or `matches` (the parser enforces it). */
  readonly right: Operand;
  readonly pos: SourcePos;
}

export interface CallExpr {
  readonly kind: 'call';
  readonly target: PathOperand;
  /** Canonical spelling for known functions (HasPrivilege, IsAnonymous, Empty, IsOwned), else as written. */
  readonly name: string;
  readonly args: readonly StringOperand[];
  readonly pos: SourcePos;
}

export interface NotExpr {
  readonly kind: 'not';
  readonly operand: Expr;
  readonly pos: SourcePos;
}

/** n-ary (≥ 2 operands). `a and b and c` is one node; a parenthesised `a and (b and c)` keeps its
 *  nesting so printing reproduces the same tree. */
export interface AndExpr {
  readonly kind: 'and';
  readonly operands: readonly Expr[];
  readonly pos: SourcePos;
}

export interface OrExpr {
  readonly kind: 'or';
  readonly operands: readonly Expr[];
  readonly pos: SourcePos;
}

export type Expr = CompareExpr | CallExpr | NotExpr | AndExpr | OrExpr;

/** Known function names, keyed by lower case (function names are case-insensitive). */
export const FUNCTION_NAMES: Readonly<Record<string, string>> = {
  hasprivilege: 'HasPrivilege',
  isanonymous: 'IsAnonymous',
  empty: 'Empty',
  isowned: 'IsOwned',
};

/** Keywords are lower case only (security-rules.md); `AND` is an identifier and a parse error. */
export const KEYWORDS = ['and', 'or', 'like', 'matches'] as const;
