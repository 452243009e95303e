import type { AssociativeState } from './associative-state';
import { cellAt, deadlineFromNow, evaluateMeasure } from './chart/chart-eval';
import { parseChartExpression } from './chart/chart-parser';
import { arithmeticOnly, type ScalarCompiler } from './chart/chart-scalar';
import { DataModelError, DataModelErrorCode } from './data-model.error';
import type { DataModel } from './model-types';
import { cellValue, type FieldValue } from './qix-cell';
import { TupleInterner } from './tuple-interner';
import { assertViewOf, type View } from './view';

/**
 * QIX Evaluate / EvaluateEx: the expression over every possible row of the state (a hypercube
 * without dimensions). Syntax errors are INVALID_EXPRESSION, unknown or omitted fields NOT_FOUND;
 * neither message carries a data value.
 */
export function evaluate(model: DataModel, view: View, state: AssociativeState, expression: string, scalars: ScalarCompiler = arithmeticOnly): FieldValue {
  assertViewOf(model, view);
  if (state.view !== view) throw new DataModelError(DataModelErrorCode.INVALID_ARGUMENT, 'the state belongs to another view');
  const parsed = parseChartExpression(expression);
  const env = { model, view, base: state, dimFields: [], interner: new TupleInterner(0), rowTuples: [TupleInterner.EMPTY], scalars, deadline: deadlineFromNow() };
  return cellValue(cellAt(evaluateMeasure(env, parsed), 0));
}
