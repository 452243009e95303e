import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Bitset } from './bitset';

const sets = fc.integer({ min: 0, max: 200 }).chain((size) =>
  fc.tuple(fc.constant(size), fc.subarray([...Array(size).keys()]), fc.subarray([...Array(size).keys()])),
);

describe('Bitset agrees with a Set<number>', () => {
  it('membership, count, iteration, nth, and the set algebra', () => {
    fc.assert(
      fc.property(sets, ([size, a, b]) => {
        const x = Bitset.of(size, a);
        const y = Bitset.of(size, b);
        const sa = new Set(a);
        const sb = new Set(b);
        expect(x.count()).toBe(sa.size);
        expect(x.toArray()).toEqual([...sa].sort((p, q) => p - q));
        for (let i = -1; i <= size; i++) expect(x.has(i)).toBe(sa.has(i));
        const sorted = [...sa].sort((p, q) => p - q);
        for (let n = 0; n <= sorted.length; n++) expect(x.nth(n)).toBe(sorted[n] ?? -1);
        expect(x.clone().intersect(y).toArray()).toEqual(sorted.filter((i) => sb.has(i)));
        expect(x.clone().union(y).toArray()).toEqual([...new Set([...a, ...b])].sort((p, q) => p - q));
        expect(x.clone().xor(y).toArray()).toEqual([...new Set([...a, ...b])].filter((i) => sa.has(i) !== sb.has(i)).sort((p, q) => p - q));
        expect(x.isEmpty()).toBe(sa.size === 0);
        expect(Bitset.full(size).count()).toBe(size);
        expect(x.equals(Bitset.of(size, [...a].reverse()))).toBe(true);
      }),
    );
  });
});
