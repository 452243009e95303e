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
  pages: { area: HyperCubePage; matrix: QixCell[][] }[];
}

/**
 * A QIX hypercube inside the session's state. Measures may read fields of other tables than the
 * dimensions: values are aggregated along the association chain (Sum(AMOUNT) of Orders by REGION
 * of Customers through CUSTID). Pages are bounded to MAX_PAGE_CELLS cells per request. Rows with a
 * null dimension value are not listed (as QIX with null suppression).
 */
export function hypercube(model: DataModel, view: View, state: AssociativeState, def: HyperCubeDef): HyperCubeResult {
  assertViewOf(model, view);
  if (state.view !== view) throw invalid('the state belongs to another view');
  const dims = def.dimensions ?? [];
  const measureDefs = def.measures ?? [];
  if (dims.length > MAX_DIMENSIONS) throw invalid(`at most ${MAX_DIMENSIONS} dimensions`);
  if (measureDefs.length > MAX_MEASURES) throw invalid(`at most ${MAX_MEASURES} measures`);
  const pages = checkPages(def.pages ?? []);
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
  const dimSymbols = dimFields.map((_, d) => cube.rowTuples.map((g) => cube.interner.symbol(g, d)));
  const rowRanks = dimFields.map((fid, d) => {
    const ranks = symbolRanks(model.fields[fid]!.symbols);
    const syms = dimSymbols[d]!;
    const out = new Int32Array(syms.length);
    for (let i = 0; i < syms.length; i++) out[i] = ranks[syms[i]!]!;
    return out;
  });
  let order = sortRows(cube, rowRanks, sort);
  if (def.suppressZero === true && nums.length > 0) order = order.filter((i) => nums.some((col) => !Number.isNaN(col[i]!) && col[i] !== 0) || columns.some((col) => isText(cellAt(col, i))));
  const cell = (row: number, col: number): QixCell => {
    const i = order[row]!;
    if (col < dims.length) {
      const s = cube.interner.symbol(cube.rowTuples[i]!, col);
      const fid = dimFields[col]!;
      const selected = state.selections.get(fid)?.has(s) === true;
      return symbolCell(model.fields[fid]!.symbols, s, selected ? 'S' : 'O');
    }
    const column = columns[col - dims.length]!;
    return column instanceof Float64Array ? numberCell(column[i]!) : cellValueCell(column[i] ?? null);
  };
  const cy = order.length;
  return {
    size: { cx: width, cy },
    dimensionInfo: dimFields.map((fid, d) => dimensionInfo(model, fid, dimSymbols[d]!, sort, d)),
    measureInfo: measureDefs.map((m, k) => measureInfo(m, nums[k]!, sort, dims.length + k)),
    pages: pages.map((p) => {
      const height = Math.max(0, Math.min(p.height, cy - p.top));
      const w = Math.max(0, Math.min(p.width, width - p.left));
      const matrix: QixCell[][] = [];
      for (let r = 0; r < height; r++) {
        const line: QixCell[] = [];
        for (let c = 0; c < w; c++) line.push(cell(p.top + r, p.left + c));
        matrix.push(line);
      }
      return { area: { top: p.top, left: p.left, height, width: w }, matrix };
    }),
  };
}

function checkPages(pages: readonly HyperCubePage[]): HyperCubePage[] {
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

function dimensionInfo(model: DataModel, fid: number, symbols: number[], sort: readonly SortSpec[], col: number): DimensionInfo {
  const f = model.fields[fid]!;
  const distinct = distinctSymbols(symbols, f.symbols.size);
  let min = Number.POSITIVE_INFINITY;
  let max = Number.NEGATIVE_INFINITY;
  for (const s of distinct) {
    const n = f.symbols.num(s);
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
  for (const v of values) {
    if (Number.isNaN(v)) continue;
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
function distinctSymbols(symbols: readonly number[], size: number): number[] {
  const seen = new Uint8Array(size);
  const out: number[] = [];
  for (const s of symbols) {
    if (seen[s] === 0) {
      seen[s] = 1;
      out.push(s);
    }
  }
  return out;
}
