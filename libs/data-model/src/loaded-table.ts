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
