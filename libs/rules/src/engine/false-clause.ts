import type { CompiledNode } from '../compile/compiled-node';
import type { EvalScope } from '../compile/eval-scope';
import { printExpr } from '../condition/condition-printer';

/**
 * A readable account of why a compiled sub-expression that evaluated to false is false: the first
 * false conjunct of an `and`, every alternative of an `or`, the true operand under a `!`, and for
 * a comparison the values its paths had. Only called on nodes that evaluated without error.
 */
export function describeFalse(node: CompiledNode, scope: EvalScope): string {
  const expr = node.expr;
  switch (expr.kind) {
    case 'compare':
    case 'call': {
      const values = node.operands.filter((o) => !o.literal).map((o) => `${o.text} is ${safeShow(() => o.show(scope))}`);
      return `${printExpr(expr)} is false${values.length > 0 ? ` (${values.join('; ')})` : ''}`;
    }
    case 'not':
      return `${printExpr(expr)} is false because ${printExpr(expr.operand)} is true`;
    case 'and': {
      const failing = node.children.find((child) => holds(child, scope) === false);
      return failing === undefined ? `${printExpr(expr)} is false` : describeFalse(failing, scope);
    }
    case 'or':
      return `no alternative holds: ${node.children.map((child, i) => `(${i + 1}) ${describeFalse(child, scope)}`).join('; ')}`;
  }
}

function holds(node: CompiledNode, scope: EvalScope): boolean | undefined {
  try {
    return node.test(scope);
  } catch {
    return undefined;
  }
}

function safeShow(show: () => string): string {
  try {
    return show();
  } catch {
    return 'unreadable';
  }
}
