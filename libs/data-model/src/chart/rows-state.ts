import { Bitset } from '../bitset';
import type { DataModel } from '../model-types';
import { collectSymbols } from '../row-scan';
import type { View } from '../view';

/**
 * What an aggregation reads of a record set: the rows of each table and the symbols of each field
 * it holds. AssociativeState (the session's selections) is one; set analysis builds others. Every
 * implementation is a subset of its view, so computing on one never reaches a row section access
 * removed.
 */
export interface RowsState {
  readonly model: DataModel;
  readonly view: View;
  /** Rows of a table in the set; null = every visible row. */
  tableRows(tableId: number): Bitset | null;
  /** Symbols of a field in the set; null = every symbol visible in the view. */
  possibleSymbols(fieldId: number): Bitset | null;
}

/**
 * A set built from others by record-set arithmetic (`{1-$}`, `{$*<A={x}>}`): per table, the
 * operation over the rows each operand holds. Tables are combined independently; the result is
 * always inside the view because both operands are.
 */
export class CombinedRows implements RowsState {
  private readonly rows = new Map<number, Bitset>();
  private readonly symbols = new Map<number, Bitset>();
  readonly model: DataModel;
  readonly view: View;

  constructor(
    private readonly op: '+' | '-' | '*' | '/',
    private readonly left: RowsState,
    private readonly right: RowsState,
  ) {
    this.model = left.model;
    this.view = left.view;
  }

  tableRows(tableId: number): Bitset | null {
    let out = this.rows.get(tableId);
    if (out === undefined) {
      const a = materialise(this.left, tableId);
      const b = materialise(this.right, tableId);
      out = a.clone();
      if (this.op === '+') out.union(b);
      else if (this.op === '*') out.intersect(b);
      else if (this.op === '/') out.xor(b);
      else out.intersect(b.clone().xor(Bitset.full(b.size)));
      this.rows.set(tableId, out);
    }
    return out;
  }

  possibleSymbols(fieldId: number): Bitset | null {
    return symbolsOf(this, this.symbols, fieldId);
  }
}

/** The empty set (`A={}`, a modifier matching nothing): no row of any table. */
export class EmptyRows implements RowsState {
  constructor(
    readonly model: DataModel,
    readonly view: View,
  ) {}
  tableRows(tableId: number): Bitset {
    return new Bitset(this.model.tables[tableId]!.rowCount);
  }
  possibleSymbols(fieldId: number): Bitset {
    return new Bitset(this.model.fields[fieldId]!.symbols.size);
  }
}

/** Rows of a table in a set as a bitset, the view's rows when the set says "all". */
export function materialise(state: RowsState, tableId: number): Bitset {
  const rows = state.tableRows(tableId) ?? state.view.rowSet(tableId);
  return rows ?? Bitset.full(state.model.tables[tableId]!.rowCount);
}

function symbolsOf(state: RowsState, cache: Map<number, Bitset>, fieldId: number): Bitset {
  let out = cache.get(fieldId);
  if (out === undefined) {
    const field = state.model.fields[fieldId]!;
    out = new Bitset(field.symbols.size);
    for (const t of field.tableIds) out.union(collectSymbols(state.model.tables[t]!.columnByField.get(fieldId)!, state.tableRows(t), field.symbols.size));
    cache.set(fieldId, out);
  }
  return out;
}
