import { type HyperCubePage, hypercube, MAX_PAGE_CELLS, type QixCell } from '@trustzone/data-model';
import { CHART_SCALARS } from './chart-functions';
import type { DocContext } from './doc-context';
import { expandCube } from './expansion';
import type { CubeSpec } from './hypercube-def-reader';
import { invalid } from './method-args';

/** Cells a pivot may combine (left rows × top columns) before it is refused: the bound of one cube page run. */
const MAX_PIVOT_CELLS = 200_000;

export interface PivotCell {
  qText: string;
  qElemNo: number;
  qValue: number | 'NaN';
  qType: 'V' | 'P';
  qCanExpand: false;
  qCanCollapse: false;
  qUp: number;
  qDown: number;
  qSubNodes: PivotCell[];
  qAttrExps: { qValues: never[] };
  qAttrDims: { qValues: never[] };
}

export interface PivotPage {
  qLeft: PivotCell[];
  qTop: PivotCell[];
  qData: { qText: string; qNum: number | 'NaN'; qType: 'V'; qAttrExps: { qValues: never[] } }[][];
  qArea: { qLeft: number; qTop: number; qWidth: number; qHeight: number };
}

interface Pivot {
  left: QixCell[][];
  top: QixCell[][];
  /** value(leftRow, topCol, measure). */
  value(l: number, t: number, m: number): QixCell;
  measures: string[];
}

/**
 * qMode "P": the straight cube reshaped, every node expanded and no subtotals — left dimensions
 * (the first qNoOfLeftDims) down the rows, the others across with the measures as the innermost
 * column level. Everything is read through the same hypercube(), so the same view and limits apply.
 */
function computePivot(doc: DocContext, raw: CubeSpec): Pivot {
  const cube = expandCube(doc, raw);
  const dims = cube.dimensions.map((d) => d.field);
  const nLeft = cube.noOfLeftDims < 0 || cube.noOfLeftDims > dims.length ? dims.length : cube.noOfLeftDims;
  const all = (dimensions: string[], measures: string[]): QixCell[][] => {
    const out: QixCell[][] = [];
    const width = dimensions.length + measures.length;
    const height = Math.max(1, Math.floor(MAX_PAGE_CELLS / Math.max(1, width)));
    for (let top = 0; ; top += height) {
      const r = hypercube(doc.model, doc.view, doc.state(), { dimensions, measures, pages: [{ top, left: 0, height, width }], scalars: CHART_SCALARS });
      out.push(...r.pages[0]!.matrix);
      if (out.length * width > MAX_PIVOT_CELLS) throw invalid('qHyperCubeDef', `the pivot exceeds ${MAX_PIVOT_CELLS} cells`);
      if (top + height >= r.size.cy) return out;
    }
  };
  const measures = cube.measures.map((m) => m.expression);
  const left = nLeft === 0 ? [[]] : all(dims.slice(0, nLeft), []);
  const top = nLeft === dims.length ? [[]] : all(dims.slice(nLeft), []);
  if (left.length * top.length * Math.max(1, measures.length) > MAX_PIVOT_CELLS) throw invalid('qHyperCubeDef', `the pivot exceeds ${MAX_PIVOT_CELLS} cells`);
  const full = dims.length === 0 ? [] : all(dims, measures);
  const key = (cells: QixCell[]) => cells.map((c) => c.qElemNumber).join(',');
  const byKey = new Map(full.map((row) => [key(row.slice(0, dims.length)), row.slice(dims.length)]));
  const totals = dims.length === 0 ? all([], measures)[0]! : null;
  const empty: QixCell = { qText: '-', qNum: 'NaN', qElemNumber: 0, qState: 'L' };
  return {
    left,
    top,
    measures: cube.measures.map((m) => m.label),
    value: (l, t, m) => (totals !== null ? totals[m]! : (byKey.get(key([...left[l]!, ...top[t]!]))?.[m] ?? empty)),
  };
}

function node(c: { qText: string; qElemNumber: number; qNum: number | 'NaN' }, type: 'V' | 'P', sub: PivotCell[]): PivotCell {
  return { qText: c.qText, qElemNo: c.qElemNumber, qValue: c.qNum, qType: type, qCanExpand: false, qCanCollapse: false, qUp: 0, qDown: 0, qSubNodes: sub, qAttrExps: { qValues: [] }, qAttrDims: { qValues: [] } };
}

/** Nested nodes for consecutive rows sharing a prefix; `leaf(i)` adds the innermost level of row i. */
function tree(rows: QixCell[][], depth: number, leaf: (row: number) => PivotCell[], offset: number): PivotCell[] {
  const out: PivotCell[] = [];
  let i = 0;
  while (i < rows.length) {
    if (depth >= rows[i]!.length) {
      out.push(...leaf(offset + i));
      i++;
      continue;
    }
    let j = i + 1;
    while (j < rows.length && rows[j]![depth]!.qElemNumber === rows[i]![depth]!.qElemNumber && sameUpTo(rows[i]!, rows[j]!, depth)) j++;
    out.push(node(rows[i]![depth]!, 'V', tree(rows.slice(i, j), depth + 1, leaf, offset + i)));
    i = j;
  }
  return out;
}

function sameUpTo(a: QixCell[], b: QixCell[], depth: number): boolean {
  for (let d = 0; d < depth; d++) if (a[d]!.qElemNumber !== b[d]!.qElemNumber) return false;
  return true;
}

export function pivotPages(doc: DocContext, cube: CubeSpec, pages: readonly HyperCubePage[]): { size: { qcx: number; qcy: number }; pages: PivotPage[] } {
  const p = computePivot(doc, cube);
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
          const v = p.value(page.top + r, Math.floor(col / nm), col % nm);
          return { qText: v.qText, qNum: v.qNum, qType: 'V' as const, qAttrExps: { qValues: [] as never[] } };
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
        qLeft: tree(p.left.slice(page.top, page.top + rows), 0, () => [], page.top),
        qTop: tree(p.top.slice(firstTop, lastTop + 1), 0, measureLeaves, firstTop),
        qData,
        qArea: { qLeft: page.left, qTop: page.top, qWidth: cols, qHeight: rows },
      };
    }),
  };
}
