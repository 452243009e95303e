import type { Cell } from '@trustzone/data-model';
import { cellKey } from '../cell-value';
import type { TableSet } from '../work-table';

/** FieldValueList('F'): the field's distinct values over the data tables, in load order. */
export function distinctValues(tables: TableSet, field: string): Cell[] {
  const seen = new Set<string | number>();
  const out: Cell[] = [];
  for (const t of tables.data()) {
    const col = t.columns[t.fields.indexOf(field)];
    if (!col) continue;
    for (const v of col) {
      const k = cellKey(v);
      if (k === null || seen.has(k)) continue;
      seen.add(k);
      out.push(v);
    }
  }
  return out;
}
