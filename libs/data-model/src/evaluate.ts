import type { AssociativeState } from './associative-state';
import { formatNumber, NULL_TEXT } from './cell-value';
import { computeCube } from './cube-compute';
import { DataModelError, DataModelErrorCode } from './data-model.error';
import { parseExpression } from './expression-parser';
import type { DataModel } from './model-types';
import type { FieldValue } from './qix-cell';
import { assertViewOf, type View } from './view';

/**
 * QIX Evaluate / EvaluateEx: the expression over every possible row of the state (a hypercube
 * without dimensions). Syntax errors are INVALID_EXPRESSION, unknown or omitted fields NOT_FOUND;
 * neither message carries a data value.
 */
export function evaluate(model: DataModel, view: View, state: AssociativeState, expression: string): FieldValue {
  assertViewOf(model, view);
  if (state.view !== view) throw new DataModelError(DataModelErrorCode.INVALID_ARGUMENT, 'the state belongs to another view');
  const parsed = parseExpression(expression);
  const cube = computeCube(model, state, [], [parsed]);
  const v = cube.values[0]![0]!;
  if (Number.isNaN(v)) return { qText: NULL_TEXT, qIsNumeric: false, qNumber: 'NaN' };
  return { qText: formatNumber(v), qIsNumeric: true, qNumber: v };
}
