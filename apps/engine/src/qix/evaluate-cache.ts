import { evaluate, type DataModel, type FieldValue, type View } from '@trustzone/data-model';
import { CHART_SCALARS } from './chart-functions';
import { CUBE_CACHE, isVolatile, selectionKey } from './cube-cache';
import type { DocContext } from './doc-context';

/*
 * Values of expressions evaluated on a doc (Evaluate, EvaluateEx, `$(=…)`, `=` variables, a cube's
 * grand totals), kept per doc and selection state as its cubes are (cube-cache.ts): found only through the doc (one session's
 * view of the app, never shared), keyed by the selection state and the expression as expanded now (a
 * variable change is a different key); Rand(), Now() and Today() are never kept, and nothing is when
 * the cube cache is off (TZ_ENGINE_CUBE_CACHE_MB=0). A client that asks the same total after each
 * selection — the soak asks Sum(AMOUNT) — was a pass over the user's rows every time (~5 % of the
 * engine there).
 */
const PER_DOC = 32;
/** Longer expressions are evaluated every time: a key is kept per entry, and these are rare. */
const MAX_KEPT_EXPRESSION = 2_000;

interface Kept {
  model: DataModel;
  view: View;
  values: Map<string, FieldValue>;
}

const KEPT = new WeakMap<DocContext, Kept>();

export function evaluateOnDoc(doc: DocContext, expression: string): FieldValue {
  if (CUBE_CACHE.budget === 0 || expression.length > MAX_KEPT_EXPRESSION || isVolatile(expression)) return compute(doc, expression);
  let kept = KEPT.get(doc);
  // The doc's model and view are fixed for its lifetime; compared anyway, as the cube cache does.
  if (kept === undefined || kept.model !== doc.model || kept.view !== doc.view) {
    kept = { model: doc.model, view: doc.view, values: new Map() };
    KEPT.set(doc, kept);
  }
  const key = `${selectionKey(doc.selections)}\u0000${expression}`;
  const hit = kept.values.get(key);
  if (hit !== undefined) {
    kept.values.delete(key); // least recently used goes first
    kept.values.set(key, hit);
    return hit;
  }
  const value = compute(doc, expression);
  kept.values.set(key, value);
  if (kept.values.size > PER_DOC) kept.values.delete(kept.values.keys().next().value!);
  return value;
}

function compute(doc: DocContext, expression: string): FieldValue {
  return Object.freeze(evaluate(doc.model, doc.view, doc.state(), expression, CHART_SCALARS));
}
