import type { LoadedTable } from './loaded-table';
import type { SymbolTable } from './symbol-table';

/** One table of the associative model: per field a row → symbol pointer array (-1 = null). */
export interface DataTable {
  readonly name: string;
  readonly rowCount: number;
  /** Model field ids in load order. */
  readonly fieldIds: readonly number[];
  /** columns[i][row] = symbol index of fieldIds[i] in that row, -1 for null. */
  readonly columns: readonly Int32Array[];
  /** field id → column (the same arrays as `columns`). */
  readonly columnByField: ReadonlyMap<number, Int32Array>;
}

/** One field name of the model; its symbol table is shared by every table holding the field. */
export interface DataField {
  readonly name: string;
  readonly symbols: SymbolTable;
  /** Tables holding the field, in load order. */
  readonly tableIds: readonly number[];
  /** Present in more than one table: the association between those tables. */
  readonly isKey: boolean;
  /** Hidden by HidePrefix/HideSuffix: absent from field lists, still usable by name. */
  readonly isHidden: boolean;
  /** Every symbol numeric (and at least one symbol). */
  readonly isNumeric: boolean;
}

export interface DataModel {
  readonly tables: readonly DataTable[];
  readonly fields: readonly DataField[];
  readonly fieldByName: ReadonlyMap<string, number>;
  readonly tableByName: ReadonlyMap<string, number>;
  readonly variables: Readonly<Record<string, string>>;
  /**
   * The section-access table (upper-cased by the loader), kept with the model so a stored app can
   * be reduced after a restart. Never exposed by any query of this lib.
   */
  readonly securityTable: LoadedTable | null;
}

/** The column of `fieldId` in `table`, or undefined when the table does not hold the field. */
export function columnOf(model: DataModel, tableId: number, fieldId: number): Int32Array | undefined {
  return model.tables[tableId]?.columnByField.get(fieldId);
}
