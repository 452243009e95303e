import { checkChartExpression, fieldDescription, resolveField } from '@trustzone/data-model';
import { CHART_SCALARS } from '../chart-functions';
import { docOf, stripEquals } from '../doc-methods';
import { invalid, isRecord } from '../method-args';
import type { CallContext, MethodTable } from '../method-table';
import { isQixError } from '../qix.error';
import { itemDocMethods, itemMethods, type ItemKind, stringList } from './typed-items';
import type { StoredObject } from './stored-object';

/*
 * Master dimensions and measures (Doc.CreateDimension/GetDimension/DestroyDimension, the same for
 * measures; GenericDimension/GenericMeasure handles). Definitions are checked in the writer's view;
 * a layout describes them in the reader's view (a field section access omits for the reader is
 * left out of qDimInfos, as if it did not exist).
 */

function checkField(ctx: CallContext, def: string): void {
  const doc = docOf(ctx);
  if (def.trim().startsWith('=')) checkChartExpression(doc.model, doc.view, stripEquals(def), CHART_SCALARS);
  else resolveField(doc.model, doc.view, def);
}

export const DIMENSION: ItemKind = {
  type: 'dimension',
  handleType: 'GenericDimension',
  check: (ctx, properties) => {
    const dim = properties['qDim'];
    if (!isRecord(dim)) throw invalid('qProp.qDim', 'a dimension has qDim');
    const defs = stringList(dim['qFieldDefs'], 'qProp.qDim.qFieldDefs', 1, 16, 10_000);
    if (dim['qFieldLabels'] !== undefined) stringList(dim['qFieldLabels'], 'qProp.qDim.qFieldLabels', 0, 16, 10_000);
    const grouping = dim['qGrouping'] ?? 'N';
    if (grouping !== 'N' && grouping !== 'H' && grouping !== 'C') throw invalid('qProp.qDim.qGrouping', 'qGrouping is N, H or C');
    for (const d of defs) checkField(ctx, d);
    return properties;
  },
};

export const MEASURE: ItemKind = {
  type: 'measure',
  handleType: 'GenericMeasure',
  check: (ctx, properties) => {
    const m = properties['qMeasure'];
    if (!isRecord(m)) throw invalid('qProp.qMeasure', 'a measure has qMeasure');
    if (typeof m['qDef'] !== 'string' || m['qDef'].length > 64 * 1024) throw invalid('qProp.qMeasure.qDef', 'qMeasure.qDef is an expression');
    if (m['qLabel'] !== undefined && (typeof m['qLabel'] !== 'string' || m['qLabel'].length > 10_000)) throw invalid('qProp.qMeasure.qLabel', 'qLabel is a string');
    const doc = docOf(ctx);
    checkChartExpression(doc.model, doc.view, stripEquals(m['qDef']), CHART_SCALARS);
    return properties;
  },
};

function dimInfos(ctx: CallContext, obj: StoredObject): Record<string, unknown>[] {
  const doc = docOf(ctx);
  const dim = obj.properties['qDim'] as { qFieldDefs?: string[] };
  return (dim.qFieldDefs ?? []).flatMap((def) => {
    if (def.trim().startsWith('=')) return [{ qName: def, qTags: [], qIsSemantic: false }];
    try {
      const d = fieldDescription(doc.model, doc.view, def);
      return [{ qName: d.name, qTags: d.tags, qIsSemantic: false }];
    } catch (e) {
      if (isQixError(e) || e instanceof Error) return [];
      throw e;
    }
  });
}

export const GENERIC_DIMENSION_METHODS: MethodTable = itemMethods(DIMENSION, (ctx, obj) => ({ qDim: obj.properties['qDim'], qDimInfos: dimInfos(ctx, obj) }), {
  GetDimension: { params: [], out: ['qDim'], run: (ctx) => {
    const e = ctx.entry;
    return e.type === 'GenericDimension' ? docOf(ctx).objects.get(e.objectId)?.properties['qDim'] : undefined;
  } },
});

export const GENERIC_MEASURE_METHODS: MethodTable = itemMethods(MEASURE, (_ctx, obj) => ({ qMeasure: obj.properties['qMeasure'] }), {
  GetMeasure: { params: [], out: ['qMeasure'], run: (ctx) => {
    const e = ctx.entry;
    return e.type === 'GenericMeasure' ? docOf(ctx).objects.get(e.objectId)?.properties['qMeasure'] : undefined;
  } },
});

export const MASTER_ITEM_DOC_METHODS: MethodTable = {
  ...itemDocMethods(DIMENSION, { create: 'CreateDimension', get: 'GetDimension', destroy: 'DestroyDimension' }),
  ...itemDocMethods(MEASURE, { create: 'CreateMeasure', get: 'GetMeasure', destroy: 'DestroyMeasure' }),
};
