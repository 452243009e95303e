import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { NumberIndex } from './number-index';

describe('NumberIndex', () => {
  it('answers like a Map for any finite numbers, through many growths', () => {
    fc.assert(fc.property(fc.array(fc.oneof(fc.double({ noNaN: true, noDefaultInfinity: true }), fc.integer({ min: -50, max: 50 })), { maxLength: 3000 }), (numbers) => {
      const index = new NumberIndex();
      const map = new Map<number, number>();
      for (const raw of numbers) {
        const n = raw + 0;
        const expected = map.get(n) ?? -1;
        expect(index.get(n)).toBe(expected);
        if (expected < 0) {
          map.set(n, map.size);
          index.set(n, map.size - 1);
        }
      }
      for (const [n, v] of map) expect(index.get(n)).toBe(v);
    }), { numRuns: 100, seed: 3 });
  });
});
