import { DOC_METHODS } from './doc-methods';
import { FIELD_METHODS } from './field-methods';
import { GENERIC_OBJECT_METHODS } from './generic-object-methods';
import { GLOBAL_METHODS } from './global-methods';
import { SCRIPT_DOC_METHODS, SCRIPT_GLOBAL_METHODS } from './script-methods';
import { GENERIC_VARIABLE_METHODS, syncVariables, VARIABLE_DOC_METHODS } from './variable-methods';
import type { QixRequest } from './json-rpc-frame';
import { readableObject, syncObjects } from './objects/object-context';
import { syncLibrary } from './objects/library-items';
import { CONNECTION_DOC_METHODS } from './connection-methods';
import { OBJECT_DOC_METHODS } from './objects/object-doc-methods';
import { PERSISTED_GENERIC_OBJECT_METHODS } from './objects/generic-object-persist-methods';
import { BOOKMARK_DOC_METHODS, GENERIC_BOOKMARK_METHODS } from './objects/bookmark-methods';
import { GENERIC_DIMENSION_METHODS, GENERIC_MEASURE_METHODS, MASTER_ITEM_DOC_METHODS } from './objects/master-item-methods';
import { isRecord, MethodArgs } from './method-args';
import type { CallContext, MethodSpec, MethodTable, ObjectType, OutSpec, SessionCore } from './method-table';
import { reportInternal } from './qix-audit';
import { PIVOT_METHODS } from './pivot-methods';
import { SEARCH_METHODS } from './search-methods';
import { SEARCH_ASSOCIATION_METHODS } from './search-association-methods';
import { OBJECT_SEARCH_METHODS } from './objects/object-search-methods';
import { OBJECT_COPY_DOC_METHODS, OBJECT_COPY_GENERIC_METHODS } from './objects/object-copy-methods';
import { clipInput, QixError, QixErrorCode } from './qix.error';
import { toQixError } from './qix-error-mapper';
import { errorFrame, resultFrame } from './rpc-frames';

/** Methods by the schema struct a handle answers for. */
export const METHOD_TABLES: Readonly<Record<ObjectType, MethodTable>> = {
  Global: { ...GLOBAL_METHODS, ...SCRIPT_GLOBAL_METHODS },
  Doc: { ...DOC_METHODS, ...SEARCH_METHODS, ...SEARCH_ASSOCIATION_METHODS, ...OBJECT_SEARCH_METHODS, ...OBJECT_COPY_DOC_METHODS, ...SCRIPT_DOC_METHODS, ...VARIABLE_DOC_METHODS, ...OBJECT_DOC_METHODS, ...MASTER_ITEM_DOC_METHODS, ...BOOKMARK_DOC_METHODS, ...CONNECTION_DOC_METHODS },
  GenericObject: { ...GENERIC_OBJECT_METHODS, ...PIVOT_METHODS, ...PERSISTED_GENERIC_OBJECT_METHODS, ...OBJECT_COPY_GENERIC_METHODS },
  Field: FIELD_METHODS,
  GenericVariable: GENERIC_VARIABLE_METHODS,
  GenericDimension: GENERIC_DIMENSION_METHODS,
  GenericMeasure: GENERIC_MEASURE_METHODS,
  GenericBookmark: GENERIC_BOOKMARK_METHODS,
};

/**
 * Answer one well-formed request: resolve the handle, find the method for that handle's type, bind
 * the parameters by the schema, run it and name the result. A selection change marks every object
 * and field of the doc stale (`change`). Every failure becomes an error frame for this request
 * only; the session carries on.
 */
export async function dispatch(core: SessionCore, req: QixRequest): Promise<string> {
  const entry = req.handle === -1 ? ({ type: 'Global' } as const) : core.handles.get(req.handle);
  if (entry === undefined) return errorFrame(req.id, new QixError(QixErrorCode.INVALID_HANDLE, 'Invalid handle', { parameter: `handle ${req.handle}` }));
  const spec = lookup(METHOD_TABLES[entry.type], req.method);
  if (spec === undefined) {
    return errorFrame(req.id, new QixError(QixErrorCode.METHOD_NOT_FOUND, `Method not found: ${clipInput(req.method)} on ${entry.type}`, { parameter: 'method' }));
  }
  const ctx: CallContext = { core, handle: req.handle, entry, change: new Set(), close: [] };
  const before = core.doc?.selections;
  try {
    const args = MethodArgs.bind(req.params, spec.params);
    if (entry.type !== 'Global') {
      // Together, so both lists come from one read of the app file (AppLibrary shares it).
      await Promise.all([syncVariables(core), syncObjects(core)]);
      await syncLibrary(core);
    }
    // Every call on a persisted object's handle is a read the rules decide anew (it may have been
    // made private, unpublished or destroyed by someone else since the handle was given out).
    const persisted = persistedIdOf(entry);
    if (persisted !== undefined) await readableObject(ctx, persisted, 'handle');
    const result = nameResult(spec.out, await spec.run(ctx, args));
    if (core.doc !== null && before !== undefined && core.doc.selections !== before) {
      for (const h of core.handles.selectionDependents()) ctx.change.add(h);
    }
    const change = [...ctx.change].filter((h) => core.handles.get(h) !== undefined);
    return resultFrame(req.id, result, { change, close: ctx.close });
  } catch (err) {
    const mapped = toQixError(err);
    if (mapped.internal) reportInternal(core, err, req.method);
    return errorFrame(req.id, mapped.error);
  }
}

function persistedIdOf(entry: CallContext['entry']): string | undefined {
  switch (entry.type) {
    case 'GenericObject':
      return entry.persistedId;
    case 'GenericDimension':
    case 'GenericMeasure':
    case 'GenericBookmark':
      return entry.objectId;
    default:
      return undefined;
  }
}

/** Own properties only: a method named "constructor" or "__proto__" is simply not found. */
function lookup(table: MethodTable, method: string): MethodSpec | undefined {
  return Object.hasOwn(table, method) ? table[method] : undefined;
}

function nameResult(out: OutSpec, value: unknown): Record<string, unknown> {
  if (out === 'qReturn') return { qReturn: value };
  if (out === 'void') return {};
  if (out.length === 1) return { [out[0]]: value };
  if (!isRecord(value)) throw new Error(`a method with out-parameters ${out.join(', ')} returned no record`);
  return Object.fromEntries(out.map((k) => [k, value[k]]));
}
