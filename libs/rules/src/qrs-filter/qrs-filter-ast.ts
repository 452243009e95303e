export type QrsOp = 'eq' | 'ne' | 'gt' | 'ge' | 'lt' | 'le' | 'sw' | 'ew' | 'so';

export const QRS_OPS: readonly QrsOp[] = ['eq', 'ne', 'gt', 'ge', 'lt', 'le', 'sw', 'ew', 'so'];

/** A literal: single-quoted string or GUID → string, number, true/false, null. */
export type QrsValue = string | number | boolean | null;

export type QrsFilterExpr =
  | { readonly kind: 'cmp'; readonly path: readonly string[]; readonly op: QrsOp; readonly value: QrsValue; readonly position: number }
  | { readonly kind: 'and'; readonly operands: readonly QrsFilterExpr[] }
  | { readonly kind: 'or'; readonly operands: readonly QrsFilterExpr[] }
  | { readonly kind: 'not'; readonly operand: QrsFilterExpr };

export interface OrderKey {
  readonly path: readonly string[];
  readonly direction: 'asc' | 'desc';
}
