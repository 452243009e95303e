import type { Cell } from '@trustzone/data-model';
import type { FormatSettings } from './format/format-settings';
import type { WorkTable } from './work-table';

/**
 * Where an expression is evaluated. One mutable context per LOAD stage: the loop moves `row`
 * instead of allocating a row object per record. Field references read `columns[i][row]`.
 */
export class RowContext {
  columns: readonly (readonly Cell[])[] = [];
  /** Index of the current record in `columns`; -1 when there is no row (LET, IF, `$(=…)`). */
  row = -1;
  /** RecNo(): 1-based record number in the source. */
  recNo = 0;
  /** RowNo(): 1-based row number in the table being loaded. */
  rowNo = 0;
  /** IterNo(): 1-based repetition of the record under WHILE (1 without WHILE). */
  iterNo = 1;
  /** Previous(): the last record that passed WHERE, -1 before the first. */
  prevRow = -1;
  /** GROUP BY: the records of the current group (aggregations iterate these). */
  group: ArrayLike<number> | null = null;
  /** SubField with two arguments in a LOAD: the current piece per generator site. */
  piece: number[] = [];
}

export type Compiled = (c: RowContext) => Cell;

/** What functions may ask of the running script; one per statement, read-only for them. */
export interface ScriptServices {
  readonly formats: FormatSettings;
  /** Rand(): a generator seeded once per reload. */
  random(): number;
  /** Now(): epoch milliseconds of the injected clock. */
  now(): number;
  /** Today()/Now() default: when the reload started. */
  readonly reloadStart: number;
  table(name: string): WorkTable | undefined;
  /** The table a LOAD is filling (Peek's default table), else the last one loaded. */
  currentTable(): WorkTable | undefined;
  mapping(name: string): ReadonlyMap<string | number, Cell> | undefined;
  /** Exists(field, value): the value was loaded into the field (any data table) so far. */
  exists(field: string, value: Cell): boolean;
  /** Exists() with a fixed field name: index the field before the LOAD starts, so its own rows count. */
  watchField(field: string): void;
  /** Distinct values of a field over the data tables so far; null when no table has it. */
  fieldValueCount(field: string): number | null;
  variable(name: string): Cell | undefined;
  /** FileName() and friends: the file the current LOAD reads, as `lib://…`. */
  readonly fileName: string | null;
}
