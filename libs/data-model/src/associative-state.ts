import { Bitset } from './bitset';
import type { DataModel } from './model-types';
import { collectSymbols, filterRows, type RowConstraint } from './row-scan';
import type { SelectionState } from './selection-state';
import { assertViewOf, type View } from './view';

/** A constraint travelling along an association: allowed symbols of one field, or null (none). */
type Message = Bitset | null;

/**
 * The associative state of a session: which rows of each table and which symbols of each field are
 * still possible given the view (the floor) and the selections.
 *
 * Propagation is message passing over the tree of tables and key fields (the model refuses loops):
 * a table tells a key field which of its symbols remain possible given every *other* constraint
 * reaching that table, and a field tells a table the intersection of the selection on it and of
 * what every other table holding it allows. On a tree this is exactly the fixpoint of propagating
 * every constraint through every association in every direction, and it is reached in one pass.
 * Excluding the receiver's own message matters: a selected order whose key is null must stay
 * possible although its key links nowhere, while a selection elsewhere excludes such rows.
 *
 * Everything is computed lazily and memoised; with no selection nothing is computed at all.
 */
export class AssociativeState {
  private readonly inbound = new Map<number, Message>();
  private readonly outbound = new Map<number, Message>();
  private readonly rows = new Map<number, Bitset | null>();
  /** Fields whose constraints produced `rows` of a table. */
  private readonly activeFields = new Map<number, Set<number>>();
  private readonly possible = new Map<number, Bitset | null>();
  private readonly alternatives = new Map<number, Bitset | null>();
  private readonly stride: number;

  constructor(
    readonly model: DataModel,
    readonly view: View,
    readonly selections: SelectionState,
  ) {
    this.stride = model.fields.length + 1;
  }

  /** Possible rows of a table; null means "every visible row" (nothing restricts the table). */
  tableRows(tableId: number): Bitset | null {
    if (this.rows.has(tableId)) return this.rows.get(tableId) ?? null;
    const table = this.model.tables[tableId]!;
    const constraints: RowConstraint[] = [];
    const active = new Set<number>();
    table.fieldIds.forEach((fid, i) => {
      const m = this.toTable(fid, tableId);
      if (m === null) return;
      constraints.push({ column: table.columns[i]!, allowed: m });
      active.add(fid);
    });
    this.activeFields.set(tableId, active);
    const out = constraints.length === 0 ? null : filterRows(table.rowCount, this.view.rowSet(tableId), constraints);
    this.rows.set(tableId, out);
    return out;
  }

  possibleRowCount(tableId: number): number {
    const rows = this.tableRows(tableId);
    return rows === null ? this.view.rowCount(tableId) : rows.count();
  }

  /**
   * Possible symbols of a field: those occurring in possible rows of any table holding it.
   * null = no restriction beyond the view (use view.fieldSymbols).
   */
  possibleSymbols(fieldId: number): Bitset | null {
    if (this.possible.has(fieldId)) return this.possible.get(fieldId) ?? null;
    const field = this.model.fields[fieldId]!;
    let out: Bitset | null = null;
    if (field.tableIds.some((t) => this.tableRows(t) !== null)) {
      out = new Bitset(field.symbols.size);
      for (const t of field.tableIds) {
        const column = this.model.tables[t]!.columnByField.get(fieldId)!;
        out.union(collectSymbols(column, this.tableRows(t) ?? this.view.rowSet(t), field.symbols.size));
      }
    }
    this.possible.set(fieldId, out);
    return out;
  }

  /**
   * For a selected field: the symbols that would be possible if its own selection were cleared
   * (QIX "alternative" values). null when the field has no selection.
   */
  alternativeSymbols(fieldId: number): Bitset | null {
    if (this.selections.get(fieldId) === undefined) return null;
    if (this.alternatives.has(fieldId)) return this.alternatives.get(fieldId) ?? null;
    const without = new AssociativeState(this.model, this.view, this.selections.with(fieldId, null));
    const out = without.possibleSymbols(fieldId) ?? this.view.fieldSymbols(fieldId) ?? Bitset.full(this.model.fields[fieldId]!.symbols.size);
    this.alternatives.set(fieldId, out);
    return out;
  }

  /** True when some table that a selection or the view touches has no possible row left. */
  isEmpty(): boolean {
    return this.model.tables.some((_, t) => this.tableRows(t) !== null && this.possibleRowCount(t) === 0);
  }

  /** Field → table: the selection on the field ∩ what every other table holding it allows. */
  private toTable(fieldId: number, tableId: number): Message {
    const key = fieldId * this.model.tables.length + tableId;
    if (this.inbound.has(key)) return this.inbound.get(key) ?? null;
    const field = this.model.fields[fieldId]!;
    let acc: Bitset | null = null;
    for (const other of field.tableIds) {
      if (other === tableId) continue;
      const m = this.fromTable(other, fieldId);
      if (m !== null) acc = acc === null ? m.clone() : acc.intersect(m);
    }
    const selected = this.selections.get(fieldId);
    if (selected !== undefined) acc = acc === null ? selected : acc.intersect(selected);
    this.inbound.set(key, acc);
    return acc;
  }

  /** Table → field: symbols of the field in the table's rows that pass every other constraint. */
  private fromTable(tableId: number, fieldId: number): Message {
    const key = tableId * this.stride + fieldId;
    if (this.outbound.has(key)) return this.outbound.get(key) ?? null;
    const table = this.model.tables[tableId]!;
    const field = this.model.fields[fieldId]!;
    const column = table.columnByField.get(fieldId)!;
    const constraints: RowConstraint[] = [];
    table.fieldIds.forEach((fid, i) => {
      if (fid === fieldId) return;
      const m = this.toTable(fid, tableId);
      if (m !== null) constraints.push({ column: table.columns[i]!, allowed: m });
    });
    let out: Message = null;
    if (constraints.length > 0) {
      // Reuse the table's possible rows when they were filtered by exactly these constraints
      // (the receiving field constrained nothing there): one scan of a 1M-row fact table saved.
      const active = this.activeFields.get(tableId);
      const reusable = active !== undefined && !active.has(fieldId);
      const rows = reusable ? this.tableRows(tableId)! : filterRows(table.rowCount, this.view.rowSet(tableId), constraints);
      out = collectSymbols(column, rows, field.symbols.size);
    }
    this.outbound.set(key, out);
    return out;
  }
}

/** The associative state of `selections` inside `view`. Cheap: work happens on first query. */
export function computeState(model: DataModel, view: View, selections: SelectionState): AssociativeState {
  assertViewOf(model, view);
  return new AssociativeState(model, view, selections);
}
