import { MAX_SELECT_VALUES, selectElements } from '@trustzone/data-model';
import { computeCube, dataPagesJson } from './cube-layout';
import { readPages } from './def-readers';
import { docOf } from './doc-methods';
import { expandCube } from './expansion';
import { listDataPages } from './list-layout';
import { invalid, type MethodArgs } from './method-args';
import type { CallContext, MethodTable } from './method-table';
import { objectLayout } from './object-layout';
import { QixError, QixErrorCode } from './qix.error';
import { readSessionObject, type SessionObject } from './session-object';
import { currentObject } from './objects/persisted-object';

/** A session object, or a persisted one as stored now (its read was authorized by the dispatcher). */
function objectOf(ctx: CallContext): SessionObject {
  return currentObject(ctx, docOf(ctx));
}

/** The definition a qPath points at; only the top-level definitions exist. */
export function pathTarget(ctx: CallContext, args: MethodArgs, expected: '/qHyperCubeDef' | '/qListObjectDef'): SessionObject['def'] {
  const path = args.string(0, 1000);
  const def = objectOf(ctx).def;
  const kind = expected === '/qHyperCubeDef' ? 'hypercube' : 'listobject';
  if (path !== expected || def.kind !== kind) throw new QixError(QixErrorCode.INVALID_PATH, `Invalid path: ${path.slice(0, 100)}`, { parameter: 'qPath' });
  return def;
}

function elementNumbers(args: MethodArgs, i: number, name: string): number[] {
  return args.array(i, MAX_SELECT_VALUES).map((v) => {
    if (typeof v !== 'number' || !Number.isSafeInteger(v)) throw invalid(name, `${name} must hold element numbers (integers)`);
    return v;
  });
}

/** Select by qElemNumber in a field of the object; elements outside the user's view match nothing. */
function selectInField(ctx: CallContext, field: string, elements: number[], toggle: boolean): boolean {
  const doc = docOf(ctx);
  const r = selectElements(doc.model, doc.view, doc.selections, field, elements, toggle);
  doc.selections = r.selections;
  return r.matched > 0;
}

export const GENERIC_OBJECT_METHODS: MethodTable = {
  GetLayout: { params: [], out: ['qLayout'], run: (ctx) => objectLayout(docOf(ctx), objectOf(ctx)) },
  GetProperties: { params: [], out: ['qProp'], run: (ctx) => objectOf(ctx).properties },
  GetEffectiveProperties: { params: [], out: ['qProp'], run: (ctx) => objectOf(ctx).properties },
  GetInfo: { params: [], out: ['qInfo'], run: (ctx) => ({ qId: objectOf(ctx).id, qType: objectOf(ctx).type }) },
  SetProperties: {
    params: ['qProp'],
    out: 'void',
    run: (ctx, args) => {
      const current = objectOf(ctx);
      const next = readSessionObject(docOf(ctx), args.object(0), ctx.core.limits.maxPropertiesChars, current.id);
      if (ctx.entry.type === 'GenericObject') ctx.entry.object = next;
      ctx.change.add(ctx.handle);
    },
  },
  GetHyperCubeData: {
    params: ['qPath', 'qPages'],
    out: ['qDataPages'],
    run: (ctx, args) => {
      const def = pathTarget(ctx, args, '/qHyperCubeDef');
      if (def.kind !== 'hypercube') return [];
      return dataPagesJson(computeCube(docOf(ctx), def.cube, readPages(args.array(1, Number.MAX_SAFE_INTEGER), 'qPages')));
    },
  },
  GetListObjectData: {
    params: ['qPath', 'qPages'],
    out: ['qDataPages'],
    run: (ctx, args) => {
      const def = pathTarget(ctx, args, '/qListObjectDef');
      if (def.kind !== 'listobject') return [];
      return listDataPages(docOf(ctx), def.list, readPages(args.array(1, Number.MAX_SAFE_INTEGER), 'qPages')).pages;
    },
  },
  SelectHyperCubeValues: {
    params: ['qPath', 'qDimNo', 'qValues', 'qToggleMode'],
    out: ['qSuccess'],
    run: (ctx, args) => {
      const def = pathTarget(ctx, args, '/qHyperCubeDef');
      const dimNo = args.integer(1);
      const elements = elementNumbers(args, 2, 'qValues');
      const toggle = args.boolean(3, false);
      // The dimension as computed now (`$(vDim)` expanded), so the selection lands on the field shown.
      const dim = def.kind === 'hypercube' ? expandCube(docOf(ctx), def.cube).dimensions[dimNo] : undefined;
      if (dim === undefined) throw invalid('qDimNo', 'qDimNo is not a dimension of the hypercube');
      return selectInField(ctx, dim.field, elements, toggle);
    },
  },
  SelectListObjectValues: {
    params: ['qPath', 'qValues', 'qToggleMode', 'qSoftLock'],
    out: ['qSuccess'],
    run: (ctx, args) => {
      const def = pathTarget(ctx, args, '/qListObjectDef');
      const elements = elementNumbers(args, 1, 'qValues');
      const toggle = args.boolean(2, false);
      args.boolean(3, false);
      if (def.kind !== 'listobject') return false;
      return selectInField(ctx, def.list.field, elements, toggle);
    },
  },
};
