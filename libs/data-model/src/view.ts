import { Bitset } from './bitset';
import { DataModelError, DataModelErrorCode } from './data-model.error';
import type { DataModel } from './model-types';
import { collectSymbols } from './row-scan';

/**
 * What one session may see of a model: per table the visible rows (a bitset, or null for "all
 * rows") and the fields hidden from it (section access OMIT). It references the model's columns;
 * nothing is copied, so a reduced session costs about one bit per row of each reduced table.
 */
export class View {
  private readonly counts: number[];
  private readonly symbolCache = new Map<number, Bitset | null>();

  constructor(
    readonly model: DataModel,
    readonly rows: readonly (Bitset | null)[],
    readonly omitted: ReadonlySet<string>,
  ) {
    if (rows.length !== model.tables.length) throw invalid('a view needs one row set per table');
    rows.forEach((set, t) => {
      if (set !== null && set.size !== model.tables[t]!.rowCount) throw invalid('a row set does not match its table');
    });
    this.counts = rows.map((set, t) => (set === null ? model.tables[t]!.rowCount : set.count()));
  }

  /** Visible rows of a table (null = all rows). */
  rowSet(tableId: number): Bitset | null {
    return this.rows[tableId] ?? null;
  }

  rowCount(tableId: number): number {
    return this.counts[tableId] ?? 0;
  }

  isFullView(): boolean {
    return this.omitted.size === 0 && this.rows.every((r) => r === null);
  }

  /**
   * Symbols of a field that occur in the visible rows of any table holding it (null = every
   * symbol: no table holding it is reduced). Everything a session can see of a field is drawn
   * from this set, which is what keeps excluded values out of lists and cubes.
   */
  fieldSymbols(fieldId: number): Bitset | null {
    if (this.symbolCache.has(fieldId)) return this.symbolCache.get(fieldId) ?? null;
    const field = this.model.fields[fieldId]!;
    let out: Bitset | null = null;
    if (field.tableIds.some((t) => this.rows[t] !== null)) {
      out = new Bitset(field.symbols.size);
      for (const t of field.tableIds) {
        const column = this.model.tables[t]!.columnByField.get(fieldId)!;
        out.union(collectSymbols(column, this.rows[t] ?? null, field.symbols.size));
      }
    }
    this.symbolCache.set(fieldId, out);
    return out;
  }

  /** Bytes this view holds beyond the shared model (row sets and cached symbol sets). */
  byteLength(): number {
    let n = 0;
    for (const r of this.rows) if (r !== null) n += r.byteLength();
    for (const s of this.symbolCache.values()) if (s !== null) n += s.byteLength();
    return n;
  }
}

/** The unreduced view: every row, no hidden field. */
export function fullView(model: DataModel): View {
  return new View(
    model,
    model.tables.map(() => null),
    new Set(),
  );
}

export function createView(model: DataModel, rows: readonly (Bitset | null)[], omitted: Iterable<string>): View {
  return new View(model, rows, new Set(omitted));
}

/** Refuse a view built for another model: its row sets would index the wrong tables. */
export function assertViewOf(model: DataModel, view: View): void {
  if (view.model !== model) throw invalid('the view belongs to another data model');
}

function invalid(message: string): DataModelError {
  return new DataModelError(DataModelErrorCode.INVALID_ARGUMENT, message);
}
