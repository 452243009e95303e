import type { Cell } from '@trustzone/data-model';
import { toNumber, toText } from '../cell-value';
import { ScriptError, ScriptErrorCode } from '../load-script.error';
import type { RowSource } from '../load-source.reader';
import type { LoadStage } from './statement-ast';

/**
 * ORDER BY of a RESIDENT LOAD: the order in which the source records are read. Numbers (duals
 * by their number) sort before texts, texts by code point, missing values last; DESC reverses
 * the whole order. Stable, so equal keys keep their load order.
 */
export function orderPermutation(source: RowSource, keys: NonNullable<LoadStage['orderBy']>): Int32Array {
  const cols = keys.map((k) => {
    const i = source.fields.indexOf(k.name);
    if (i < 0) throw ScriptError.at(ScriptErrorCode.Data, k.pos, `ORDER BY field "${k.name}" is not in the RESIDENT table`);
    return { col: source.columns[i]!, sign: k.descending ? -1 : 1 };
  });
  const order = Int32Array.from({ length: source.rowCount }, (_, i) => i);
  const rank = (v: Cell): [number, number | string] => {
    if (v === null) return [2, 0];
    const n = toNumber(typeof v === 'string' ? null : v);
    return n !== null ? [0, n] : [1, toText(v)];
  };
  return order.sort((a, b) => {
    for (const { col, sign } of cols) {
      const [ka, va] = rank(col[a] ?? null);
      const [kb, vb] = rank(col[b] ?? null);
      if (ka !== kb) return (ka - kb) * sign;
      if (va < vb) return -sign;
      if (va > vb) return sign;
    }
    return a - b;
  });
}
