import { describe, expect, it } from 'vitest';
import { Bitset } from './bitset';
import { buildPostings, postingsOf } from './row-postings';
import { filterByPostings, filterRows, type RowConstraint, scanRows } from './row-scan';
import { seededRandom } from './test-support/seeded-random';

function column(rnd: () => number, rows: number, symbols: number, nulls: number): Int32Array {
  const c = new Int32Array(rows);
  for (let r = 0; r < rows; r++) c[r] = rnd() < nulls ? -1 : Math.floor(rnd() * symbols);
  return c;
}

function subset(rnd: () => number, size: number, share: number): Bitset {
  const b = new Bitset(size);
  for (let i = 0; i < size; i++) if (rnd() < share) b.add(i);
  return b;
}

/** The rows by the definition, one at a time: what both ways must give. */
function oracle(rowCount: number, base: Bitset | null, constraints: readonly RowConstraint[]): number[] {
  const out: number[] = [];
  for (let r = 0; r < rowCount; r++) {
    if (base !== null && !base.has(r)) continue;
    if (constraints.every((c) => c.column[r]! >= 0 && c.allowed.has(c.column[r]!))) out.push(r);
  }
  return out;
}

describe('row groups (row-postings.ts)', () => {
  it('list every row of each symbol once, in row order, and no null cell', () => {
    const c = Int32Array.from([2, -1, 0, 2, 2, -1, 1, 0]);
    const { offsets, rows } = buildPostings(c);
    const groups = [0, 1, 2].map((s) => [...rows.subarray(offsets[s]!, offsets[s + 1]!)]);
    expect(groups).toEqual([[2, 7], [6], [0, 3, 4]]);
    expect(rows.length).toBe(6);
  });

  it('are built on a column\'s second use only, then kept', () => {
    const c = Int32Array.from([0, 1, 0]);
    expect(postingsOf(c)).toBeNull();
    const built = postingsOf(c);
    expect(built).not.toBeNull();
    expect(postingsOf(c)).toBe(built);
  });
});

describe('filterRows: through row groups and by a scan, the same rows (section access rests on it)', () => {
  it('on 400 random tables, bases and constraints (nulls, symbols beyond the column, several constraints)', () => {
    const rnd = seededRandom(20261208);
    let indexed = 0;
    for (let t = 0; t < 400; t++) {
      const rowCount = 1 + Math.floor(rnd() * 3000);
      const ncons = 1 + Math.floor(rnd() * 3);
      const constraints: RowConstraint[] = [];
      for (let k = 0; k < ncons; k++) {
        const symbols = 1 + Math.floor(rnd() * (rnd() < 0.5 ? 12 : 2000));
        const col = column(rnd, rowCount, symbols, rnd() < 0.3 ? 0.2 : 0);
        // The allowed set may be larger than the column's symbols (a field's symbols, some unused).
        const allowed = subset(rnd, symbols + Math.floor(rnd() * 40), rnd() < 0.5 ? 0.02 : rnd());
        postingsOf(col); // first use: marks it
        constraints.push({ column: col, allowed });
      }
      const base = rnd() < 0.3 ? null : subset(rnd, rowCount, rnd());
      const want = oracle(rowCount, base, constraints);
      expect(scanRows(rowCount, base, constraints).toArray(), `table ${t}, scan`).toEqual(want);
      const viaGroups = filterByPostings(rowCount, base, constraints);
      if (viaGroups !== null) {
        indexed++;
        expect(viaGroups.toArray(), `table ${t}, row groups`).toEqual(want);
        expect(viaGroups.size).toBe(rowCount);
      }
      expect(filterRows(rowCount, base, constraints).toArray(), `table ${t}, filterRows`).toEqual(want);
    }
    // The comparison means something only if the groups were taken often enough.
    expect(indexed).toBeGreaterThan(100);
  });

  it('takes the groups for a selective constraint and scans for one that allows most rows', () => {
    const rows = 10_000;
    const col = new Int32Array(rows);
    for (let r = 0; r < rows; r++) col[r] = r % 100;
    postingsOf(col);
    postingsOf(col);
    const one = { column: col, allowed: Bitset.of(100, [7]) };
    expect(filterByPostings(rows, null, [one])?.count()).toBe(100);
    const most = { column: col, allowed: Bitset.of(100, Array.from({ length: 90 }, (_, i) => i)) };
    expect(filterByPostings(rows, null, [most])).toBeNull();
    expect(filterRows(rows, null, [most]).count()).toBe(9_000);
  });
});
