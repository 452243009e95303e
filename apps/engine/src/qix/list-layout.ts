import { cardinal, type HyperCubePage, listValues, MAX_LIST_PAGE } from '@trustzone/data-model';
import type { QixDataPage } from './cube-layout';
import type { DocContext } from './doc-context';
import type { ListSpec } from './list-object-def-reader';
import { invalid } from './method-args';

/**
 * Data pages of a list object: the field's values visible to the user, with their states. A list has
 * one column, so a page asking for columns beyond it gets an empty matrix. Total rows over all pages
 * are bounded like one list page of the data model.
 */
export function listDataPages(doc: DocContext, list: ListSpec, pages: readonly HyperCubePage[]): { size: number; pages: QixDataPage[] } {
  const rows = pages.reduce((n, p) => n + (p.left === 0 && p.width > 0 ? p.height : 0), 0);
  if (rows > MAX_LIST_PAGE) throw invalid('qPages', `list pages exceed the limit of ${MAX_LIST_PAGE} rows`);
  let size: number | undefined;
  const out = pages.map((p): QixDataPage => {
    if (p.left !== 0 || p.width === 0) return { qMatrix: [], qTails: [], qArea: { qLeft: p.left, qTop: p.top, qWidth: 0, qHeight: 0 }, qIsReduced: false };
    const r = listValues(doc.model, doc.view, doc.state(), list.field, { top: p.top, height: p.height }, { frequency: list.frequency !== 'N' });
    size = r.size;
    const matrix = r.values.map((cell, i) => [r.frequencies === undefined ? cell : { ...cell, qFrequency: frequencyText(list.frequency, r.frequencies[i]!, r.frequencyTotal!) }]);
    return { qMatrix: matrix, qTails: [], qArea: { qLeft: 0, qTop: p.top, qWidth: 1, qHeight: r.values.length }, qIsReduced: false };
  });
  size ??= listValues(doc.model, doc.view, doc.state(), list.field, { top: 0, height: 0 }).size;
  return { size, pages: out };
}

function frequencyText(mode: 'N' | 'V' | 'P', count: number, total: number): string {
  if (mode === 'V') return String(count);
  return total === 0 ? '0%' : `${Math.round((1000 * count) / total) / 10}%`;
}

/** qStateCounts: how many of the field's values (visible to the user) are in each state. */
function stateCounts(doc: DocContext, list: ListSpec): Record<string, number> {
  const c = listValues(doc.model, doc.view, doc.state(), list.field, { top: 0, height: 0 }).stateCounts;
  return { qLocked: c.L, qSelected: c.S, qOption: c.O, qDeselected: 0, qAlternative: c.A, qExcluded: c.X, qSelectedExcluded: c.XS, qLockedExcluded: 0 };
}

/** qListObject of a layout. */
export function listObjectLayout(doc: DocContext, list: ListSpec): Record<string, unknown> {
  const data = listDataPages(doc, list, list.initialPages);
  return {
    qStateName: '$',
    qSize: { qcx: 1, qcy: data.size },
    qDimensionInfo: {
      qFallbackTitle: list.label,
      qCardinal: cardinal(doc.model, doc.view, list.field),
      qGroupFieldDefs: [list.field],
      qGroupFallbackTitles: [list.label],
      qGroupPos: 0,
      qSortIndicator: 'A',
      qStateCounts: stateCounts(doc, list),
      qLocked: false,
      qIsSemantic: false,
      qAttrExprInfo: [],
      qAttrDimInfo: [],
    },
    qExpressions: [],
    qDataPages: data.pages,
  };
}
