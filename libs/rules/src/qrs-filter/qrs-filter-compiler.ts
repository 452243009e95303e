import { readPath } from './json-path';
import type { QrsFilterExpr, QrsOp, QrsValue } from './qrs-filter-ast';
import { parseQrsFilter } from './qrs-filter-parser';

export type QrsPredicate = (entity: unknown) => boolean;

/** Parse + compile in one step; throws QrsFilterError for malformed text. */
export function compileQrsFilter(text: string): QrsPredicate {
  return compileQrsExpr(parseQrsFilter(text));
}

/**
 * Semantics over plain JSON entities:
 *  - strings compare case-insensitively; numbers numerically (a numeric string field compares with
 *    a number literal as a number); booleans also match the strings "true"/"false";
 *  - a path through an array matches when ANY element does; `ne` is `not eq`;
 *  - `eq null` is true when the field is absent or null; ordering operators never match null;
 *  - `sw`/`ew`/`so` (starts with / ends with / substring of) apply to string fields only.
 */
export function compileQrsExpr(expr: QrsFilterExpr): QrsPredicate {
  switch (expr.kind) {
    case 'and': {
      const parts = expr.operands.map(compileQrsExpr);
      return (e) => parts.every((p) => p(e));
    }
    case 'or': {
      const parts = expr.operands.map(compileQrsExpr);
      return (e) => parts.some((p) => p(e));
    }
    case 'not': {
      const inner = compileQrsExpr(expr.operand);
      return (e) => !inner(e);
    }
    case 'cmp':
      return compileComparison(expr.path, expr.op, expr.value);
  }
}

function compileComparison(path: readonly string[], op: QrsOp, value: QrsValue): QrsPredicate {
  if (value === null) {
    const isNull: QrsPredicate = (e) => readPath(e, path).every((v) => v === null || v === undefined);
    return op === 'eq' ? isNull : (e) => !isNull(e);
  }
  const test = leafTest(op, value);
  const any: QrsPredicate = (e) => readPath(e, path).some(test);
  return op === 'ne' ? (e) => !any(e) : any;
}

function leafTest(op: QrsOp, value: Exclude<QrsValue, null>): (leaf: unknown) => boolean {
  const lower = typeof value === 'string' ? value.toLowerCase() : '';
  switch (op) {
    case 'eq':
    case 'ne':
      return (leaf) => equals(leaf, value);
    case 'sw':
      return (leaf) => typeof leaf === 'string' && leaf.toLowerCase().startsWith(lower);
    case 'ew':
      return (leaf) => typeof leaf === 'string' && leaf.toLowerCase().endsWith(lower);
    case 'so':
      return (leaf) => typeof leaf === 'string' && leaf.toLowerCase().includes(lower);
    default:
      return (leaf) => {
        const order = compareOrdered(leaf, value);
        if (order === undefined) return false;
        return op === 'gt' ? order > 0 : op === 'ge' ? order >= 0 : op === 'lt' ? order < 0 : order <= 0;
      };
  }
}

function equals(leaf: unknown, value: Exclude<QrsValue, null>): boolean {
  if (typeof value === 'string') {
    return (typeof leaf === 'string' || typeof leaf === 'number' || typeof leaf === 'boolean') && String(leaf).toLowerCase() === value.toLowerCase();
  }
  if (typeof value === 'number') {
    const n = asNumber(leaf);
    return n !== undefined && n === value;
  }
  return leaf === value || (typeof leaf === 'string' && leaf.toLowerCase() === String(value));
}

/** Sign of leaf − value, or undefined when the two cannot be ordered. */
export function compareOrdered(leaf: unknown, value: string | number | boolean): number | undefined {
  if (typeof value === 'number') {
    const n = asNumber(leaf);
    return n === undefined ? undefined : Math.sign(n - value);
  }
  if (typeof value === 'string' && typeof leaf === 'string') {
    const [a, b] = [leaf.toLowerCase(), value.toLowerCase()];
    return a < b ? -1 : a > b ? 1 : 0;
  }
  return undefined;
}

function asNumber(leaf: unknown): number | undefined {
  if (typeof leaf === 'number') return Number.isFinite(leaf) ? leaf : undefined;
  if (typeof leaf === 'string' && leaf.trim() !== '') {
    const n = Number(leaf);
    return Number.isFinite(n) ? n : undefined;
  }
  return undefined;
}
