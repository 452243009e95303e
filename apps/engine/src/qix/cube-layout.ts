import { checkHyperCubePages, type ComputedHyperCube, computeHyperCube, type HyperCubePage, type HyperCubeResult, hyperCubePages, type QixCell } from '@trustzone/data-model';
import { CUBE_CACHE, cubeKey, selectionKey } from './cube-cache';
import { CHART_SCALARS } from './chart-functions';
import { type PivotExpansion, pivotPages } from './pivot-layout';
import type { DocContext } from './doc-context';
import { evaluateOnDoc } from './evaluate-cache';
import { expandCube } from './expansion';
import { RawJson } from './rpc-frames';
import type { CubeSpec } from './hypercube-def-reader';

/** A QIX NxDataPage. */
export interface QixDataPage {
  qMatrix: QixCell[][];
  qTails: never[];
  qArea: { qLeft: number; qTop: number; qWidth: number; qHeight: number };
  qIsReduced: boolean;
}

/**
 * The cube over the session's current state, with the requested pages (bounded by the data model).
 * Pages are checked before any work; the computed cube comes from the session's cache when this
 * doc already computed the same cube in the same selection state (cube-cache.ts).
 */
export function computeCube(doc: DocContext, raw: CubeSpec, pages: readonly HyperCubePage[]): HyperCubeResult {
  const checked = checkHyperCubePages(pages);
  return hyperCubePages(cubeOver(doc, raw).computed, checked);
}

/** A computed cube (kept or new) and the measure expressions it was computed from, expanded. */
interface CubeOver {
  computed: ComputedHyperCube;
  measures: readonly string[];
}

function cubeOver(doc: DocContext, raw: CubeSpec): CubeOver {
  const cube = expandCube(doc, raw);
  const def = {
    dimensions: cube.dimensions.map((d) => d.field),
    measures: cube.measures.map((m) => ({ expression: m.expression, label: m.label })),
    sort: cube.sort,
    suppressZero: cube.suppressZero,
    scalars: CHART_SCALARS,
  };
  const key = cubeKey(def);
  const selections = doc.selections;
  const computed = CUBE_CACHE.get(doc, key === null ? null : `${selectionKey(selections)}\u0000${key}`, [doc.model, doc.view], () =>
    computeHyperCube(doc.model, doc.view, doc.state(), def),
  );
  return { computed, measures: def.measures.map((m) => m.expression) };
}

const ROW_JSON = new WeakMap<readonly QixCell[], string>();
/** qState values as JSON (no escaping to look for); anything else goes through JSON.stringify. */
const STATE_JSON: Partial<Record<string, string>> = { S: '"S"', O: '"O"', A: '"A"', X: '"X"', XS: '"XS"', L: '"L"' };

/**
 * A cube cell's JSON exactly as JSON.stringify writes it (the four keys in their order; a qNum that
 * is not finite as null), without its generic walk of the object: about half its cost, measured.
 */
export function cellJson(c: QixCell): string {
  const n = c.qNum;
  return '{"qText":' + JSON.stringify(c.qText) + ',"qNum":' + (typeof n === 'number' ? (Number.isFinite(n) ? String(n) : 'null') : '"NaN"') +
    ',"qElemNumber":' + String(c.qElemNumber) + ',"qState":' + (STATE_JSON[c.qState] ?? JSON.stringify(c.qState)) + '}';
}

/**
 * A row's JSON. A kept cube's rows are frozen and shared, so with the cube cache on theirs is made
 * once. With the cache off every cube is new and so is every row: remembering them in the WeakMap
 * then cost twice the serialization itself (ephemeron churn), for no reuse.
 */
export function rowJson(row: readonly QixCell[]): string {
  const remember = Object.isFrozen(row) && CUBE_CACHE.budget > 0;
  let text = remember ? ROW_JSON.get(row) : undefined;
  if (text === undefined) {
    // join, not +=: it makes a flat string. Appending makes a rope, and a kept row's rope was walked
    // again by every frame that used it (Buffer.byteLength in the protobuf encoder flattens the frame):
    // a quarter of the engine's CPU with the cube cache on, measured.
    const cells = new Array<string>(row.length);
    for (let k = 0; k < row.length; k++) cells[k] = cellJson(row[k]!);
    text = `[${cells.join(',')}]`;
    if (remember) ROW_JSON.set(row, text);
  }
  return text;
}

/** JSON.stringify(toDataPages(result)), the rows' JSON reused: what GetHyperCubeData answers. */
export function dataPagesJson(result: HyperCubeResult): RawJson {
  const pages = result.pages.map((p) => {
    const area = JSON.stringify({ qLeft: p.area.left, qTop: p.area.top, qWidth: p.area.width, qHeight: p.area.height });
    return `{"qMatrix":[${p.matrix.map(rowJson).join(',')}],"qTails":[],"qArea":${area},"qIsReduced":false}`;
  });
  return new RawJson(`[${pages.join(',')}]`);
}

export function toDataPages(result: HyperCubeResult): QixDataPage[] {
  return result.pages.map((p) => ({
    qMatrix: p.matrix,
    qTails: [],
    qArea: { qLeft: p.area.left, qTop: p.area.top, qWidth: p.area.width, qHeight: p.area.height },
    qIsReduced: false,
  }));
}

const AUTO_FORMAT = { qType: 'U', qnDec: 10, qUseThou: 0, qFmt: '', qDec: '', qThou: '' };

/** qApprMaxGlyphCount: the longest text of the column in the initial pages (Qlik's is approximate too). */
function glyphs(result: HyperCubeResult, col: number): number {
  let max = 0;
  for (const p of result.pages) for (const row of p.matrix) max = Math.max(max, row[col - p.area.left]?.qText?.length ?? 0);
  return max;
}

/** qHyperCube of a layout: size, column infos, grand totals and the initial data pages. */
export function hyperCubeLayout(doc: DocContext, cube: CubeSpec, expansion?: PivotExpansion): Record<string, unknown> {
  const checked = checkHyperCubePages(cube.initialPages);
  const over = cubeOver(doc, cube);
  const result = hyperCubePages(over.computed, checked);
  return {
    qStateName: '$',
    qSize: { qcx: result.size.cx, qcy: result.size.cy },
    qDimensionInfo: result.dimensionInfo.map((info, i) => ({
      ...info,
      // Qlik's engine sends these too; Qlik's own charts (sn-bar-chart) read them unguarded.
      qCardinalities: { qCardinal: info.qCardinal, qHypercubeCardinal: info.qCardinal, qAllValuesCardinal: -1 },
      qApprMaxGlyphCount: glyphs(result, i),
      qNumFormat: AUTO_FORMAT,
      qIsAutoFormat: true,
      qDimensionType: 'D',
      qFallbackTitle: cube.dimensions[i]!.label,
      qGroupFieldDefs: [cube.dimensions[i]!.field],
      qGroupFallbackTitles: [cube.dimensions[i]!.label],
      qGroupPos: 0,
      qLocked: false,
      qIsSemantic: false,
      qAttrExprInfo: [],
      qAttrDimInfo: [],
    })),
    qMeasureInfo: result.measureInfo.map((info, j) => ({ ...info, qApprMaxGlyphCount: glyphs(result, result.dimensionInfo.length + j), qCardinal: 0, qNumFormat: AUTO_FORMAT, qIsAutoFormat: true, qAttrExprInfo: [], qAttrDimInfo: [] })),
    qEffectiveInterColumnSortOrder: cube.effectiveSortOrder,
    qGrandTotalRow: grandTotals(doc, over),
    ...(cube.mode === 'P' ? pivotLayout(doc, cube, expansion) : { qDataPages: toDataPages(result), qPivotDataPages: [], qMode: 'S', qNoOfLeftDims: -1 }),
    qStackedDataPages: [],
    qTreeNodesOnDim: [],
    qColumnOrder: [],
  };
}

/**
 * One total per measure: the measure over every possible row of the state (QIX "expression total"),
 * which is exactly Evaluate of the measure — computed inside the view like everything else.
 */
function grandTotals(doc: DocContext, over: CubeOver): QixCell[] {
  // Through the doc's kept values (evaluate-cache.ts): a layout in a state seen before makes no pass
  // over the rows (the totals were ~7 % of the engine in the soak), and Evaluate of the same measure
  // shares the value.
  return over.measures.map((expression) => {
    const v = evaluateOnDoc(doc, expression);
    return { qText: v.qText, qNum: v.qNumber, qElemNumber: -1, qState: 'L' };
  });
}

/** A pivot layout: its pages and size replace the straight ones (qSize counts data columns and left rows). */
function pivotLayout(doc: DocContext, cube: CubeSpec, expansion: PivotExpansion | undefined): Record<string, unknown> {
  const p = pivotPages(doc, cube, cube.initialPages, expansion);
  return { qSize: p.size, qDataPages: [], qPivotDataPages: p.pages, qMode: 'P', qNoOfLeftDims: cube.noOfLeftDims, qAlwaysFullyExpanded: cube.pivot.alwaysFullyExpanded, qIndentMode: cube.pivot.indent };
}
