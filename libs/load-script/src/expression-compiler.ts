import type { Cell } from '@trustzone/data-model';
import { fromBoolean, isTrue, toNumber, toText } from './cell-value';
import type { SourcePosition } from './load-script.error';
import type { BinaryOperator, Expression } from './script-ast';
import { SCRIPT_FUNCTIONS, type RowPosition } from './script-functions';

/** The row being evaluated: source values by field index plus RecNo/RowNo. */
export interface EvalRow extends RowPosition {
  get(fieldIndex: number): Cell;
}

export type CompiledExpression = (row: EvalRow) => Cell;

/** Maps a field name to its index in the source, or throws a positioned error. */
export type FieldResolver = (name: string, pos: SourcePosition) => number;

/**
 * Compiles an expression tree into closures once per LOAD, so the per-row cost is plain calls
 * (field names are resolved to indexes up front, and unknown fields fail before any row runs).
 */
export function compileExpression(expr: Expression, resolve: FieldResolver): CompiledExpression {
  switch (expr.kind) {
    case 'number':
    case 'string': {
      const v = expr.value;
      return () => v;
    }
    case 'field': {
      const index = resolve(expr.name, expr.pos);
      return (row) => row.get(index);
    }
    case 'unary': {
      const operand = compileExpression(expr.operand, resolve);
      if (expr.op === 'not') return (row) => fromBoolean(!isTrue(operand(row)));
      return (row) => {
        const n = toNumber(operand(row));
        return n === null ? null : -n + 0;
      };
    }
    case 'binary':
      return compileBinary(expr.op, compileExpression(expr.left, resolve), compileExpression(expr.right, resolve));
    case 'call':
      return compileCall(expr.name, expr.args.map((a) => compileExpression(a, resolve)));
  }
}

function compileCall(name: string, args: CompiledExpression[]): CompiledExpression {
  if (name === 'IF') {
    const [cond, then, otherwise] = args;
    if (!cond || !then) throw new Error('IF arity was checked by the parser');
    return (row) => (isTrue(cond(row)) ? then(row) : otherwise ? otherwise(row) : null);
  }
  const apply = SCRIPT_FUNCTIONS.get(name)?.apply;
  if (!apply) throw new Error(`function ${name} was accepted by the parser but has no implementation`);
  return (row) => apply(args.map((a) => a(row)), row);
}

function arithmetic(l: Cell, r: Cell, f: (a: number, b: number) => number): Cell {
  const a = toNumber(l);
  const b = toNumber(r);
  if (a === null || b === null) return null;
  const v = f(a, b);
  return Number.isFinite(v) ? v : null;
}

/**
 * Comparison: numerically when both sides are numbers, else as text compared case-insensitively
 * (Qlik's relational operators ignore case). A missing value compares false.
 */
function compare(l: Cell, r: Cell): number | null {
  if (l === null || r === null) return null;
  const a = toNumber(l);
  const b = toNumber(r);
  if (a !== null && b !== null) return a < b ? -1 : a > b ? 1 : 0;
  const x = toText(l).toUpperCase();
  const y = toText(r).toUpperCase();
  return x < y ? -1 : x > y ? 1 : 0;
}

function relational(test: (c: number) => boolean): (l: Cell, r: Cell) => Cell {
  return (l, r) => {
    const c = compare(l, r);
    return fromBoolean(c !== null && test(c));
  };
}

const BINARY: Record<Exclude<BinaryOperator, 'and' | 'or'>, (l: Cell, r: Cell) => Cell> = {
  '&': (l, r) => toText(l) + toText(r),
  '+': (l, r) => arithmetic(l, r, (a, b) => a + b),
  '-': (l, r) => arithmetic(l, r, (a, b) => a - b),
  '*': (l, r) => arithmetic(l, r, (a, b) => a * b),
  '/': (l, r) => arithmetic(l, r, (a, b) => (b === 0 ? NaN : a / b)),
  '=': relational((c) => c === 0),
  '<>': relational((c) => c !== 0),
  '<': relational((c) => c < 0),
  '<=': relational((c) => c <= 0),
  '>': relational((c) => c > 0),
  '>=': relational((c) => c >= 0),
};

function compileBinary(op: BinaryOperator, left: CompiledExpression, right: CompiledExpression): CompiledExpression {
  if (op === 'and') return (row) => fromBoolean(isTrue(left(row)) && isTrue(right(row)));
  if (op === 'or') return (row) => fromBoolean(isTrue(left(row)) || isTrue(right(row)));
  const f = BINARY[op];
  return (row) => f(left(row), right(row));
}
