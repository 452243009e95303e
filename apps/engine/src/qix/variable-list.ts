import { z } from 'zod';
import type { DocContext } from './doc-context';
import { invalid } from './method-args';

/** qVariableListDef (VariableListDef): which variables a session object lists. */
const DEF = z.looseObject({
  qType: z.string().max(256).optional(),
  qShowReserved: z.boolean().optional(),
  qShowConfig: z.boolean().optional(),
  qShowSession: z.boolean().optional(),
  // qData maps output names to property paths ("/qDefinition"), as Qlik's list definitions do.
  qData: z.record(z.string().max(256), z.string().max(1024)).refine((d) => Object.keys(d).length <= 64, 'at most 64 entries').optional(),
});

export type VariableListSpec = z.infer<typeof DEF>;

export function readVariableListDef(raw: unknown): VariableListSpec {
  const parsed = DEF.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw invalid(['qProp', 'qVariableListDef', ...issue.path].join('.'), issue.message);
  }
  return parsed.data;
}

/** A JSON-pointer-like path ("/a/b") into the properties; anything else is the literal text. */
export function pick(props: Record<string, unknown>, path: string): unknown {
  if (!path.startsWith('/')) return path;
  let at: unknown = props;
  for (const key of path.slice(1).split('/')) {
    if (typeof at !== 'object' || at === null || !Object.hasOwn(at, key)) return undefined;
    at = (at as Record<string, unknown>)[key];
  }
  return at;
}

/**
 * qVariableList of a layout. Definitions are listed as written (Qlik lists them so): an `=` in one is
 * not computed here; its value is the GenericVariable's layout, computed on the user's view.
 */
export function variableListLayout(doc: DocContext, def: VariableListSpec): Record<string, unknown> {
  const items = doc.variables
    .all()
    .filter((v) => def.qShowReserved === true || !v.reserved)
    .map((v) => ({
      qName: v.name,
      qDefinition: v.definition,
      qDescription: v.comment,
      qIsScriptCreated: v.scriptCreated,
      qIsConfig: false,
      qIsReserved: v.reserved,
      qInfo: { qId: v.id, qType: 'variable' },
      qMeta: {},
      qData: Object.fromEntries(Object.entries(def.qData ?? {}).map(([k, path]) => [k, pick(v.properties, path)])),
    }));
  return { qItems: items };
}
