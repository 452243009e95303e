import { expandDollars, type FieldValue } from '@trustzone/data-model';
import { evaluateOnDoc } from './evaluate-cache';
import type { DocContext } from './doc-context';
import type { CubeSpec } from './hypercube-def-reader';
import type { Variable } from './variable-book';

/*
 * `$(var)` and `$(=expr)` in what a client sends, expanded before parsing (as Qlik does). Every `=`
 * is evaluated by the session's evaluator: the user's view (section access reduction, OMIT) and
 * selections. `{1}` inside it is therefore "all this user may see", never the whole app.
 */
export function expand(doc: DocContext, text: string): string {
  return expandDollars(text, {
    variable: (name) => doc.variables.byNameOf(name)?.definition,
    evaluate: (expression) => evaluateOnDoc(doc, expression).qText,
  });
}

/** A client expression (maybe starting with `=`), expanded: what the evaluator gets. */
export function expandExpression(doc: DocContext, expression: string): string {
  return expand(doc, expression).trim().replace(/^=/, '');
}

/** The cube with its dimensions and measures expanded (at each computation: values depend on selections). */
export function expandCube(doc: DocContext, cube: CubeSpec): CubeSpec {
  if (!cube.dimensions.some((d) => d.field.includes('$(')) && !cube.measures.some((m) => m.expression.includes('$('))) return cube;
  return {
    ...cube,
    dimensions: cube.dimensions.map((d) => ({ ...d, field: expand(doc, d.field) })),
    measures: cube.measures.map((m) => ({ ...m, expression: expand(doc, m.expression) })),
  };
}

/** A variable's value: an `=` definition computed on the user's view, else its text (a number if it reads as one). */
export function variableValue(doc: DocContext, v: Variable): FieldValue {
  const def = v.definition.trimStart();
  if (def.startsWith('=')) return evaluateOnDoc(doc, expandExpression(doc, def));
  const n = def.trim() === '' ? Number.NaN : Number(def);
  return { qText: v.definition, qIsNumeric: !Number.isNaN(n), qNumber: Number.isNaN(n) ? 'NaN' : n };
}
