import { dualCell, encodedColumns, makeEncoded, type Cell, type EncodedColumn, type LoadResult, type LoadedTable } from '@trustzone/data-model';

/**
 * The worker is the least trusted process in the engine, so what it sends back is checked before
 * the engine stores it: shape, field-name uniqueness, equal column lengths and cell types.
 * A plain loop rather than a schema library: results can hold millions of cells.
 *
 * Dual cells (dates, formatted numbers) arrive as plain `{num, text}` objects (IPC structured
 * clone) and are rebuilt as frozen DualCells. The security table never holds duals (the loader
 * stores access-section values as upper-case text or plain numbers), so one there is refused.
 */
/**
 * What the worker sends for a data table: per-cell columns, or a QVD's fields as loaded with
 * Qlik's optimized load (symbols + an Int32Array of row indexes, -1 = null), which the advanced
 * serialization carries as one block per field instead of one value per cell.
 */
export type WireTable = LoadedTable | { name: string; fields: string[]; encoded: readonly EncodedColumn[] };

export interface WireLoadResult {
  tables: WireTable[];
  sectionAccess: LoadedTable | null;
  variables: Record<string, string>;
}

/**
 * Worker side: encoded tables go out as such (structured clone would build their cells), and every
 * array of values goes out packed. The loader sizes its arrays once (`new Array(n)`), which V8
 * keeps as "holey", and its serializer writes a holey array as index/value pairs: about ten times
 * slower than a packed one (~0.25 s per million values), more than the copy costs.
 */
export function toWireResult(result: LoadResult): WireLoadResult {
  const tables = result.tables.map((t): WireTable => {
    const encoded = encodedColumns(t);
    return encoded
      ? { name: t.name, fields: t.fields, encoded: encoded.map((e) => ({ symbols: packed(e.symbols), indexes: e.indexes })) }
      : { name: t.name, fields: t.fields, columns: t.columns.map(packed) };
  });
  const access = result.sectionAccess;
  return { tables, sectionAccess: access && { name: access.name, fields: access.fields, columns: access.columns.map(packed) }, variables: result.variables };
}

/** A copy built by push, which V8 keeps packed whatever the source's elements kind. */
function packed<T>(values: readonly T[]): T[] {
  const out: T[] = [];
  for (let i = 0; i < values.length; i++) out.push(values[i]!);
  return out;
}

export function validateLoadResult(value: unknown): LoadResult | string {
  if (!isRecord(value)) return 'result is not an object';
  const { tables, sectionAccess, variables } = value;
  if (!Array.isArray(tables)) return 'result.tables is not an array';
  const names = new Set<string>();
  const checked: LoadedTable[] = [];
  for (const t of tables) {
    const problem = isRecord(t) && 'encoded' in t ? encodedTableProblem(t) : tableProblem(t, true);
    if (problem) return problem;
    const table = t as WireTable;
    if (names.has(table.name)) return `duplicate table name ${table.name}`;
    names.add(table.name);
    checked.push('encoded' in table ? makeEncoded({ name: table.name, fields: table.fields }, table.encoded) : table);
  }
  if (sectionAccess !== null) {
    const problem = tableProblem(sectionAccess, false);
    if (problem) return `sectionAccess: ${problem}`;
  }
  if (!isRecord(variables) || Object.values(variables).some((v) => typeof v !== 'string')) return 'result.variables is not a string map';
  return { tables: checked, sectionAccess: sectionAccess as LoadedTable | null, variables: variables as Record<string, string> };
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function tableProblem(t: unknown, allowDuals: boolean): string | null {
  if (!isRecord(t)) return 'table is not an object';
  const { name, fields, columns } = t;
  const problem = fieldsProblem(name, fields);
  if (problem) return problem;
  if (!Array.isArray(columns) || columns.length !== (fields as string[]).length) return `table ${String(name)}: columns do not match fields`;
  const rows = Array.isArray(columns[0]) ? columns[0].length : -1;
  for (const col of columns) {
    if (!Array.isArray(col) || col.length !== rows) return `table ${String(name)}: columns of unequal length`;
    if (!validCells(col as unknown[], allowDuals)) return `table ${String(name)}: invalid cell`;
  }
  return null;
}

function fieldsProblem(name: unknown, fields: unknown): string | null {
  if (typeof name !== 'string' || name === '') return 'table without a name';
  if (!Array.isArray(fields) || fields.length === 0 || !fields.every((f) => typeof f === 'string' && f !== '')) return `table ${name}: bad fields`;
  if (new Set(fields).size !== fields.length) return `table ${name}: duplicate field names`;
  return null;
}

/**
 * An encoded table: exactly {name, fields, encoded}; per field exactly {symbols, indexes}, the
 * symbols valid cells (duals rebuilt), the indexes an Int32Array (a real one: structured clone
 * rebuilds typed arrays, so no getter or proxy rides along) of one length for all fields, every
 * index -1 (null) or a symbol of its field.
 */
function encodedTableProblem(t: Record<string, unknown>): string | null {
  const { name, fields, encoded } = t;
  const problem = fieldsProblem(name, fields);
  if (problem) return problem;
  if (Object.keys(t).length !== 3 || !Array.isArray(encoded) || encoded.length !== (fields as string[]).length) return `table ${String(name)}: encoded columns do not match fields`;
  let rows = -1;
  for (const col of encoded as unknown[]) {
    if (!isRecord(col) || Object.keys(col).length !== 2) return `table ${String(name)}: bad encoded column`;
    const { symbols, indexes } = col;
    if (!Array.isArray(symbols) || !(indexes instanceof Int32Array)) return `table ${String(name)}: bad encoded column`;
    if (rows < 0) rows = indexes.length;
    if (indexes.length !== rows) return `table ${String(name)}: columns of unequal length`;
    if (!validCells(symbols as unknown[], true)) return `table ${String(name)}: invalid cell`;
    const n = symbols.length;
    for (let r = 0; r < indexes.length; r++) {
      const i = indexes[r]!;
      if (i < -1 || i >= n) return `table ${String(name)}: row ${r + 1} points past its field's symbols`;
    }
  }
  return null;
}

/** Checks cells in place, rebuilding wire duals as DualCells; false at the first invalid one. */
function validCells(col: unknown[], allowDuals: boolean): boolean {
  for (let r = 0; r < col.length; r++) {
    const c: unknown = col[r];
    if (c === null || typeof c === 'string' || (typeof c === 'number' && Number.isFinite(c))) continue;
    if (!allowDuals || !isWireDual(c)) return false;
    col[r] = dualCell(c.num, c.text) satisfies Cell;
  }
  return true;
}

/** Exactly `{num, text}` with a finite number: nothing else rides along into the model. */
function isWireDual(c: unknown): c is { num: number; text: string } {
  if (!isRecord(c)) return false;
  const keys = Object.keys(c);
  return keys.length === 2 && typeof c['num'] === 'number' && Number.isFinite(c['num']) && typeof c['text'] === 'string';
}
