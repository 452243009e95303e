import type { RowTuplePairs } from './row-tuples';
import type { SymbolTable } from './symbol-table';

/** The aggregations with a numeric fast path over symbol columns. */
export type AggregateFn = 'sum' | 'count' | 'avg' | 'min' | 'max';

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
  const { rows, tuples, length } = pairs;
  if (distinct) {
    const seen = new Set<number>();
    const width = symbols.size;
    for (let i = 0; i < length; i++) {
      const s = column[rows[i]!]!;
      if (s < 0) continue;
      const g = tuples[i]!;
      const key = g * width + s;
      if (seen.has(key)) continue;
      seen.add(key);
      accumulate(fn, acc, cnt, g, nums[s]!);
    }
  } else if (fn === 'count') {
    // Counts every non-null value, numeric or not.
    for (let i = 0; i < length; i++) if (column[rows[i]!]! >= 0) cnt[tuples[i]!]!++;
  } else if (fn === 'sum' || fn === 'avg') {
    // The hot loop of a group-by: two reads and an add per pair.
    for (let i = 0; i < length; i++) {
      const s = column[rows[i]!]!;
      if (s < 0) continue;
      const v = nums[s]!;
      if (v !== v) continue; // NaN: not numeric
      const g = tuples[i]!;
      acc[g]! += v;
      cnt[g]!++;
    }
  } else {
    for (let i = 0; i < length; i++) {
      const s = column[rows[i]!]!;
      if (s >= 0) accumulate(fn, acc, cnt, tuples[i]!, nums[s]!);
    }
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

function accumulate(fn: AggregateFn, acc: Float64Array, cnt: Float64Array, g: number, v: number): void {
  if (fn === 'count') {
    cnt[g]!++;
    return;
  }
  if (v !== v) return; // NaN: not numeric
  cnt[g]!++;
  if (fn === 'sum' || fn === 'avg') acc[g]! += v;
  else if (fn === 'min') {
    if (v < acc[g]!) acc[g] = v;
  } else if (v > acc[g]!) acc[g] = v;
}
