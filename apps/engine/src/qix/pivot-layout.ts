import { type HyperCubePage, hypercube, MAX_PAGE_CELLS, type QixCell } from '@trustzone/data-model';
import { CHART_SCALARS } from './chart-functions';
import type { DocContext } from './doc-context';
import { expandCube } from './expansion';
import type { CubeSpec } from './hypercube-def-reader';
import { invalid } from './method-args';

/** Cells a pivot may combine (left rows × top columns) before it is refused: the bound of one cube page run. */
const MAX_PIVOT_CELLS = 200_000;
/** Expanded or collapsed node paths one handle may remember per side. */
export const MAX_EXPANSION_KEYS = 10_000;

export interface PivotCell {
  qText: string;
  qElemNo: number;
  qValue: number | 'NaN';
  qType: 'V' | 'P' | 'T';
  qCanExpand: boolean;
  qCanCollapse: boolean;
  qUp: number;
  qDown: number;
  qSubNodes: PivotCell[];
  qAttrExps: { qValues: never[] };
  qAttrDims: { qValues: never[] };
}

export interface PivotPage {
  qLeft: PivotCell[];
  qTop: PivotCell[];
  qData: { qText: string; qNum: number | 'NaN'; qType: 'V' | 'T'; qAttrExps: { qValues: never[] } }[][];
  qArea: { qLeft: number; qTop: number; qWidth: number; qHeight: number };
}

/**
 * One side's expansion, as ExpandLeft/CollapseLeft (ExpandTop/CollapseTop) leave it: node paths
 * (element numbers from the outermost dimension) expanded one by one, or "all expanded" with the
 * paths collapsed since. Kept per handle, like the session's selections (see docs/qps-and-qix.md).
 */
export interface Expansion {
  all: boolean;
  keys: Set<string>;
}
export interface PivotExpansion {
  left: Expansion;
  top: Expansion;
}
export const newExpansion = (): PivotExpansion => ({ left: { all: false, keys: new Set() }, top: { all: false, keys: new Set() } });

/** One row of the left side (or column of the top): a node path, and whether it ends in a total node. */
interface Line {
  cells: QixCell[];
  /** A total node at depth `cells.length`: the aggregate of the path's node (the grand total for []). */
  total: string | null;
  /** The path's last node can expand (it is collapsed and not on the innermost dimension). */
  canExpand: boolean;
}

const key = (cells: readonly QixCell[]): string => cells.map((c) => c.qElemNumber).join(',');

function isExpanded(e: Expansion, always: boolean, path: readonly QixCell[]): boolean {
  if (always) return true;
  return e.all ? !e.keys.has(key(path)) : e.keys.has(key(path));
}

/**
 * The lines of one side: depth-first over the distinct value paths (as the cube sorts them), a
 * collapsed node ending its line, an expanded one opening its children; a dimension whose total is
 * shown adds a total line among its values (above them with qShowTotalsAbove).
 *
 * `indent` (qIndentMode, left side only): every expanded node has a line of its own, before its
 * children, holding the measures over its rows; so a dimension below the first adds no total line
 * (its parent's line is that total). Only the first dimension's total (the grand total) remains.
 * This is the shape Qlik's indented pivot clients read: one row per node, depth-first.
 */
function lines(paths: QixCell[][], dims: CubeSpec['dimensions'], e: Expansion, cube: CubeSpec, indent = false): Line[] {
  const out: Line[] = [];
  const n = dims.length;
  if (n === 0) return [{ cells: [], total: null, canExpand: false }];
  const walk = (rows: QixCell[][], prefix: QixCell[], depth: number) => {
    const total = indent && depth > 0 ? undefined : dims[depth]!.total;
    if (total !== undefined && cube.pivot.showTotalsAbove) out.push({ cells: prefix, total, canExpand: false });
    let i = 0;
    while (i < rows.length) {
      let j = i + 1;
      while (j < rows.length && rows[j]![depth]!.qElemNumber === rows[i]![depth]!.qElemNumber) j++;
      const path = [...prefix, rows[i]![depth]!];
      if (depth === n - 1) out.push({ cells: path, total: null, canExpand: false });
      else if (isExpanded(e, cube.pivot.alwaysFullyExpanded, path)) {
        if (indent) out.push({ cells: path, total: null, canExpand: false });
        walk(rows.slice(i, j), path, depth + 1);
      } else out.push({ cells: path, total: null, canExpand: true });
      i = j;
    }
    if (total !== undefined && !cube.pivot.showTotalsAbove) out.push({ cells: prefix, total, canExpand: false });
  };
  walk(paths, [], 0);
  return out;
}

interface Pivot {
  left: Line[];
  top: Line[];
  /** value(leftLine, topLine, measure). */
  value(l: number, t: number, m: number): QixCell;
  measures: string[];
  nLeft: number;
  nTop: number;
  expandable(side: 'left' | 'top'): boolean;
}

/**
 * qMode "P": left dimensions (the first qNoOfLeftDims) down the rows, the others across with the
 * measures as the innermost column level; nodes expanded as the handle's expansion says (or all, with
 * qAlwaysFullyExpanded), totals where a dimension shows them. A collapsed node's or a total's cells
 * are the measures over that node's rows — every figure is read through the same hypercube(), so the
 * same view (section access) and limits apply to subtotals as to cells.
 */
function computePivot(doc: DocContext, raw: CubeSpec, expansion: PivotExpansion): Pivot {
  const cube = expandCube(doc, raw);
  const dims = cube.dimensions;
  const fields = dims.map((d) => d.field);
  const nLeft = cube.noOfLeftDims < 0 || cube.noOfLeftDims > dims.length ? dims.length : cube.noOfLeftDims;
  const measures = cube.measures.map((m) => m.expression);
  const all = (dimensions: string[], ms: string[]): QixCell[][] => {
    const out: QixCell[][] = [];
    const width = dimensions.length + ms.length;
    const height = Math.max(1, Math.floor(MAX_PAGE_CELLS / Math.max(1, width)));
    for (let top = 0; ; top += height) {
      const r = hypercube(doc.model, doc.view, doc.state(), { dimensions, measures: ms, pages: [{ top, left: 0, height, width }], scalars: CHART_SCALARS });
      out.push(...r.pages[0]!.matrix);
      if (out.length * width > MAX_PIVOT_CELLS) throw invalid('qHyperCubeDef', `the pivot exceeds ${MAX_PIVOT_CELLS} cells`);
      if (top + height >= r.size.cy) return out;
    }
  };
  const leftPaths = nLeft === 0 ? [] : all(fields.slice(0, nLeft), []);
  const topPaths = nLeft === dims.length ? [] : all(fields.slice(nLeft), []);
  const left = lines(leftPaths, dims.slice(0, nLeft), expansion.left, cube, cube.pivot.indent);
  const top = lines(topPaths, dims.slice(nLeft), expansion.top, cube);
  if (left.length * top.length * Math.max(1, measures.length) > MAX_PIVOT_CELLS) throw invalid('qHyperCubeDef', `the pivot exceeds ${MAX_PIVOT_CELLS} cells`);
  // One cube per (left depth, top depth) a line needs: the measures by that prefix of each side.
  const cubes = new Map<string, Map<string, QixCell[]>>();
  const cubeAt = (dl: number, dt: number): Map<string, QixCell[]> => {
    const k = `${dl}/${dt}`;
    let c = cubes.get(k);
    if (c === undefined) {
      const ds = [...fields.slice(0, dl), ...fields.slice(nLeft, nLeft + dt)];
      const rows = measures.length === 0 ? [] : all(ds, measures);
      c = new Map(rows.map((row) => [key(row.slice(0, ds.length)), row.slice(ds.length)]));
      cubes.set(k, c);
    }
    return c;
  };
  const empty: QixCell = { qText: '-', qNum: 'NaN', qElemNumber: 0, qState: 'L' };
  return {
    left,
    top,
    nLeft,
    nTop: dims.length - nLeft,
    measures: cube.measures.map((m) => m.label),
    expandable: (side) => !cube.pivot.alwaysFullyExpanded && (side === 'left' ? nLeft > 1 : dims.length - nLeft > 1),
    value: (l, t, m) => {
      const a = left[l]!.cells;
      const b = top[t]!.cells;
      return cubeAt(a.length, b.length).get(key([...a, ...b]))?.[m] ?? empty;
    },
  };
}

function node(c: { qText: string; qElemNumber: number; qNum: number | 'NaN' }, type: PivotCell['qType'], sub: PivotCell[], flags: { canExpand?: boolean; canCollapse?: boolean } = {}): PivotCell {
  return { qText: c.qText, qElemNo: c.qElemNumber, qValue: c.qNum, qType: type, qCanExpand: flags.canExpand === true, qCanCollapse: flags.canCollapse === true, qUp: 0, qDown: 0, qSubNodes: sub, qAttrExps: { qValues: [] }, qAttrDims: { qValues: [] } };
}

/** Lines of `all` next to index `from` (stepping by `step`) that run through the same node at `depth` as line `at`. */
function sameNode(all: readonly Line[], at: number, from: number, step: 1 | -1, depth: number): number {
  const cells = all[at]!.cells;
  let n = 0;
  for (let k = from; k >= 0 && k < all.length; k += step) {
    const c = all[k]!.cells;
    if (c.length <= depth) break;
    let same = true;
    for (let d = 0; d <= depth && same; d++) same = c[d]!.qElemNumber === cells[d]!.qElemNumber;
    if (!same) break;
    n++;
  }
  return n;
}

/**
 * Nested nodes for the lines `from`..`to` (exclusive) of `all` that share a prefix; `leaf(i)` adds
 * what hangs below line i's last node (the measures on the top side). A node with children can
 * collapse; a collapsed one can expand. A node that also runs through lines outside the page says
 * how many in qUp (before the page) and qDown (after it), counted in lines of that side, so a client
 * stitching pages together (or counting indented rows) knows the node started or goes on elsewhere.
 */
function tree(all: readonly Line[], from: number, to: number, depth: number, leaf: (line: number) => PivotCell[], page: { start: number; end: number }, expandable: boolean, dims: number): PivotCell[] {
  const out: PivotCell[] = [];
  let i = from;
  while (i < to) {
    const l = all[i]!;
    if (l.cells.length === depth) {
      const sub = leaf(i);
      if (l.total !== null) out.push(node({ qText: l.total, qElemNumber: -1, qNum: 'NaN' }, 'T', sub));
      else out.push(...sub);
      i++;
      continue;
    }
    let j = i + 1;
    while (j < to && all[j]!.cells.length > depth && all[j]!.cells[depth]!.qElemNumber === l.cells[depth]!.qElemNumber) j++;
    const collapsed = j === i + 1 && l.canExpand && l.cells.length === depth + 1;
    const opened = !collapsed && depth < dims - 1;
    const sub = collapsed ? leaf(i) : tree(all, i, j, depth + 1, leaf, page, expandable, dims);
    const cell = node(l.cells[depth]!, 'V', sub, { canExpand: expandable && collapsed, canCollapse: expandable && opened });
    if (i === page.start) cell.qUp = sameNode(all, i, i - 1, -1, depth);
    if (j === page.end) cell.qDown = sameNode(all, i, j, 1, depth);
    out.push(cell);
    i = j;
  }
  return out;
}

export function pivotPages(doc: DocContext, cube: CubeSpec, pages: readonly HyperCubePage[], expansion: PivotExpansion = newExpansion()): { size: { qcx: number; qcy: number }; pages: PivotPage[] } {
  const p = computePivot(doc, cube, expansion);
  const nm = Math.max(1, p.measures.length);
  const width = p.top.length * nm;
  const height = p.left.length;
  return {
    size: { qcx: width, qcy: height },
    pages: pages.map((page) => {
      const rows = Math.max(0, Math.min(page.height, height - page.top));
      const cols = Math.max(0, Math.min(page.width, width - page.left));
      const qData = Array.from({ length: rows }, (_, r) =>
        Array.from({ length: cols }, (_, c) => {
          const col = page.left + c;
          const t = Math.floor(col / nm);
          const v = p.value(page.top + r, t, col % nm);
          const total = p.left[page.top + r]!.total !== null || p.top[t]!.total !== null;
          return { qText: v.qText, qNum: v.qNum, qType: total ? ('T' as const) : ('V' as const), qAttrExps: { qValues: [] as never[] } };
        }),
      );
      const firstTop = Math.floor(page.left / nm);
      const lastTop = cols === 0 ? firstTop - 1 : Math.floor((page.left + cols - 1) / nm);
      const measureLeaves = (t: number): PivotCell[] =>
        p.measures
          .map((label, m) => ({ label, col: t * nm + m }))
          .filter(({ col }) => col >= page.left && col < page.left + cols)
          .map(({ label, col }) => node({ qText: label, qElemNumber: col % nm, qNum: 'NaN' }, 'P', []));
      return {
        qLeft: tree(p.left, page.top, page.top + rows, 0, () => [], { start: page.top, end: page.top + rows }, p.expandable('left'), p.nLeft),
        qTop: tree(p.top, firstTop, lastTop + 1, 0, measureLeaves, { start: firstTop, end: lastTop + 1 }, p.expandable('top'), p.nTop),
        qData,
        qArea: { qLeft: page.left, qTop: page.top, qWidth: cols, qHeight: rows },
      };
    }),
  };
}

/**
 * The node ExpandLeft/CollapseLeft (…Top) names: line `index` of the side (a row of the data
 * matrix on the left; a column, measures counted, on the top) at dimension `level` of that side.
 */
export function pivotNodeKey(doc: DocContext, cube: CubeSpec, expansion: PivotExpansion, side: 'left' | 'top', index: number, level: number): string {
  const p = computePivot(doc, cube, expansion);
  const ls = side === 'left' ? p.left : p.top;
  const line = ls[side === 'left' ? index : Math.floor(index / Math.max(1, p.measures.length))];
  const n = side === 'left' ? p.nLeft : p.nTop;
  if (line === undefined) throw invalid(side === 'left' ? 'qRow' : 'qCol', `${side === 'left' ? 'qRow' : 'qCol'} is outside the pivot`);
  if (level < 0 || level >= n - 1 || level >= line.cells.length) throw invalid(side === 'left' ? 'qCol' : 'qRow', `${side === 'left' ? 'qCol' : 'qRow'} names no expandable dimension of that ${side === 'left' ? 'row' : 'column'}`);
  return key(line.cells.slice(0, level + 1));
}
