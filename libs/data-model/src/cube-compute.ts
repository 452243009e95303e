import { aggregate } from './aggregation';
import type { AssociativeState } from './associative-state';
import { type AggregateRef, evaluateExpr, type ParsedExpression } from './expression-ast';
import { resolveField } from './field-resolver';
import { visibleSymbols } from './field-queries';
import type { DataModel } from './model-types';
import { RowTupleIndex } from './row-tuples';
import { TupleInterner } from './tuple-interner';

export interface CubeComputation {
  interner: TupleInterner;
  /** Tuple id of each cube row (unsorted). */
  rowTuples: number[];
  /** values[m][i] = measure m on cube row i (NaN = null). */
  values: Float64Array[];
}

/**
 * Rows and measure values of a hypercube inside the state. Rows are the dimension combinations
 * that exist among possible rows (one dimension: its possible values, so a value with no fact
 * row shows Sum 0 as in QIX). Each aggregate runs over the table holding its field (the first in
 * load order for a key field), associated to the combinations through the join tree.
 */
export function computeCube(model: DataModel, state: AssociativeState, dimFields: readonly number[], measures: readonly ParsedExpression[]): CubeComputation {
  const view = state.view;
  const resolved = measures.map((m) => m.aggregates.map((a) => resolveAggregate(model, state, a)));
  const interner = new TupleInterner(dimFields.length);
  const index = new RowTupleIndex(model, state, dimFields, interner);
  const rowTuples: number[] = [];
  // Combinations from the dimensions alone (one dimension: its possible values).
  if (dimFields.length === 0) rowTuples.push(TupleInterner.EMPTY);
  else if (dimFields.length === 1) {
    const fid = dimFields[0]!;
    const size = model.fields[fid]!.symbols.size;
    (state.possibleSymbols(fid) ?? visibleSymbols(model, view, fid)).forEach((s) => rowTuples.push(interner.single(0, s, size)));
  } else {
    const p = index.pairs(model.fields[dimFields[0]!]!.tableIds[0]!);
    rowTuples.push(...distinctTuples(p.tuples, p.length, interner.size, []));
  }
  // All pairs first: they may add combinations, and aggregate arrays are sized once at the end.
  const pairsByTable = new Map<number, ReturnType<RowTupleIndex['pairs']>>();
  for (const list of resolved) {
    for (const a of list) {
      if (!pairsByTable.has(a.tableId)) pairsByTable.set(a.tableId, index.pairs(a.tableId));
    }
  }
  // With several dimensions, a measure table may reach combinations the first dimension's table
  // does not list; add them. (One dimension: measure rows only hold possible values, already in.)
  if (dimFields.length > 1) {
    for (const p of pairsByTable.values()) rowTuples.push(...distinctTuples(p.tuples, p.length, interner.size, rowTuples));
  }
  const tupleCount = interner.size;
  const aggValues = resolved.map((list) =>
    list.map((a) => aggregate(a.ref.fn, a.ref.distinct, a.column, model.fields[a.fieldId]!.symbols, pairsByTable.get(a.tableId)!, tupleCount)),
  );
  const values = measures.map((m, mi) => {
    const out = new Float64Array(rowTuples.length);
    const aggs = aggValues[mi]!;
    rowTuples.forEach((g, i) => {
      out[i] = evaluateExpr(m.root, (k) => aggs[k]![g]!);
    });
    return out;
  });
  return { interner, rowTuples, values };
}

interface ResolvedAggregate {
  ref: AggregateRef;
  fieldId: number;
  tableId: number;
  column: Int32Array;
}

function resolveAggregate(model: DataModel, state: AssociativeState, ref: AggregateRef): ResolvedAggregate {
  const fieldId = resolveField(model, state.view, ref.field);
  const tableId = model.fields[fieldId]!.tableIds[0]!;
  return { ref, fieldId, tableId, column: model.tables[tableId]!.columnByField.get(fieldId)! };
}

/** Tuple ids of `tuples[0..length)` not in `known`, each once (a mark array, not a hash set). */
function distinctTuples(tuples: Int32Array, length: number, size: number, known: readonly number[]): number[] {
  const mark = new Uint8Array(size);
  for (const g of known) mark[g] = 1;
  const out: number[] = [];
  for (let i = 0; i < length; i++) {
    const g = tuples[i]!;
    if (mark[g] === 0) {
      mark[g] = 1;
      out.push(g);
    }
  }
  return out;
}
