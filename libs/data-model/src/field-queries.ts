import type { AssociativeState } from './associative-state';
import { Bitset } from './bitset';
import { DataModelError, DataModelErrorCode } from './data-model.error';
import { resolveField } from './field-resolver';
import { MAX_LIST_PAGE } from './limits';
import type { DataModel } from './model-types';
import { checkIndex, tooLarge } from './page-check';
import { type CellState, type QixCell, symbolCell } from './qix-cell';
import { collectSymbols } from './row-scan';
import { assertViewOf, type View } from './view';

export interface FieldDescription {
  name: string;
  srcTables: string[];
  cardinal: number;
  /** Non-null occurrences of the field in the visible rows of all its tables. */
  totalCount: number;
  isNumeric: boolean;
  tags: string[];
}

/** Symbols of a field visible in the view, as a bitset (materialised for the full view). */
export function visibleSymbols(model: DataModel, view: View, fieldId: number): Bitset {
  return view.fieldSymbols(fieldId) ?? Bitset.full(model.fields[fieldId]!.symbols.size);
}

/** Visible field names (not OMITted, not hidden by HidePrefix/HideSuffix), in load order. */
export function fieldNames(model: DataModel, view: View): string[] {
  assertViewOf(model, view);
  return model.fields.filter((f) => !f.isHidden && !view.omitted.has(f.name)).map((f) => f.name);
}

/** Number of distinct values of the field the view shows (QIX GetCardinal). */
export function cardinal(model: DataModel, view: View, field: string): number {
  assertViewOf(model, view);
  return visibleSymbols(model, view, resolveField(model, view, field)).count();
}

/** QIX GetFieldDescription, computed inside the view. */
export function fieldDescription(model: DataModel, view: View, field: string): FieldDescription {
  assertViewOf(model, view);
  const fid = resolveField(model, view, field);
  const f = model.fields[fid]!;
  const visible = visibleSymbols(model, view, fid);
  let totalCount = 0;
  for (const t of f.tableIds) {
    const column = model.tables[t]!.columnByField.get(fid)!;
    const rows = view.rowSet(t);
    for (let r = 0; r < column.length; r++) if (column[r]! >= 0 && (rows === null || rows.has(r))) totalCount++;
  }
  let numeric = 0;
  let integer = 0;
  let ascii = 0;
  const n = visible.count();
  visible.forEach((s) => {
    const v = f.symbols.num(s);
    if (!Number.isNaN(v)) numeric++;
    if (Number.isInteger(v)) integer++;
    if (/^[\x20-\x7e]*$/.test(f.symbols.text(s))) ascii++;
  });
  const tags: string[] = [];
  if (f.isKey) tags.push('$key');
  if (n > 0 && numeric === n) tags.push('$numeric');
  if (n > 0 && integer === n) tags.push('$integer');
  if (n > 0 && numeric === 0) tags.push('$text');
  if (n > 0 && ascii === n) tags.push('$ascii');
  if (f.isHidden) tags.push('$hidden');
  return {
    name: f.name,
    srcTables: f.tableIds.map((t) => model.tables[t]!.name),
    cardinal: n,
    totalCount,
    isNumeric: n > 0 && numeric === n,
    tags,
  };
}

export interface ListPage {
  top: number;
  height: number;
}

export interface ListValuesResult {
  /** Number of values the view shows for the field (qSize.qcy). */
  size: number;
  values: QixCell[];
  /** Values per state over the whole list (QIX qStateCounts), all inside the view. */
  stateCounts: Record<CellState, number>;
  /** With `frequency`: per returned value, its rows among the possible rows of its first table. */
  frequencies?: number[];
  /** With `frequency`: the possible rows of that table (for percentages). */
  frequencyTotal?: number;
}

const STATE_ORDER: readonly CellState[] = ['S', 'O', 'A', 'XS', 'X'];

/**
 * Values of a field with their state (list objects, field value lists): S selected, O possible,
 * A alternative (not selected in a selected field, possible without its selection), X excluded,
 * XS selected but excluded by other selections. Sorted by state, then load order. Only values
 * present in the view exist here.
 */
export function listValues(model: DataModel, view: View, state: AssociativeState, field: string, page: ListPage, options: { frequency?: boolean } = {}): ListValuesResult {
  assertViewOf(model, view);
  if (state.view !== view) throw new DataModelError(DataModelErrorCode.INVALID_ARGUMENT, 'the state belongs to another view');
  const top = checkIndex(page.top, 'top');
  const height = checkIndex(page.height, 'height');
  if (height > MAX_LIST_PAGE) throw tooLarge('list page height', MAX_LIST_PAGE);
  const fid = resolveField(model, view, field);
  const symbols = model.fields[fid]!.symbols;
  const visible = visibleSymbols(model, view, fid);
  const possible = state.possibleSymbols(fid) ?? visible;
  const selected = state.selections.get(fid);
  const alternatives = state.alternativeSymbols(fid);
  const buckets = new Map<CellState, number[]>(STATE_ORDER.map((s) => [s, []]));
  visible.forEach((s) => {
    let st: CellState;
    if (selected !== undefined && selected.has(s)) st = possible.has(s) ? 'S' : 'XS';
    else if (selected !== undefined) st = alternatives?.has(s) ? 'A' : 'X';
    else st = possible.has(s) ? 'O' : 'X';
    buckets.get(st)!.push(s);
  });
  // Only the requested page becomes cells; a million-value field costs index arrays, not objects.
  const values: QixCell[] = [];
  const shown: number[] = [];
  let skip = top;
  let size = 0;
  for (const st of STATE_ORDER) {
    const list = buckets.get(st)!;
    size += list.length;
    for (let i = Math.min(skip, list.length); i < list.length && values.length < height; i++) {
      values.push(symbolCell(symbols, list[i]!, st));
      shown.push(list[i]!);
    }
    skip = Math.max(0, skip - list.length);
  }
  const stateCounts = Object.fromEntries(['S', 'O', 'A', 'X', 'XS', 'L'].map((st) => [st, buckets.get(st as CellState)?.length ?? 0])) as Record<CellState, number>;
  if (options.frequency !== true) return { size, values, stateCounts };
  // Frequency as Qlik lists it: occurrences in the possible rows (the view's rows when nothing is
  // selected) of the field's first table — never a count over rows the user cannot see.
  const tableId = model.fields[fid]!.tableIds[0]!;
  const column = model.tables[tableId]!.columnByField.get(fid)!;
  const rows = state.tableRows(tableId) ?? view.rowSet(tableId);
  const counts = new Float64Array(symbols.size);
  let total = 0;
  const visit = (r: number): void => {
    const s = column[r]!;
    total++;
    if (s >= 0) counts[s]!++;
  };
  if (rows === null) for (let r = 0; r < column.length; r++) visit(r);
  else rows.forEach(visit);
  return { size, values, stateCounts, frequencies: shown.map((s) => counts[s]!), frequencyTotal: total };
}

/** Distinct visible symbols of a field within one table (for GetTablesAndKeys). */
export function tableFieldSymbols(model: DataModel, view: View, tableId: number, fieldId: number): Bitset {
  const column = model.tables[tableId]!.columnByField.get(fieldId)!;
  return collectSymbols(column, view.rowSet(tableId), model.fields[fieldId]!.symbols.size);
}
