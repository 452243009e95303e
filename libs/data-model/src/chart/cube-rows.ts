import { Bitset } from '../bitset';
import type { DataModel } from '../model-types';
import { RowTupleIndex } from '../row-tuples';
import { TupleInterner } from '../tuple-interner';
import type { RowsState } from './rows-state';

/**
 * Rows of a cube: the dimension combinations that exist in the state. One dimension: its possible
 * values (a value with no fact row still shows, Sum 0, as in QIX). Several: the combinations the
 * first dimension's table reaches, plus those the measures' tables reach.
 */
export function cubeRows(model: DataModel, state: RowsState, dimFields: readonly number[], measureTables: readonly number[]): { interner: TupleInterner; rowTuples: number[] } {
  const interner = new TupleInterner(dimFields.length);
  const rowTuples: number[] = [];
  if (dimFields.length === 0) return { interner, rowTuples: [TupleInterner.EMPTY] };
  if (dimFields.length === 1) {
    const fid = dimFields[0]!;
    const size = model.fields[fid]!.symbols.size;
    const symbols = state.possibleSymbols(fid) ?? state.view.fieldSymbols(fid) ?? Bitset.full(size);
    interner.internSingles(0, symbols, rowTuples);
    return { interner, rowTuples };
  }
  const index = new RowTupleIndex(model, state, dimFields, interner);
  const tables = [model.fields[dimFields[0]!]!.tableIds[0]!, ...measureTables];
  const pairs = [...new Set(tables)].map((t) => index.pairs(t));
  const mark = new Uint8Array(interner.size);
  for (const p of pairs) {
    for (let i = 0; i < p.length; i++) {
      const g = p.tuples[i]!;
      if (mark[g] === 0) {
        mark[g] = 1;
        rowTuples.push(g);
      }
    }
  }
  return { interner, rowTuples };
}
