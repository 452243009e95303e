import { compileGlob, type Cell } from '@trustzone/data-model';
import { fromBoolean, isTrue, toNumber, toText } from './cell-value';
import type { Compiled, RowContext, ScriptServices } from './eval-context';
import { SCRIPT_FUNCTIONS } from './functions/function-table';
import type { CompileSite } from './functions/function-types';
import { ScriptError, ScriptErrorCode, type SourcePosition } from './load-script.error';
import type { BinaryOperator, Expression } from './script-ast';

export type { Compiled } from './eval-context';

/** How names and aggregations resolve where an expression is compiled. */
export interface CompileScope {
  services: ScriptServices;
  /** Index of a source field, or -1. Absent where there is no record (LET, IF, `$(=…)`). */
  fieldIndex?: (name: string) => number;
  /** Source field names, for the error that names what is available. */
  fieldNames?: readonly string[];
  /** GROUP BY fields when the LOAD aggregates; outside an aggregation only these may be read. */
  groupBy?: ReadonlySet<string> | null;
  /** SubField generators of this LOAD (see RowContext.piece); absent where they are not allowed. */
  generators?: ((c: RowContext) => number)[];
}

/** Whether an expression calls an aggregation (outside nested aggregation arguments). */
export function hasAggregation(e: Expression): boolean {
  switch (e.kind) {
    case 'call':
      return SCRIPT_FUNCTIONS.get(e.name)?.kind === 'aggregate' || e.args.some(hasAggregation);
    case 'unary':
      return hasAggregation(e.operand);
    case 'binary':
      return hasAggregation(e.left) || hasAggregation(e.right);
    default:
      return false;
  }
}

/**
 * Compiles an expression tree into closures once per statement, so the per-row cost is plain
 * calls: field names become column indexes, variables become constants, and unknown fields fail
 * before any row runs.
 */
export function compileExpression(expr: Expression, scope: CompileScope): Compiled {
  return new Compiler(scope).compile(expr, false);
}

class Compiler {
  constructor(private readonly scope: CompileScope) {}

  compile(e: Expression, inAggregate: boolean): Compiled {
    switch (e.kind) {
      case 'number':
      case 'string': {
        const v = e.value;
        return () => v;
      }
      case 'field':
        return this.field(e.name, e.pos, inAggregate);
      case 'unary': {
        const operand = this.compile(e.operand, inAggregate);
        if (e.op === 'not') return (c) => fromBoolean(!isTrue(operand(c)));
        return (c) => {
          const n = toNumber(operand(c));
          return n === null ? null : -n + 0;
        };
      }
      case 'binary':
        return binary(e.op, this.compile(e.left, inAggregate), this.compile(e.right, inAggregate));
      case 'call':
        return this.call(e, inAggregate);
    }
  }

  private field(name: string, pos: SourcePosition, inAggregate: boolean): Compiled {
    const { fieldIndex, groupBy, services } = this.scope;
    const index = fieldIndex ? fieldIndex(name) : -1;
    if (index >= 0) {
      if (groupBy && !inAggregate && !groupBy.has(name)) {
        throw ScriptError.at(ScriptErrorCode.Data, pos, `field "${name}" must be listed in GROUP BY or used inside an aggregation such as Sum(${name})`);
      }
      return (c) => c.columns[index]![c.row] ?? null;
    }
    // Not a field: a variable read by its bare name (LET x = y + 1), fixed for this statement.
    const variable = services.variable(name);
    if (variable !== undefined) return () => variable;
    // Qlik reads an unknown name here as null; an error finds the typo instead (README).
    if (!fieldIndex) throw ScriptError.at(ScriptErrorCode.Data, pos, `"${name}" is neither a variable nor, here, a field: there is no current record (LET, IF, FOR, $(=…) evaluate without one)`);
    const names = this.scope.fieldNames ?? [];
    const known = names.slice(0, 20).join(', ') + (names.length > 20 ? ', …' : '');
    throw ScriptError.at(ScriptErrorCode.Data, pos, `field "${name}" not found in the LOAD source (fields: ${known})`);
  }

  private call(e: Extract<Expression, { kind: 'call' }>, inAggregate: boolean): Compiled {
    const def = SCRIPT_FUNCTIONS.get(e.name);
    if (!def) throw ScriptError.at(ScriptErrorCode.Syntax, e.pos, `unknown function ${e.name}()`);
    const aggregate = def.kind === 'aggregate';
    if (aggregate && inAggregate) throw ScriptError.at(ScriptErrorCode.Data, e.pos, `${e.name}() cannot be nested inside another aggregation`);
    if (aggregate && !this.scope.groupBy) {
      throw ScriptError.at(ScriptErrorCode.Data, e.pos, `${e.name}() is an aggregation: it is only allowed in a LOAD (with GROUP BY, or over all its records)`);
    }
    const site: CompileSite = {
      node: e,
      services: this.scope.services,
      arg: (i) => this.compile(e.args[i]!, inAggregate || aggregate),
      hasRow: this.scope.fieldIndex !== undefined,
      fail: (message, at) => {
        throw ScriptError.at(ScriptErrorCode.Data, at ?? e.pos, message);
      },
      generator: (pieces) => {
        const list = this.scope.generators;
        if (!list || inAggregate) throw ScriptError.at(ScriptErrorCode.Data, e.pos, 'SubField with two arguments is only allowed in the field list of a LOAD without GROUP BY');
        list.push(pieces);
        return list.length - 1;
      },
    };
    if (def.kind !== 'scalar') return def.compile(site);
    const args = e.args.map((_, i) => site.arg(i));
    const apply = def.apply;
    const services = this.scope.services;
    // One argument buffer per call site: evaluation is synchronous and a site never re-enters itself.
    const buffer: Cell[] = new Array<Cell>(args.length).fill(null);
    switch (args.length) {
      case 0:
        return () => apply(buffer, services);
      case 1: {
        const a = args[0]!;
        return (c) => {
          buffer[0] = a(c);
          return apply(buffer, services);
        };
      }
      case 2: {
        const [a, b] = args as [Compiled, Compiled];
        return (c) => {
          buffer[0] = a(c);
          buffer[1] = b(c);
          return apply(buffer, services);
        };
      }
      default:
        return (c) => {
          for (let k = 0; k < args.length; k++) buffer[k] = args[k]!(c);
          return apply(buffer, services);
        };
    }
  }
}

function arithmetic(l: Cell, r: Cell, f: (a: number, b: number) => number): Cell {
  const a = toNumber(l);
  const b = toNumber(r);
  if (a === null || b === null) return null;
  const v = f(a, b);
  return Number.isFinite(v) ? v + 0 : null;
}

/**
 * Comparison: numerically when both sides are numbers (duals count as their number), else as
 * text compared case-insensitively (Qlik's relational operators ignore case). A missing value
 * compares false.
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

const likeCache = new Map<string, (text: string) => boolean>();

/**
 * `a LIKE 'x*y?'`: `*` any run, `?` one character, case-insensitive — with data-model's glob
 * matcher, linear in practice and never exponential (a pattern is author input).
 */
function like(l: Cell, r: Cell): Cell {
  if (l === null || r === null) return fromBoolean(false);
  const pattern = toText(r);
  let match = likeCache.get(pattern);
  if (!match) {
    match = compileGlob(pattern);
    if (likeCache.size > 1000) likeCache.clear();
    likeCache.set(pattern, match);
  }
  return fromBoolean(match(toText(l)));
}

const BINARY: Record<Exclude<BinaryOperator, 'and' | 'or' | 'xor'>, (l: Cell, r: Cell) => Cell> = {
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
  like,
};

function binary(op: BinaryOperator, left: Compiled, right: Compiled): Compiled {
  if (op === 'and') return (c) => fromBoolean(isTrue(left(c)) && isTrue(right(c)));
  if (op === 'or') return (c) => fromBoolean(isTrue(left(c)) || isTrue(right(c)));
  if (op === 'xor') return (c) => fromBoolean(isTrue(left(c)) !== isTrue(right(c)));
  const f = BINARY[op];
  return (c) => f(left(c), right(c));
}
