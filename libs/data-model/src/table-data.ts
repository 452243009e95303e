import { resolveTable } from './field-resolver';
import { MAX_TABLE_DATA_CELLS, MAX_TABLE_DATA_ROWS } from './limits';
import type { DataModel } from './model-types';
import { checkIndex, tooLarge } from './page-check';
import { type FieldValue, symbolValue } from './qix-cell';
import { listed } from './tables-and-keys';
import { assertViewOf, type View } from './view';

export interface TableData {
  fields: string[];
  /** Visible rows of the whole table (for paging). */
  rowCount: number;
  rows: FieldValue[][];
}

/**
 * QIX GetTableData: raw rows of one table inside the view (selections do not apply, as in QIX),
 * `offset` counting visible rows only, bounded in rows and cells.
 */
export function tableData(model: DataModel, view: View, table: string, offset: number, rows: number): TableData {
  assertViewOf(model, view);
  const start = checkIndex(offset, 'offset');
  const count = checkIndex(rows, 'rows');
  if (count > MAX_TABLE_DATA_ROWS) throw tooLarge('table data rows', MAX_TABLE_DATA_ROWS);
  const t = resolveTable(model, table);
  const dt = model.tables[t]!;
  const fids = dt.fieldIds.filter((fid) => listed(model, view, fid));
  if (count * fids.length > MAX_TABLE_DATA_CELLS) throw tooLarge('table data cells', MAX_TABLE_DATA_CELLS);
  const visible = view.rowSet(t);
  const out: FieldValue[][] = [];
  let r = visible === null ? start : visible.nth(start);
  while (r >= 0 && r < dt.rowCount && out.length < count) {
    const row = r;
    out.push(fids.map((fid) => symbolValue(model.fields[fid]!.symbols, dt.columnByField.get(fid)![row]!)));
    r = visible === null ? r + 1 : nextSet(visible.words, r + 1, dt.rowCount);
  }
  return { fields: fids.map((fid) => model.fields[fid]!.name), rowCount: view.rowCount(t), rows: out };
}

function nextSet(words: Uint32Array, from: number, size: number): number {
  for (let r = from; r < size; r++) {
    const w = words[r >>> 5]!;
    if (w === 0) {
      r = ((r >>> 5) << 5) + 31;
      continue;
    }
    if ((w & (1 << (r & 31))) !== 0) return r;
  }
  return -1;
}
