import type { DataModel } from './model-types';
import { collectSymbols } from './row-scan';
import { assertViewOf, type View } from './view';

export type KeyType = 'NOT_KEY' | 'ANY_KEY' | 'PRIMARY_KEY' | 'PERFECT_KEY';

export interface TableFieldInfo {
  name: string;
  /** Visible rows of the table. */
  nRows: number;
  /** Distinct visible values of the field across the model. */
  nTotalDistinct: number;
  /** Distinct visible values of the field in this table. */
  nPresentDistinct: number;
  nNonNulls: number;
  keyType: KeyType;
}

export interface TableInfo {
  name: string;
  rowCount: number;
  fields: TableFieldInfo[];
}

export interface KeyInfo {
  keyFields: string[];
  tables: string[];
}

export interface TablesAndKeys {
  tables: TableInfo[];
  keys: KeyInfo[];
}

/** A field the listing shows: neither OMITted for this user nor hidden by HidePrefix/HideSuffix. */
export function listed(model: DataModel, view: View, fieldId: number): boolean {
  const f = model.fields[fieldId]!;
  return !f.isHidden && !view.omitted.has(f.name);
}

/**
 * QIX GetTablesAndKeys inside the view: counts are those of the user's visible rows; omitted and
 * hidden fields are absent (and so are keys made of them).
 */
export function tablesAndKeys(model: DataModel, view: View): TablesAndKeys {
  assertViewOf(model, view);
  const totals = new Map<number, number>();
  const total = (fid: number): number => {
    let n = totals.get(fid);
    if (n === undefined) {
      n = view.fieldSymbols(fid)?.count() ?? model.fields[fid]!.symbols.size;
      totals.set(fid, n);
    }
    return n;
  };
  const tables = model.tables.map((table, t): TableInfo => {
    const nRows = view.rowCount(t);
    const rows = view.rowSet(t);
    const fields = table.fieldIds
      .filter((fid) => listed(model, view, fid))
      .map((fid): TableFieldInfo => {
        const column = table.columnByField.get(fid)!;
        const present = collectSymbols(column, rows, model.fields[fid]!.symbols.size).count();
        let nonNulls = 0;
        for (let r = 0; r < column.length; r++) if (column[r]! >= 0 && (rows === null || rows.has(r))) nonNulls++;
        return { name: model.fields[fid]!.name, nRows, nTotalDistinct: total(fid), nPresentDistinct: present, nNonNulls: nonNulls, keyType: keyType(model, fid, present, nonNulls, total(fid)) };
      });
    return { name: table.name, rowCount: nRows, fields };
  });
  const keys = model.fields
    .map((f, fid) => ({ f, fid }))
    .filter(({ f, fid }) => f.isKey && listed(model, view, fid))
    .map(({ f }) => ({ keyFields: [f.name], tables: f.tableIds.map((t) => model.tables[t]!.name) }));
  return { tables, keys };
}

/** PRIMARY: unique in this table; PERFECT: unique and holding every value of the field. */
function keyType(model: DataModel, fid: number, present: number, nonNulls: number, totalDistinct: number): KeyType {
  if (!model.fields[fid]!.isKey) return 'NOT_KEY';
  if (present !== nonNulls) return 'ANY_KEY';
  return present === totalDistinct ? 'PERFECT_KEY' : 'PRIMARY_KEY';
}
