import type { AggregateFn } from './expression-ast';
import type { RowTuplePairs } from './row-tuples';
import type { SymbolTable } from './symbol-table';

/**
 * One aggregate per dimension combination, over (row, combination) pairs, reading values through
 * the symbol index (no per-row value objects). NaN stands for null. Empty groups follow QIX:
 * Sum and Count give 0, Avg/Min/Max give null. Non-numeric values are ignored by Sum/Avg/Min/Max
 * and counted by Count; nulls are never counted. DISTINCT keeps one occurrence of each value per
 * combination.
 */
export function aggregate(
  fn: AggregateFn,
  distinct: boolean,
  column: Int32Array,
  symbols: SymbolTable,
  pairs: RowTuplePairs,
  tupleCount: number,
): Float64Array {
  const nums = symbols.nums;
  const acc = new Float64Array(tupleCount);
  const cnt = new Float64Array(tupleCount);
  if (fn === 'min') acc.fill(Number.POSITIVE_INFINITY);
  if (fn === 'max') acc.fill(Number.NEGATIVE_INFINITY);
  const seen = distinct ? new Set<number>() : null;
  const { rows, tuples, length } = pairs;
  const width = symbols.size;
  for (let i = 0; i < length; i++) {
    const s = column[rows[i]!]!;
    if (s < 0) continue;
    const g = tuples[i]!;
    if (seen !== null) {
      const key = g * width + s;
      if (seen.has(key)) continue;
      seen.add(key);
    }
    if (fn === 'count') {
      cnt[g]!++;
      continue;
    }
    const v = nums[s]!;
    if (v !== v) continue; // NaN: not numeric
    cnt[g]!++;
    if (fn === 'sum' || fn === 'avg') acc[g]! += v;
    else if (fn === 'min') {
      if (v < acc[g]!) acc[g] = v;
    } else if (v > acc[g]!) acc[g] = v;
  }
  switch (fn) {
    case 'count':
      return cnt;
    case 'sum':
      return acc;
    case 'avg':
      for (let g = 0; g < tupleCount; g++) acc[g] = cnt[g] === 0 ? Number.NaN : acc[g]! / cnt[g]!;
      return acc;
    case 'min':
    case 'max':
      for (let g = 0; g < tupleCount; g++) if (cnt[g] === 0) acc[g] = Number.NaN;
      return acc;
  }
}
