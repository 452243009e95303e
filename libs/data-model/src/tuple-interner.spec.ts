import { describe, expect, it } from 'vitest';
import { Bitset } from './bitset';
import { SPARE_SINGLES, SpareSingles, TupleInterner } from './tuple-interner';

const LARGE = SpareSingles.MIN_LENGTH * 3;

describe('TupleInterner.release (single caches reused by the next cube)', () => {
  it('gives back exactly zeroed caches, whatever singles, row sets and merges were interned', () => {
    const a = new TupleInterner(2);
    const rows: number[] = [];
    a.internSingles(0, Bitset.of(LARGE, [0, 31, 32, 4_095, LARGE - 1]), rows);
    const b = a.single(1, 7, LARGE);
    a.merge(rows[1]!, b);
    a.merge(rows[2]!, a.single(1, LARGE - 2, LARGE));
    expect(a.singleCache(0, LARGE).some((x) => x !== 0)).toBe(true);
    a.release();
    const given = [SPARE_SINGLES.take(LARGE), SPARE_SINGLES.take(LARGE)];
    expect(given.every((c) => c !== undefined && c.length === LARGE && c.every((x) => x === 0))).toBe(true);
    for (const c of given) SPARE_SINGLES.give(c!);
  });

  it('a cube after a released one starts from empty caches: ids from 1, nothing of the last cube', () => {
    const first = new TupleInterner(1);
    const ids: number[] = [];
    first.internSingles(0, Bitset.of(LARGE, [10, 20, 30]), ids);
    expect(ids).toEqual([1, 2, 3]);
    first.release();
    const next = new TupleInterner(1);
    expect(next.single(0, 30, LARGE)).toBe(1);
    const more: number[] = [];
    next.internSingles(0, Bitset.of(LARGE, [10, 30]), more);
    expect(more).toEqual([2, 1]);
    expect([next.symbol(1, 0), next.symbol(2, 0)]).toEqual([30, 10]);
  });

  it('keeps at most two spare caches per length', () => {
    const length = SpareSingles.MIN_LENGTH + 5;
    for (let i = 0; i < 3; i++) SPARE_SINGLES.give(new Int32Array(length));
    expect([SPARE_SINGLES.take(length), SPARE_SINGLES.take(length), SPARE_SINGLES.take(length)].map((c) => c !== undefined)).toEqual([true, true, false]);
  });
});
