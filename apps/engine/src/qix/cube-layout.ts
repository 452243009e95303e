import { evaluate, type HyperCubePage, type HyperCubeResult, hypercube, type QixCell } from '@trustzone/data-model';
import { CHART_SCALARS } from './chart-functions';
import { pivotPages } from './pivot-layout';
import type { DocContext } from './doc-context';
import { expandCube } from './expansion';
import type { CubeSpec } from './hypercube-def-reader';

/** A QIX NxDataPage. */
export interface QixDataPage {
  qMatrix: QixCell[][];
  qTails: never[];
  qArea: { qLeft: number; qTop: number; qWidth: number; qHeight: number };
  qIsReduced: boolean;
}

/** The cube over the session's current state, with the requested pages (bounded by the data model). */
export function computeCube(doc: DocContext, raw: CubeSpec, pages: readonly HyperCubePage[]): HyperCubeResult {
  const cube = expandCube(doc, raw);
  return hypercube(doc.model, doc.view, doc.state(), {
    dimensions: cube.dimensions.map((d) => d.field),
    measures: cube.measures.map((m) => ({ expression: m.expression, label: m.label })),
    pages,
    sort: cube.sort,
    suppressZero: cube.suppressZero,
    scalars: CHART_SCALARS,
  });
}

export function toDataPages(result: HyperCubeResult): QixDataPage[] {
  return result.pages.map((p) => ({
    qMatrix: p.matrix,
    qTails: [],
    qArea: { qLeft: p.area.left, qTop: p.area.top, qWidth: p.area.width, qHeight: p.area.height },
    qIsReduced: false,
  }));
}

/** qHyperCube of a layout: size, column infos, grand totals and the initial data pages. */
export function hyperCubeLayout(doc: DocContext, cube: CubeSpec): Record<string, unknown> {
  const result = computeCube(doc, cube, cube.initialPages);
  return {
    qStateName: '$',
    qSize: { qcx: result.size.cx, qcy: result.size.cy },
    qDimensionInfo: result.dimensionInfo.map((info, i) => ({
      ...info,
      qFallbackTitle: cube.dimensions[i]!.label,
      qGroupFieldDefs: [cube.dimensions[i]!.field],
      qGroupFallbackTitles: [cube.dimensions[i]!.label],
      qGroupPos: 0,
      qLocked: false,
      qIsSemantic: false,
      qAttrExprInfo: [],
      qAttrDimInfo: [],
    })),
    qMeasureInfo: result.measureInfo.map((info) => ({ ...info, qIsAutoFormat: true, qAttrExprInfo: [], qAttrDimInfo: [] })),
    qEffectiveInterColumnSortOrder: cube.effectiveSortOrder,
    qGrandTotalRow: grandTotals(doc, cube),
    ...(cube.mode === 'P' ? pivotLayout(doc, cube) : { qDataPages: toDataPages(result), qPivotDataPages: [], qMode: 'S', qNoOfLeftDims: -1 }),
    qStackedDataPages: [],
    qTreeNodesOnDim: [],
    qColumnOrder: [],
  };
}

/**
 * One total per measure: the measure over every possible row of the state (QIX "expression total"),
 * which is exactly Evaluate of the measure — computed inside the view like everything else.
 */
function grandTotals(doc: DocContext, raw: CubeSpec): QixCell[] {
  return expandCube(doc, raw).measures.map((m) => {
    const v = evaluate(doc.model, doc.view, doc.state(), m.expression, CHART_SCALARS);
    return { qText: v.qText, qNum: v.qNumber, qElemNumber: -1, qState: 'L' };
  });
}

/** A pivot layout: its pages and size replace the straight ones (qSize counts data columns and left rows). */
function pivotLayout(doc: DocContext, cube: CubeSpec): Record<string, unknown> {
  const p = pivotPages(doc, cube, cube.initialPages);
  return { qSize: p.size, qDataPages: [], qPivotDataPages: p.pages, qMode: 'P', qNoOfLeftDims: cube.noOfLeftDims };
}
