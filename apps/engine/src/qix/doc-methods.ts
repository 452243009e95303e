import { clearAll, fieldDescription, resolveField, tableData, tablesAndKeys } from '@trustzone/data-model';
import { checkStateName } from './def-readers';
import { evaluateOnDoc } from './evaluate-cache';
import { expandExpression } from './expansion';
import type { DocContext } from './doc-context';
import type { CallContext, MethodTable } from './method-table';
import type { ObjectRef } from './open-doc';
import { QixError, QixErrorCode } from './qix.error';
import { readSessionObject } from './session-object';
import { tablesAndKeysLayout } from './tables-and-keys-layout';

/** The document of a Doc/Field/GenericObject handle (those exist only while a doc is open). */
export function docOf(ctx: CallContext): DocContext {
  if (ctx.core.doc === null) throw new QixError(QixErrorCode.APP_INVALID, 'App invalid');
  return ctx.core.doc;
}

/** Expressions as clients send them may start with `=`; the measure language does not. */
export function stripEquals(expression: string): string {
  return expression.trim().replace(/^=/, '');
}

/**
 * Doc methods. Every answer is computed inside the session's view; the script (which holds the
 * security table) is reached only through script-methods.ts, behind the rules and section access.
 */
export const DOC_METHODS: MethodTable = {
  GetTablesAndKeys: {
    params: ['qWindowSize', 'qNullSize', 'qCellHeight', 'qSyntheticMode', 'qIncludeSysVars', 'qIncludeProfiling'],
    out: ['qtr', 'qk'],
    run: (ctx, args) => {
      if (args.has(0)) args.object(0);
      if (args.has(1)) args.object(1);
      args.integer(2, 0);
      [3, 4, 5].forEach((i) => args.boolean(i, false));
      const doc = docOf(ctx);
      return tablesAndKeysLayout(tablesAndKeys(doc.model, doc.view));
    },
  },
  GetFieldDescription: {
    params: ['qFieldName'],
    out: 'qReturn',
    run: (ctx, args) => {
      const doc = docOf(ctx);
      const d = fieldDescription(doc.model, doc.view, args.string(0, 1000));
      return { qName: d.name, qSrcTables: d.srcTables, qIsSemantic: false, qIsHidden: d.tags.includes('$hidden'), qIsSystem: false, qAndMode: false, qCardinal: d.cardinal, qTotalCount: d.totalCount, qIsNumeric: d.isNumeric, qTags: d.tags, qIsDefinitionOnly: false, qComment: '' };
    },
  },
  GetField: {
    params: ['qFieldName', 'qStateName'],
    out: 'qReturn',
    run: (ctx, args): ObjectRef => {
      const doc = docOf(ctx);
      const name = args.string(0, 1000);
      checkStateName(args.optionalString(1, 1000), 'qStateName');
      resolveField(doc.model, doc.view, name);
      let handle = doc.fieldHandles.get(name);
      if (handle === undefined) {
        handle = ctx.core.handles.add({ type: 'Field', field: name });
        doc.fieldHandles.set(name, handle);
      }
      return { qType: 'Field', qHandle: handle, qGenericId: name };
    },
  },
  CreateSessionObject: {
    params: ['qProp'],
    out: 'qReturn',
    run: (ctx, args): ObjectRef => {
      const doc = docOf(ctx);
      const obj = readSessionObject(doc, args.object(0), ctx.core.limits.maxPropertiesChars);
      if (doc.objectHandles.has(obj.id)) throw new QixError(QixErrorCode.ALREADY_EXISTS, 'An object with this qId already exists', { parameter: 'qProp.qInfo.qId' });
      const handle = ctx.core.handles.add({ type: 'GenericObject', object: obj });
      doc.objectHandles.set(obj.id, handle);
      return { qType: 'GenericObject', qHandle: handle, qGenericId: obj.id, qGenericType: obj.type };
    },
  },
  DestroySessionObject: {
    params: ['qId'],
    out: ['qSuccess'],
    run: (ctx, args) => {
      const doc = docOf(ctx);
      const id = args.string(0, 1000);
      const handle = doc.objectHandles.get(id);
      if (handle === undefined) return false;
      doc.objectHandles.delete(id);
      ctx.core.handles.delete(handle);
      ctx.close.push(handle);
      return true;
    },
  },
  GetObject: {
    params: ['qId'],
    out: 'qReturn',
    run: (ctx, args): ObjectRef => {
      const doc = docOf(ctx);
      const handle = doc.objectHandles.get(args.string(0, 1000));
      const entry = handle === undefined ? undefined : ctx.core.handles.get(handle);
      if (handle === undefined || entry?.type !== 'GenericObject') throw new QixError(QixErrorCode.NOT_FOUND, 'Object not found', { parameter: 'qId' });
      return { qType: 'GenericObject', qHandle: handle, qGenericId: entry.object.id, qGenericType: entry.object.type };
    },
  },
  ClearAll: {
    params: ['qLockedAlso', 'qStateName'],
    out: 'void',
    run: (ctx, args) => {
      args.boolean(0, false);
      checkStateName(args.optionalString(1, 1000), 'qStateName');
      docOf(ctx).selections = clearAll();
    },
  },
  GetTableData: {
    params: ['qOffset', 'qRows', 'qSyntheticMode', 'qTableName'],
    out: ['qData'],
    run: (ctx, args) => {
      const doc = docOf(ctx);
      const offset = args.integer(0, 0);
      const rows = args.integer(1, 0);
      args.boolean(2, false);
      const data = tableData(doc.model, doc.view, args.string(3, 1000), offset, rows);
      return data.rows.map((qValue) => ({ qValue }));
    },
  },
  Evaluate: {
    params: ['qExpression'],
    out: 'qReturn',
    run: (ctx, args) => {
      const doc = docOf(ctx);
      return evaluateOnDoc(doc, expandExpression(doc, args.string(0, 100_000))).qText;
    },
  },
  EvaluateEx: {
    params: ['qExpression'],
    out: ['qValue'],
    run: (ctx, args) => {
      const doc = docOf(ctx);
      return evaluateOnDoc(doc, expandExpression(doc, args.string(0, 100_000)));
    },
  },
  GetAppLayout: {
    params: [],
    out: ['qLayout'],
    run: (ctx) => {
      const { app } = docOf(ctx);
      return { qTitle: app.title, qFileName: app.appId, qLastReloadTime: '', qModified: false, qHasScript: false, qStateNames: [], qMeta: {}, qHasData: true, qReadOnly: true, qIsOpenedWithoutData: false, qIsSessionApp: false, qThumbnail: { qUrl: '' }, qUnsupportedFeatures: [], qUsage: 'ANALYTICS' };
    },
  },
};
