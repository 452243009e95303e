import type { Cell } from '@trustzone/data-model';
import { cellKey } from '../cell-value';
import type { TableSet } from '../work-table';

/**
 * Exists(field, value): the values loaded into a field so far, over the data tables. Built on
 * first use per field and kept current by the LOAD sink (`sets`), rebuilt after DROP/RENAME.
 * Dropped tables' values are gone from it (Qlik keeps them in the field's symbol table).
 */
export class ExistsIndex {
  private readonly byField = new Map<string, Set<string | number>>();

  constructor(private readonly tables: TableSet) {}

  ensure(field: string): Set<string | number> {
    let set = this.byField.get(field);
    if (!set) {
      set = new Set();
      for (const t of this.tables.data()) {
        const col = t.columns[t.fields.indexOf(field)];
        if (!col) continue;
        for (const v of col) {
          const k = cellKey(v);
          if (k !== null) set.add(k);
        }
      }
      this.byField.set(field, set);
    }
    return set;
  }

  has(field: string, value: Cell): boolean {
    const k = cellKey(value);
    return k !== null && this.ensure(field).has(k);
  }

  /** The sets a LOAD writing these fields must add its values to (null where nobody asked). */
  sets(fields: readonly string[]): (Set<string | number> | null)[] {
    return fields.map((f) => this.byField.get(f) ?? null);
  }

  invalidate(): void {
    this.byField.clear();
  }
}

/** Distinct values of a field over the data tables; null when no table has the field. */
export function distinctCount(tables: TableSet, field: string): number | null {
  const seen = new Set<string | number>();
  let found = false;
  for (const t of tables.data()) {
    const col = t.columns[t.fields.indexOf(field)];
    if (!col) continue;
    found = true;
    for (const v of col) {
      const k = cellKey(v);
      if (k !== null) seen.add(k);
    }
  }
  return found ? seen.size : null;
}
