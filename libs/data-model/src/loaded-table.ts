import type { DualCell } from './dual-cell';

/**
 * The hand-off between a reload (libs/load-script, run inside the sandboxed worker) and the
 * associative model (this lib). Columnar: one array per field, all of equal length.
 *
 * Cells are `null` (missing/empty), a finite number, a string, or a dual (number + the text it is
 * shown as: dates, formatted numbers, `Dual()`). A string that reads as a plain decimal ("007",
 * "1e3", at most 15 significant digits) becomes a dual value in the data model too: qText keeps
 * the spelling as loaded, qNum the number (see data-model's cell-value.ts). Within one field, the
 * first text loaded for a number is the one shown for every row holding that number (as in Qlik).
 */
export type Cell = string | number | DualCell | null;

export interface LoadedTable {
  /** Table label (`Sales:`) or an automatic name (`Table1`, …). */
  name: string;
  /** Field names in load order; unique within the table. */
  fields: string[];
  /** columns[i][r] = value of fields[i] in row r. */
  columns: Cell[][];
}

export interface LoadResult {
  /** Data-model tables (Section Application), after DROP TABLE / DROP FIELD. */
  tables: LoadedTable[];
  /**
   * The security table (Section Access), if any: every column name and every value already
   * upper-cased by the loader, as the reference requires. Several access-section LOADs with the
   * same field set concatenate; a differing field set is a load error.
   */
  sectionAccess: LoadedTable | null;
  /** SET/LET variables after the script ran (HidePrefix/HideSuffix among them). */
  variables: Record<string, string>;
}

/**
 * One field in Qlik's optimized-load form: its values once (`symbols`) and, per row, the index of
 * the row's value (-1 = null). A QVD holds its fields this way, so a `LOAD * FROM … (qvd)` without
 * per-row work hands them on as they are instead of writing one JS value per cell: the model
 * builder interns `symbols` once and remaps the indexes, and the reload IPC carries the Int32Array
 * as one block (advanced serialization) instead of millions of values.
 */
export interface EncodedColumn {
  symbols: readonly Cell[];
  indexes: Int32Array;
}

/** Columns that are all encoded (see EncodedColumn); `columns` is built on first use. */
export interface EncodedParts {
  columns: Cell[][];
  /** Present until something reads `columns`; from then on the per-cell arrays are the table. */
  encoded: readonly EncodedColumn[] | undefined;
}

/** One value per row: what a per-row operation (WHERE, expressions, joins, …) needs. */
export function materializeColumn(c: EncodedColumn): Cell[] {
  const { symbols, indexes } = c;
  const out = new Array<Cell>(indexes.length);
  for (let r = 0; r < indexes.length; r++) {
    const i = indexes[r]!;
    out[r] = i < 0 ? null : symbols[i]!;
  }
  return out;
}

/**
 * Makes `table.columns` lazy: the per-cell arrays are built the first time anything reads (or
 * replaces) them, and `encoded` is dropped at that moment, so code that changes `columns` in place
 * (CONCATENATE, DROP FIELD, …) never leaves a stale encoded copy behind. Readers that understand
 * the encoded form check `encoded` first and never touch `columns`.
 */
export function makeEncoded<T extends { fields: string[] }>(table: T, encoded: readonly EncodedColumn[]): T & EncodedParts {
  const t = table as T & EncodedParts;
  const settle = (columns: Cell[][]): void => {
    Object.defineProperty(t, 'columns', { value: columns, writable: true, enumerable: true, configurable: true });
    t.encoded = undefined;
  };
  t.encoded = encoded;
  Object.defineProperty(t, 'columns', {
    get(): Cell[][] {
      const columns = (t.encoded ?? []).map(materializeColumn);
      settle(columns);
      return columns;
    },
    set(columns: Cell[][]) {
      settle(columns);
    },
    enumerable: true,
    configurable: true,
  });
  return t;
}

/** The encoded columns of a table whose `columns` were never read, else undefined. */
export function encodedColumns(table: object): readonly EncodedColumn[] | undefined {
  const e = (table as Partial<EncodedParts>).encoded;
  return Array.isArray(e) ? e : undefined;
}

/** Rows of a table without materializing an encoded one. */
export function tableRowCount(table: LoadedTable): number {
  const e = encodedColumns(table);
  if (e) return e[0]?.indexes.length ?? 0;
  return table.columns[0]?.length ?? 0;
}
