/**
 * Chart expressions as Qlik's clients write them (measures, Evaluate, calculated labels):
 * arithmetic, comparisons, scalar functions, aggregations with set analysis and TOTAL, Aggr.
 * The tree is plain data; evaluation lives in chart-eval.ts.
 */
export type ChartAggregateFn =
  | 'sum'
  | 'count'
  | 'avg'
  | 'min'
  | 'max'
  | 'only'
  | 'minstring'
  | 'maxstring'
  | 'concat'
  | 'median'
  | 'stdev'
  | 'mode'
  | 'firstsortedvalue';

export const CHART_AGGREGATES: ReadonlyMap<ChartAggregateFn, { min: number; max: number }> = new Map([
  ['sum', { min: 1, max: 1 }],
  ['count', { min: 1, max: 1 }],
  ['avg', { min: 1, max: 1 }],
  // Min/Max(expr[, rank]) in Qlik; the rank argument is not supported (refused, not ignored).
  ['min', { min: 1, max: 1 }],
  ['max', { min: 1, max: 1 }],
  ['only', { min: 1, max: 1 }],
  ['minstring', { min: 1, max: 1 }],
  ['maxstring', { min: 1, max: 1 }],
  // Concat(expr[, delimiter[, sort_weight]])
  ['concat', { min: 1, max: 3 }],
  ['median', { min: 1, max: 1 }],
  ['stdev', { min: 1, max: 1 }],
  ['mode', { min: 1, max: 1 }],
  // FirstSortedValue(expr, sort_weight)
  ['firstsortedvalue', { min: 2, max: 2 }],
]);

export type SetAssignOp = '=' | '+=' | '-=' | '*=' | '/=';
export type SetOperator = '+' | '-' | '*' | '/';

/** One value of an element list: `2024`, `'Sweden'` (literal, wildcards allowed) or `"A*"` / `">100"` (search). */
export type ElementItem = { kind: 'number'; value: number } | { kind: 'literal'; text: string } | { kind: 'search'; text: string };

/** The right-hand side of a field modifier: a value list, P()/E(), or a set operation of those. */
export type ElementSet =
  | { kind: 'list'; items: ElementItem[] }
  | { kind: 'possible' | 'excluded'; set: SetExpr | null; field: string }
  | { kind: 'op'; op: SetOperator; left: ElementSet; right: ElementSet };

export interface FieldModifier {
  field: string;
  op: SetAssignOp;
  /** null: `Field=` clears the selection on the field. */
  elements: ElementSet | null;
}

/** A set expression: `1`, `$`, `$<…>`, `<…>` (on `$`) and `+ - * /` between them. */
export type SetExpr =
  | { kind: 'entity'; identifier: '1' | '$'; modifiers: FieldModifier[] }
  | { kind: 'op'; op: SetOperator; left: SetExpr; right: SetExpr };

export type BinaryOp = '+' | '-' | '*' | '/' | '&' | '=' | '<>' | '<' | '<=' | '>' | '>=' | 'and' | 'or' | 'xor';

export type ChartExpr =
  | { kind: 'number'; value: number }
  | { kind: 'string'; value: string }
  /** A field read on the current record: only inside an aggregation (outside, the parser makes it Only()). */
  | { kind: 'field'; name: string }
  | { kind: 'unary'; op: '-' | 'not'; operand: ChartExpr }
  | { kind: 'binary'; op: BinaryOp; left: ChartExpr; right: ChartExpr }
  | { kind: 'call'; name: string; args: ChartExpr[] }
  | {
      kind: 'aggregate';
      fn: ChartAggregateFn;
      distinct: boolean;
      /** null: per chart row; 'all': TOTAL; a list: TOTAL <fields> (group by those chart dimensions only). */
      total: null | 'all' | string[];
      set: SetExpr | null;
      args: ChartExpr[];
    }
  /** Aggr(measure, dim, …): a virtual table; only as the argument of an aggregation. */
  | { kind: 'aggr'; measure: ChartExpr; dimensions: string[] };
