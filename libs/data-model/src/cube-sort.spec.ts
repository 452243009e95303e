import { describe, expect, it } from 'vitest';
import { sortRows } from './cube-sort';

/** Distinct ranks for n rows drawn from 0…span-1 (a one-dimension cube: one row per value). */
function distinctRanks(n: number, span: number, seed: number): Int32Array {
  let x = seed;
  const next = () => ((x = (x * 1103515245 + 12345) >>> 0) % span);
  const seen = new Set<number>();
  const out = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    let r = next();
    while (seen.has(r)) r = (r + 1) % span;
    seen.add(r);
    out[i] = r;
  }
  return out;
}

describe('sortRows, one dimension without sort keys (rows in rank order)', () => {
  // Both of its paths: few rows against many symbols (native sort of packed keys) and many rows
  // against few symbols (buckets). The expected order is a plain comparator sort of the row numbers.
  for (const [n, span] of [[2_000, 24_000], [50, 1_000_000], [900, 1_000], [1, 10], [0, 10]] as const) {
    it(`${n} rows over ${span} symbols`, () => {
      const ranks = distinctRanks(n, span, n + span);
      const expected = Array.from({ length: n }, (_, i) => i).sort((a, b) => ranks[a]! - ranks[b]!);
      expect(sortRows({ rowTuples: new Array<number>(n).fill(0), values: [] }, [ranks], [])).toEqual(expected);
    });
  }

  // Rows already in the field's order (ids loaded in order) are answered in one pass; one row out
  // of place anywhere must still send them through a sort.
  const ordered = (n: number, step: number) => Int32Array.from({ length: n }, (_, i) => 3 + i * step);
  const cases: [string, Int32Array][] = [
    ['already ascending', ordered(2_000, 7)],
    ['ascending but the last row', Int32Array.from([...ordered(1_999, 7), 5])],
    ['ascending but the first row', Int32Array.from([50_000, ...ordered(1_999, 7)])],
    ['descending', ordered(2_000, 7).reverse()],
    ['ascending over few symbols (buckets)', ordered(900, 1)],
    ['two rows swapped in the middle', (() => { const r = ordered(1_000, 3); [r[500], r[501]] = [r[501]!, r[500]!]; return r; })()],
  ];
  for (const [name, ranks] of cases) {
    it(name, () => {
      const expected = Array.from({ length: ranks.length }, (_, i) => i).sort((a, b) => ranks[a]! - ranks[b]!);
      expect(sortRows({ rowTuples: new Array<number>(ranks.length).fill(0), values: [] }, [ranks], [])).toEqual(expected);
    });
  }
});
