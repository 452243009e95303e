import { formatNumber, parseNumericText } from './cell-value';
import { DataModelError, DataModelErrorCode } from './data-model.error';
import { isDualCell } from './dual-cell';
import { encodedColumns, type Cell, type EncodedColumn, type LoadResult } from './loaded-table';
import { assembleModel, type FieldPart, type TablePart } from './model-assembler';
import type { DataModel } from './model-types';
import { SymbolTable } from './symbol-table';

/** Rows per table the model accepts: row pointers are Int32 and bitsets index by row. */
export const MAX_TABLE_ROWS = 100_000_000;

/** Collects the distinct values of one field name across every table that loads it. */
class SymbolCollector {
  readonly texts: string[] = [];
  readonly nums: number[] = [];
  private readonly byNumber = new Map<number, number>();
  private readonly byText = new Map<string, number>();

  symbolOf(cell: Cell): number {
    if (cell === null) return -1;
    if (typeof cell === 'number') {
      if (!Number.isFinite(cell)) throw invalidCell();
      return this.numeric(cell, formatNumber(cell));
    }
    if (typeof cell !== 'string') {
      // A dual keeps its text; a non-finite number cannot be one (it has no order or identity).
      if (!isDualCell(cell) || !Number.isFinite(cell.num)) throw invalidCell();
      return this.numeric(cell.num + 0, cell.text);
    }
    // The loader maps empty cells to null; an empty string that slips through is null too.
    if (cell.length === 0) return -1;
    const n = parseNumericText(cell);
    if (!Number.isNaN(n)) return this.numeric(n, cell);
    let s = this.byText.get(cell);
    if (s === undefined) {
      s = this.push(cell, Number.NaN);
      this.byText.set(cell, s);
    }
    return s;
  }

  toSymbolTable(): SymbolTable {
    return SymbolTable.fromValues(this.texts, Float64Array.from(this.nums));
  }

  private numeric(n: number, text: string): number {
    let s = this.byNumber.get(n);
    if (s === undefined) {
      s = this.push(text, n);
      this.byNumber.set(n, s);
    }
    return s;
  }

  private push(text: string, n: number): number {
    this.texts.push(text);
    this.nums.push(n);
    return this.texts.length - 1;
  }
}

/**
 * Builds the columnar associative model from a reload result: one symbol table per field name
 * across all tables (so equal names associate by symbol index), one Int32Array per table field.
 */
export function buildDataModel(result: LoadResult): DataModel {
  const collectors = new Map<string, { id: number; collector: SymbolCollector }>();
  const tableParts: TablePart[] = [];
  for (const table of result.tables) {
    const encoded = encodedColumns(table);
    const width = encoded ? encoded.length : table.columns.length;
    if (table.fields.length !== width) throw invalid(`table "${table.name}": fields and columns differ in number`);
    const rowCount = encoded ? (encoded[0]?.indexes.length ?? 0) : (table.columns[0]?.length ?? 0);
    if (rowCount > MAX_TABLE_ROWS) throw invalid(`table "${table.name}" exceeds ${MAX_TABLE_ROWS} rows`);
    const part: TablePart = { name: table.name, rowCount, fieldIds: [], columns: [] };
    table.fields.forEach((name, i) => {
      const cells = encoded ? null : table.columns[i]!;
      if ((encoded ? encoded[i]!.indexes.length : cells!.length) !== rowCount) throw invalid(`table "${table.name}": columns differ in length`);
      if (typeof name !== 'string' || name.length === 0) throw invalid(`table "${table.name}" has an unnamed field`);
      let entry = collectors.get(name);
      if (entry === undefined) {
        entry = { id: collectors.size, collector: new SymbolCollector() };
        collectors.set(name, entry);
      }
      const c = entry.collector;
      let column: Int32Array;
      if (encoded) {
        column = remapped(encoded[i]!, c, table.name);
      } else {
        column = new Int32Array(rowCount);
        for (let r = 0; r < rowCount; r++) column[r] = c.symbolOf(cells![r] as Cell);
      }
      part.fieldIds.push(entry.id);
      part.columns.push(column);
    });
    tableParts.push(part);
  }
  const fieldParts: FieldPart[] = [...collectors.entries()].map(([name, e]) => ({ name, symbols: e.collector.toSymbolTable() }));
  return assembleModel(fieldParts, tableParts, { ...result.variables }, result.sectionAccess);
}

/**
 * An encoded column (QVD optimized load): each symbol is interned once, the first time a row uses
 * it, and the other rows are mapped through that table. Interning in row order, and only what rows
 * use, gives exactly the symbols (and their order) of interning cell by cell; symbols need not be
 * distinct (two texts of one number land on one model symbol, the first one seen shown).
 */
function remapped(col: EncodedColumn, c: SymbolCollector, table: string): Int32Array {
  const { symbols, indexes } = col;
  const NOT_SEEN = -2;
  const map = new Int32Array(symbols.length).fill(NOT_SEEN);
  const out = new Int32Array(indexes.length);
  const n = symbols.length;
  for (let r = 0; r < indexes.length; r++) {
    const i = indexes[r]!;
    if (i < 0) {
      if (i !== -1) throw invalid(`table "${table}": a row has an invalid symbol index`);
      out[r] = -1;
      continue;
    }
    if (i >= n) throw invalid(`table "${table}": a row points past its field's symbols`);
    let m = map[i]!;
    if (m === NOT_SEEN) map[i] = m = c.symbolOf(symbols[i] as Cell);
    out[r] = m;
  }
  return out;
}

function invalidCell(): DataModelError {
  return invalid('a cell is neither null, a finite number, a string nor a dual with a finite number');
}

function invalid(message: string): DataModelError {
  return new DataModelError(DataModelErrorCode.INVALID_INPUT, message);
}
