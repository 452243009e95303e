/** Aggregation functions of the measure language. */
export type AggregateFn = 'sum' | 'count' | 'avg' | 'min' | 'max';

export interface AggregateRef {
  fn: AggregateFn;
  distinct: boolean;
  field: string;
}

/** Measure / Evaluate expression: aggregates combined by arithmetic. */
export type Expr =
  | { kind: 'number'; value: number }
  | { kind: 'aggregate'; index: number }
  | { kind: 'negate'; operand: Expr }
  | { kind: 'binary'; op: '+' | '-' | '*' | '/'; left: Expr; right: Expr };

export interface ParsedExpression {
  root: Expr;
  /** Distinct aggregates the expression uses; `aggregate.index` points here. */
  aggregates: AggregateRef[];
}

/**
 * Value of an expression given its aggregates' values. NaN stands for null: arithmetic with a
 * null is null and a division by zero is null, as in the QIX engine.
 */
export function evaluateExpr(e: Expr, values: (index: number) => number): number {
  switch (e.kind) {
    case 'number':
      return e.value;
    case 'aggregate':
      return values(e.index);
    case 'negate':
      return -evaluateExpr(e.operand, values);
    case 'binary': {
      const a = evaluateExpr(e.left, values);
      const b = evaluateExpr(e.right, values);
      switch (e.op) {
        case '+':
          return a + b;
        case '-':
          return a - b;
        case '*':
          return a * b;
        case '/':
          return b === 0 ? Number.NaN : a / b;
        default:
          return assertNever(e.op);
      }
    }
    default:
      return assertNever(e);
  }
}

export function assertNever(x: never): never {
  throw new Error(`unexpected ${String(x)}`);
}
