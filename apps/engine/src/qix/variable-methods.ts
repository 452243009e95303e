import { docOf } from './doc-methods';
import type { DocContext } from './doc-context';
import { variableValue } from './expansion';
import type { CallContext, MethodTable, SessionCore } from './method-table';
import type { ObjectRef } from './open-doc';
import { QixError, QixErrorCode } from './qix.error';
import type { VariablePort } from './qix-session.types';
import { readVariableProperties, VARIABLE_LIMITS, type Variable } from './variable-book';

/*
 * Variables over QIX (Doc.CreateVariableEx/GetVariableById/GetVariableByName/DestroyVariableById/
 * DestroyVariableByName and the GenericVariable handle). Reading needs only the open app; every
 * change goes through the port, which asks the repository's rules (Update on the app) and refuses
 * a user section access reduces, then writes the app file. Deliberate differences from Qlik: a
 * change is saved at once (no DoSave), and the script's variables are read-only here (a reload
 * sets them; changing one in a session only would be lost at the next open anyway).
 */

function port(ctx: CallContext): VariablePort {
  const p = ctx.core.deps.variables;
  if (p === undefined) throw new QixError(QixErrorCode.ACCESS_DENIED, 'Access denied', { reason: 'no variable store in this session' });
  return p;
}

/**
 * Before a call on the open doc: take the variables as the app file holds them now, so a change made
 * by another session (or another engine of the site) is what this call expands. The library answers
 * from its cache while the file is unchanged (one stat), with the same array: the book is kept.
 */
export async function syncVariables(core: SessionCore): Promise<void> {
  const doc = core.doc;
  const p = core.deps.variables;
  if (doc === null || p === undefined) return;
  const stored = await p.list(doc.app.appId);
  if (stored !== doc.storedVariables && core.doc === doc) doc.setStoredVariables(stored);
}

/** The doc, its variables already as the app file holds them (the dispatcher synced them). */
const refresh = async (ctx: CallContext): Promise<DocContext> => docOf(ctx);

const notFound = (parameter: string) => new QixError(QixErrorCode.NOT_FOUND, 'Variable not found', { parameter });

function handleFor(ctx: CallContext, doc: DocContext, v: Variable): ObjectRef {
  let handle = doc.variableHandles.get(v.id);
  if (handle === undefined || ctx.core.handles.get(handle) === undefined) {
    handle = ctx.core.handles.add({ type: 'GenericVariable', variableId: v.id });
    doc.variableHandles.set(v.id, handle);
  }
  return { qType: 'GenericVariable', qHandle: handle, qGenericId: v.id, qGenericType: 'variable' };
}

/** Persist `change` of the stored list (authorized by the port) and take the result as the doc's. */
async function write(ctx: CallContext, change: (current: Record<string, unknown>[]) => Record<string, unknown>[]): Promise<void> {
  const doc = docOf(ctx);
  doc.setStoredVariables(await port(ctx).update(doc.app.appId, change));
  // Whatever expands a variable may compute differently now.
  for (const h of ctx.core.handles.selectionDependents()) ctx.change.add(h);
}

const idOf = (raw: Record<string, unknown>) => (raw['qInfo'] as { qId?: unknown } | undefined)?.qId;
const nameOf = (raw: Record<string, unknown>) => raw['qName'];

async function destroy(ctx: CallContext, v: Variable | undefined): Promise<boolean> {
  if (v === undefined) return false;
  if (v.scriptCreated) throw new QixError(QixErrorCode.ACCESS_DENIED, 'Access denied', { reason: 'a variable the load script sets is read-only' });
  let removed = false;
  await write(ctx, (current) => current.filter((raw) => {
    const hit = idOf(raw) === v.id;
    removed ||= hit;
    return !hit;
  }));
  const doc = docOf(ctx);
  const handle = doc.variableHandles.get(v.id);
  if (handle !== undefined) {
    doc.variableHandles.delete(v.id);
    ctx.core.handles.delete(handle);
    ctx.close.push(handle);
  }
  return removed;
}

export const VARIABLE_DOC_METHODS: MethodTable = {
  CreateVariableEx: {
    params: ['qProp'],
    out: ['qInfo'],
    run: async (ctx, args) => {
      const doc = await refresh(ctx);
      const v = readVariableProperties(args.object(0), ctx.core.limits.maxPropertiesChars);
      await write(ctx, (current) => {
        if (current.length >= VARIABLE_LIMITS.perApp) throw new QixError(QixErrorCode.ABORTED, `at most ${VARIABLE_LIMITS.perApp} variables per app`);
        // Checked against the list being written (under the app's lock), and the script's names.
        if (current.some((raw) => idOf(raw) === v.id) || v.id.startsWith('script:')) throw new QixError(QixErrorCode.ALREADY_EXISTS, 'A variable with this qId already exists', { parameter: 'qProp.qInfo.qId' });
        if (current.some((raw) => nameOf(raw) === v.name) || doc.model.variables[v.name] !== undefined) throw new QixError(QixErrorCode.ALREADY_EXISTS, 'A variable with this name already exists', { parameter: 'qProp.qName' });
        return [...current, v.properties];
      });
      return { qId: v.id, qType: 'variable' };
    },
  },
  GetVariableById: {
    params: ['qId'],
    out: 'qReturn',
    run: async (ctx, args) => {
      const doc = await refresh(ctx);
      const v = doc.variables.byIdOf(args.string(0, 256));
      if (v === undefined) throw notFound('qId');
      return handleFor(ctx, doc, v);
    },
  },
  GetVariableByName: {
    params: ['qName'],
    out: 'qReturn',
    run: async (ctx, args) => {
      const doc = await refresh(ctx);
      const v = doc.variables.byNameOf(args.string(0, VARIABLE_LIMITS.nameChars));
      if (v === undefined) throw notFound('qName');
      return handleFor(ctx, doc, v);
    },
  },
  DestroyVariableById: {
    params: ['qId'],
    out: ['qSuccess'],
    run: async (ctx, args) => destroy(ctx, (await refresh(ctx)).variables.byIdOf(args.string(0, 256))),
  },
  DestroyVariableByName: {
    params: ['qName'],
    out: ['qSuccess'],
    run: async (ctx, args) => destroy(ctx, (await refresh(ctx)).variables.byNameOf(args.string(0, VARIABLE_LIMITS.nameChars))),
  },
};

/** The variable of a GenericVariable handle, as the doc knows it now (gone: the handle is stale). */
function variableOf(ctx: CallContext): Variable {
  if (ctx.entry.type !== 'GenericVariable') throw new QixError(QixErrorCode.INVALID_HANDLE, 'Invalid handle');
  const v = docOf(ctx).variables.byIdOf(ctx.entry.variableId);
  if (v === undefined) throw new QixError(QixErrorCode.NOT_FOUND, 'Variable not found', { parameter: 'handle' });
  return v;
}

/** Replace one persisted variable's properties (its id and name stay unique). */
async function replace(ctx: CallContext, v: Variable, next: Record<string, unknown>): Promise<void> {
  if (v.scriptCreated) throw new QixError(QixErrorCode.ACCESS_DENIED, 'Access denied', { reason: 'a variable the load script sets is read-only' });
  const checked = readVariableProperties(next, ctx.core.limits.maxPropertiesChars, v.id);
  const doc = docOf(ctx);
  await write(ctx, (current) => {
    if (!current.some((raw) => idOf(raw) === v.id)) throw notFound('handle');
    if (current.some((raw) => idOf(raw) !== v.id && nameOf(raw) === checked.name) || doc.model.variables[checked.name] !== undefined) {
      throw new QixError(QixErrorCode.ALREADY_EXISTS, 'A variable with this name already exists', { parameter: 'qProp.qName' });
    }
    return current.map((raw) => (idOf(raw) === v.id ? checked.properties : raw));
  });
  ctx.change.add(ctx.handle);
}

function layout(doc: DocContext, v: Variable): Record<string, unknown> {
  const value = variableValue(doc, v);
  return {
    qInfo: { qId: v.id, qType: 'variable' },
    qMeta: { privileges: v.scriptCreated ? ['read'] : ['read', 'update', 'delete'] },
    qText: value.qText,
    qNum: value.qNumber,
    qIsScriptCreated: v.scriptCreated,
  };
}

export const GENERIC_VARIABLE_METHODS: MethodTable = {
  GetLayout: {
    params: [],
    out: ['qLayout'],
    run: (ctx) => layout(docOf(ctx), variableOf(ctx)),
  },
  GetProperties: {
    params: [],
    out: ['qProp'],
    run: (ctx) => variableOf(ctx).properties,
  },
  GetInfo: {
    params: [],
    out: ['qInfo'],
    run: (ctx) => ({ qId: variableOf(ctx).id, qType: 'variable' }),
  },
  SetProperties: {
    params: ['qProp'],
    out: 'void',
    run: async (ctx, args) => {
      const v = variableOf(ctx);
      await replace(ctx, v, args.object(0));
    },
  },
  SetStringValue: {
    params: ['qVal'],
    out: 'void',
    run: async (ctx, args) => {
      const v = variableOf(ctx);
      await replace(ctx, v, { ...v.properties, qDefinition: args.string(0, VARIABLE_LIMITS.definitionChars) });
    },
  },
  SetNumValue: {
    params: ['qVal'],
    out: 'void',
    run: async (ctx, args) => {
      const v = variableOf(ctx);
      const n = args.number(0);
      await replace(ctx, v, { ...v.properties, qDefinition: String(n) });
    },
  },
  GetRawContent: {
    params: [],
    out: 'qReturn',
    run: (ctx) => variableOf(ctx).definition,
  },
};
