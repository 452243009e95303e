import { formatNumber } from '../cell-value';
import { dualCell } from '../dual-cell';
import type { Cell } from '../loaded-table';
import type { SymbolTable } from '../symbol-table';
import type { ChartExpr } from './chart-ast';
import { chartSyntax } from './chart-lexer';

/**
 * A compiled scalar expression over numbered inputs (the fields of a record inside an
 * aggregation, or the aggregates of a chart row outside one). `set` the inputs, then `run`.
 */
export interface ScalarProgram {
  set(input: number, value: Cell): void;
  run(): Cell;
}

/**
 * Compiles the scalar part of a chart expression: operators and functions. Its `field` nodes are
 * the inputs, by position in `inputs`. The load-script library provides the one implementation of
 * Qlik's scalar functions shared by scripts and charts (load-script depends on this lib, not the
 * other way round, hence the injection).
 */
export type ScalarCompiler = (expr: ChartExpr, inputs: readonly string[]) => ScalarProgram;

/**
 * Without an injected compiler: numbers and + - * / only (what the engine answered before
 * functions existed), so pure callers of the data model keep working. Null is NaN here.
 */
export const arithmeticOnly: ScalarCompiler = (expr, inputs) => {
  if (expr.kind === 'string') {
    const text = expr.value;
    return { set: () => undefined, run: () => text };
  }
  const values: Cell[] = inputs.map(() => null);
  const f = compileArithmetic(expr, inputs);
  return {
    set: (i, v) => {
      values[i] = v;
    },
    run: () => {
      const n = f(values);
      return Number.isFinite(n) ? n : null;
    },
  };
};

function compileArithmetic(e: ChartExpr, inputs: readonly string[]): (v: readonly Cell[]) => number {
  switch (e.kind) {
    case 'number': {
      const n = e.value;
      return () => n;
    }
    case 'field': {
      const i = inputs.indexOf(e.name);
      return (v) => cellNumber(v[i] ?? null);
    }
    case 'unary':
      if (e.op === '-') {
        const f = compileArithmetic(e.operand, inputs);
        return (v) => -f(v);
      }
      break;
    case 'binary': {
      const l = compileArithmetic(e.left, inputs);
      const r = compileArithmetic(e.right, inputs);
      switch (e.op) {
        case '+':
          return (v) => l(v) + r(v);
        case '-':
          return (v) => l(v) - r(v);
        case '*':
          return (v) => l(v) * r(v);
        case '/':
          return (v) => {
            const d = r(v);
            return d === 0 ? Number.NaN : l(v) / d;
          };
        default:
          break;
      }
      break;
    }
    default:
      break;
  }
  throw chartSyntax('functions, texts and comparisons need the engine\'s function library');
}

export function cellNumber(c: Cell): number {
  if (c === null) return Number.NaN;
  if (typeof c === 'number') return c;
  if (typeof c === 'object') return c.num;
  return Number.NaN;
}

export function cellText(c: Cell): string | null {
  if (c === null) return null;
  if (typeof c === 'string') return c;
  if (typeof c === 'number') return formatNumber(c);
  return c.text;
}

/** The value of a field symbol as a cell: a number, a text, or a dual when both differ. */
export function symbolCellValue(symbols: SymbolTable, s: number): Cell {
  if (s < 0) return null;
  const n = symbols.num(s);
  const t = symbols.text(s);
  if (Number.isNaN(n)) return t;
  return formatNumber(n) === t ? n : dualCell(n, t);
}
