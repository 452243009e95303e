import type { AssociativeState } from './associative-state';
import type { ChartExpr } from './chart/chart-ast';
import { cellAt, deadlineFromNow, evaluateMeasure, type MeasureColumn, measureTables } from './chart/chart-eval';
import { parseChartExpression } from './chart/chart-parser';
import { arithmeticOnly, type ScalarCompiler } from './chart/chart-scalar';
import { cubeRows } from './chart/cube-rows';
import { deriveDimensions } from './chart/calculated-dimension';
import { DataModelError, DataModelErrorCode } from './data-model.error';
import type { Cell } from './loaded-table';
import { MAX_DIMENSIONS, MAX_MEASURES, MAX_PAGE_CELLS, MAX_PAGES_PER_REQUEST } from './limits';
import type { DataModel } from './model-types';
import { checkIndex, tooLarge } from './page-check';
import { cellValueCell, numberCell, type QixCell, symbolCell } from './qix-cell';
import { sortRows, type SortSpec, symbolRanks } from './cube-sort';
import { assertViewOf, type View } from './view';

export type HyperCubeMeasure = string | { expression: string; label?: string };

export interface HyperCubePage {
  top: number;
  left: number;
  height: number;
  width: number;
}

export interface HyperCubeDef {
  dimensions: readonly string[];
  measures: readonly HyperCubeMeasure[];
  /** Pages to return (QIX qInitialDataFetch / GetHyperCubeData qPages). */
  pages: readonly HyperCubePage[];
  /** Sort keys by column (dimensions first, then measures); default: dimensions ascending. */
  sort?: readonly SortSpec[];
  /** qSuppressZero: drop rows whose every measure is 0 or null. */
  suppressZero?: boolean;
  /** Scalar functions and operators (the load-script library); default: arithmetic only. */
  scalars?: ScalarCompiler;
}

export interface DimensionInfo {
  qFallbackTitle: string;
  qCardinal: number;
  qTags: string[];
  qMin: number | 'NaN';
  qMax: number | 'NaN';
  qSortIndicator: 'A' | 'D' | 'N';
}

export interface MeasureInfo {
  qFallbackTitle: string;
  qMin: number | 'NaN';
  qMax: number | 'NaN';
  qSortIndicator: 'A' | 'D' | 'N';
}

export interface HyperCubeResult {
  size: { cx: number; cy: number };
  dimensionInfo: DimensionInfo[];
  measureInfo: MeasureInfo[];
  /** Rows of cells; the cells are shared between answers (frozen: never mutate them). */
  pages: { area: HyperCubePage; matrix: QixCell[][] }[];
}

/** Cells of a computed cube made once and kept (its first rows: what page requests ask for most). */
const KEPT_CELLS = 512;
/** A made cell: the object, its text and its row's share (an estimate for approxBytes). */
const BYTES_PER_MADE_CELL = 128;

/**
 * A hypercube computed over one state, sorted, without its pages: what a page request reads. It
 * holds its rows compactly in display order (the dimension symbols and the measure values of each
 * row, nothing of the intermediate work), so a caller may keep it for the state and answer later
 * page requests from it (the engine does, per session: apps/engine/src/qix/cube-cache.ts).
 */
export interface ComputedHyperCube {
  readonly size: { cx: number; cy: number };
  readonly dimensionInfo: readonly DimensionInfo[];
  readonly measureInfo: readonly MeasureInfo[];
  /** Bytes it holds at most (an estimate: its rows and the cells it keeps made): a cache's measure of its cost. */
  readonly approxBytes: number;
  /** The QIX cell at a row (display order) and column (dimensions first); shared and frozen. */
  cell(row: number, col: number): QixCell;
  /** Cells `left`…`left+width-1` of a row (in range); cells and a whole row are shared and frozen. */
  row(row: number, left: number, width: number): QixCell[];
}

/**
 * A QIX hypercube inside the session's state. Measures may read fields of other tables than the
 * dimensions: values are aggregated along the association chain (Sum(AMOUNT) of Orders by REGION
 * of Customers through CUSTID). Pages are bounded to MAX_PAGE_CELLS cells per request. Rows with a
 * null dimension value are not listed (as QIX with null suppression).
 */
export function hypercube(model: DataModel, view: View, state: AssociativeState, def: HyperCubeDef): HyperCubeResult {
  const pages = checkHyperCubePages(def.pages ?? []);
  return hyperCubePages(computeHyperCube(model, view, state, def), pages);
}

/** The pages of a computed cube (checked by checkHyperCubePages), clipped to its size. */
export function hyperCubePages(cube: ComputedHyperCube, pages: readonly HyperCubePage[]): HyperCubeResult {
  const { cx: width, cy } = cube.size;
  return {
    size: { cx: width, cy },
    dimensionInfo: [...cube.dimensionInfo],
    measureInfo: [...cube.measureInfo],
    pages: pages.map((p) => {
      const height = Math.max(0, Math.min(p.height, cy - p.top));
      const w = Math.max(0, Math.min(p.width, width - p.left));
      const matrix: QixCell[][] = [];
      for (let r = 0; r < height; r++) matrix.push(w > 0 ? cube.row(p.top + r, p.left, w) : []);
      return { area: { top: p.top, left: p.left, height, width: w }, matrix };
    }),
  };
}

/** Every row of the cube over the state, sorted; `def.pages` is not read (see hyperCubePages). */
export function computeHyperCube(model: DataModel, view: View, state: AssociativeState, def: Omit<HyperCubeDef, 'pages'>): ComputedHyperCube {
  assertViewOf(model, view);
  if (state.view !== view) throw invalid('the state belongs to another view');
  const dims = def.dimensions ?? [];
  const measureDefs = def.measures ?? [];
  if (dims.length > MAX_DIMENSIONS) throw invalid(`at most ${MAX_DIMENSIONS} dimensions`);
  if (measureDefs.length > MAX_MEASURES) throw invalid(`at most ${MAX_MEASURES} measures`);
  const deadline = deadlineFromNow();
  const scalars = def.scalars ?? arithmeticOnly;
  // Calculated dimensions (`=expr`) become fields of a copy of the model; plain ones resolve as is.
  const derived = deriveDimensions(model, view, dims, scalars, { deadline });
  const dimFields = derived.dimFields;
  model = derived.model;
  const measures: ChartExpr[] = measureDefs.map((m) => parseChartExpression(typeof m === 'string' ? m : m?.expression));
  const tables = new Set<number>();
  for (const m of measures) measureTables(model, view, m, tables);
  const rows = cubeRows(model, derived.derive(state), dimFields, [...tables]);
  const env = { model, view, base: state, dimFields, interner: rows.interner, rowTuples: rows.rowTuples, scalars, deadline, derive: derived.derive };
  const columns = measures.map((m) => evaluateMeasure(env, m));
  const nums = columns.map(numbersOf);
  const cube = { interner: rows.interner, rowTuples: rows.rowTuples, values: nums };
  const width = dims.length + measures.length;
  const sort = (def.sort ?? []).map((s) => {
    if (checkIndex(s.column, 'sort column') >= width) throw invalid('sort column out of range');
    return s;
  });
  const dimSymbols = dimFields.map((_, d) => {
    const out = new Int32Array(cube.rowTuples.length);
    for (let i = 0; i < out.length; i++) out[i] = cube.interner.symbol(cube.rowTuples[i]!, d);
    return out;
  });
  // The rows are read out of the interner: its large caches go back, zeroed, for the next cube.
  rows.interner.release();
  const rowRanks = dimFields.map((fid, d) => {
    const ranks = symbolRanks(model.fields[fid]!.symbols);
    const syms = dimSymbols[d]!;
    const out = new Int32Array(syms.length);
    for (let i = 0; i < syms.length; i++) out[i] = ranks[syms[i]!]!;
    return out;
  });
  let order = sortRows(cube, rowRanks, sort);
  if (def.suppressZero === true && nums.length > 0) order = order.filter((i) => nums.some((col) => !Number.isNaN(col[i]!) && col[i] !== 0) || columns.some((col) => isText(cellAt(col, i))));
  const cy = order.length;
  // Rows in display order, only what a cell needs: the interner, the tuples and the ranks go.
  // Plain loops, not TypedArray.from(order, fn): V8 runs that through the iterator protocol and a
  // call per element, and these two lines were ~18 % of the engine's CPU in a select+cube profile.
  // Rows already in display order (the common one-dimension cube of ids or dates loaded in order)
  // are kept as they are: no copy at all.
  const inOrder = cy === dimSymbols[0]?.length && isIdentity(order);
  const shownSymbols = inOrder ? dimSymbols : dimSymbols.map((syms) => {
    const out = new Int32Array(cy);
    for (let k = 0; k < cy; k++) out[k] = syms[order[k]!]!;
    return out;
  });
  const shownMeasures: MeasureColumn[] = columns.map((col) => {
    if (inOrder && col.length === cy) return col;
    if (!(col instanceof Float64Array)) return order.map((i) => col[i] ?? null);
    const out = new Float64Array(cy);
    for (let k = 0; k < cy; k++) out[k] = col[order[k]!]!;
    return out;
  });
  const selections = state.selections;
  const symbolTables = dimFields.map((fid) => model.fields[fid]!.symbols);
  const selected = dimFields.map((fid) => selections.get(fid));
  const cellOf = (row: number, col: number): QixCell => {
    if (col < dims.length) {
      const s = shownSymbols[col]![row]!;
      return symbolCell(symbolTables[col]!, s, selected[col]?.has(s) === true ? 'S' : 'O');
    }
    const column = shownMeasures[col - dims.length]!;
    return column instanceof Float64Array ? numberCell(column[row]!) : cellValueCell(column[row] ?? null);
  };
  // A kept cube is asked for the same first rows again and again: their cells are made once, frozen
  // (every answer shares them) and reused; rows further down are made per request (bounded memory).
  const keptRows = width === 0 ? 0 : Math.min(cy, Math.floor(KEPT_CELLS / width));
  const made: (readonly QixCell[] | undefined)[] = [];
  const rowCells = (row: number): readonly QixCell[] => {
    let line = made[row];
    if (line === undefined) {
      const cells: QixCell[] = [];
      for (let c = 0; c < width; c++) cells.push(Object.freeze(cellOf(row, c)));
      line = Object.freeze(cells);
      if (row < keptRows) made[row] = line;
    }
    return line;
  };
  const measureBytes = shownMeasures.reduce((n, col) => n + (col instanceof Float64Array ? col.byteLength : col.length * 32), 0);
  return {
    size: { cx: width, cy },
    dimensionInfo: dimFields.map((fid, d) => dimensionInfo(model, fid, dimSymbols[d]!, sort, d, dimFields.length === 1)),
    measureInfo: measureDefs.map((m, k) => measureInfo(m, nums[k]!, sort, dims.length + k)),
    approxBytes: 1024 + cy * dims.length * 4 + measureBytes + keptRows * width * BYTES_PER_MADE_CELL,
    cell: (row, col) => rowCells(row)[col]!,
    // A whole row is the frozen row itself (writing to it throws): most pages are full width.
    row: (row, left, w) => (left === 0 && w === width ? (rowCells(row) as QixCell[]) : rowCells(row).slice(left, left + w)),
  };
}

function isIdentity(order: readonly number[]): boolean {
  for (let i = 0; i < order.length; i++) if (order[i] !== i) return false;
  return true;
}

/** Pages of a request, checked and bounded (MAX_PAGES_PER_REQUEST, MAX_PAGE_CELLS) before any work. */
export function checkHyperCubePages(pages: readonly HyperCubePage[]): HyperCubePage[] {
  if (!Array.isArray(pages)) throw invalid('pages must be an array');
  if (pages.length > MAX_PAGES_PER_REQUEST) throw tooLarge('pages per request', MAX_PAGES_PER_REQUEST);
  let cells = 0;
  return pages.map((p) => {
    const page = { top: checkIndex(p?.top, 'top'), left: checkIndex(p?.left, 'left'), height: checkIndex(p?.height, 'height'), width: checkIndex(p?.width, 'width') };
    cells += page.height * page.width;
    if (cells > MAX_PAGE_CELLS) throw tooLarge('cells requested', MAX_PAGE_CELLS);
    return page;
  });
}

function indicator(sort: readonly SortSpec[], col: number): 'A' | 'D' | 'N' {
  const s = sort.find((x) => x.column === col);
  if (s === undefined) return 'N';
  return s.descending === true ? 'D' : 'A';
}

/** `unique`: the column's symbols are distinct already (a one-dimension cube has a row per value). */
function dimensionInfo(model: DataModel, fid: number, symbols: Int32Array, sort: readonly SortSpec[], col: number, unique: boolean): DimensionInfo {
  const f = model.fields[fid]!;
  const distinct = unique ? symbols : distinctSymbols(symbols, f.symbols.size);
  let min = Number.POSITIVE_INFINITY;
  let max = Number.NEGATIVE_INFINITY;
  // Indexed loops here and in measureInfo: for-of over a typed array goes through the iterator
  // protocol, which cost ~3 % of a select+cube over a 2,000-row cube.
  for (let i = 0; i < distinct.length; i++) {
    const n = f.symbols.num(distinct[i]!);
    if (n < min) min = n;
    if (n > max) max = n;
  }
  return {
    qFallbackTitle: f.name,
    qCardinal: distinct.length,
    qTags: f.isKey ? ['$key'] : [],
    qMin: min === Number.POSITIVE_INFINITY ? 'NaN' : min,
    qMax: max === Number.NEGATIVE_INFINITY ? 'NaN' : max,
    qSortIndicator: sort.length === 0 ? 'A' : indicator(sort, col),
  };
}

function measureInfo(m: string | { expression: string; label?: string }, values: Float64Array, sort: readonly SortSpec[], col: number): MeasureInfo {
  let min = Number.POSITIVE_INFINITY;
  let max = Number.NEGATIVE_INFINITY;
  for (let i = 0; i < values.length; i++) {
    const v = values[i]!;
    if (v !== v) continue; // NaN
    if (v < min) min = v;
    if (v > max) max = v;
  }
  const title = typeof m === 'string' ? m : (m.label ?? m.expression);
  return { qFallbackTitle: title, qMin: min === Number.POSITIVE_INFINITY ? 'NaN' : min, qMax: max === Number.NEGATIVE_INFINITY ? 'NaN' : max, qSortIndicator: indicator(sort, col) };
}

/** Numbers of a measure column (NaN where null or text), for sorting, min/max and suppression. */
function numbersOf(col: MeasureColumn): Float64Array {
  if (col instanceof Float64Array) return col;
  const out = new Float64Array(col.length);
  for (let i = 0; i < col.length; i++) {
    const c = col[i] ?? null;
    out[i] = typeof c === 'number' ? c : c !== null && typeof c === 'object' ? c.num : Number.NaN;
  }
  return out;
}

function isText(c: Cell): boolean {
  return typeof c === 'string' && c !== '';
}

function invalid(message: string): DataModelError {
  return new DataModelError(DataModelErrorCode.INVALID_ARGUMENT, message);
}

/** Distinct symbols of a dimension column, in first-seen order. */
function distinctSymbols(symbols: Int32Array, size: number): number[] {
  const seen = new Uint8Array(size);
  const out: number[] = [];
  for (let i = 0; i < symbols.length; i++) {
    const s = symbols[i]!;
    if (seen[s] === 0) {
      seen[s] = 1;
      out.push(s);
    }
  }
  return out;
}
