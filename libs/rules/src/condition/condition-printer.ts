import type { Expr, Operand } from './condition-ast';

/**
 * Canonical text of a condition: `and`/`or` words, one space around operators, parentheses only
 * where the tree needs them (a nested and/or keeps its own group, so parse(print(t)) equals t).
 */
export function printCondition(expr: Expr | null): string {
  return expr === null ? '' : printExpr(expr);
}

export function printExpr(expr: Expr): string {
  switch (expr.kind) {
    case 'compare':
      return `${printOperand(expr.left)} ${expr.op} ${printOperand(expr.right)}`;
    case 'call':
      return `${printOperand(expr.target)}.${expr.name}(${expr.args.map(printOperand).join(', ')})`;
    case 'not':
      return expr.operand.kind === 'call' || expr.operand.kind === 'not'
        ? `!${printExpr(expr.operand)}`
        : `!(${printExpr(expr.operand)})`;
    case 'and':
      return expr.operands.map((o) => (o.kind === 'and' || o.kind === 'or' ? `(${printExpr(o)})` : printExpr(o))).join(' and ');
    case 'or':
      return expr.operands.map((o) => (o.kind === 'or' ? `(${printExpr(o)})` : printExpr(o))).join(' or ');
  }
}

export function printOperand(operand: Operand): string {
  return operand.kind === 'path' ? operand.segments.join('.') : quote(operand.value);
}

/** Only `\` and `"` are escaped: the lexer keeps every other backslash as written. */
export function quote(value: string): string {
  return `"${value.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`;
}
