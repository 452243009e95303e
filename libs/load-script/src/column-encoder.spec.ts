import { describe, expect, it } from 'vitest';
import { ColumnEncoder, MISS } from './column-encoder';

/** Every key hashes to one of two values: lookups must tell keys apart by their characters alone. */
class CollidingEncoder extends ColumnEncoder {
  protected override mixWords(): number {
    return 1;
  }

  protected override hashChars(_s: string, _start: number, len: number): number {
    return len % 2;
  }
}

/**
 * The raw-text table must tell keys apart by their characters, not by their hash: here every key
 * gets one of two hashes on purpose, so each lookup walks past colliding keys of the same length
 * (packed short keys, keys kept as characters, and near misses of both).
 */
describe('ColumnEncoder raw-text table', () => {
  const keys = [
    'abcdefgh', 'abcdefgi', 'bbcdefgh', 'abcdefg', 'abcd', 'abce', 'a', 'b', '', 'abcdefghijkl', 'abcdefghijkm', 'abcdefghijk',
    '東京', '東亰', 'Ωmega', 'Ωmegb', 'ÿÿÿÿÿÿÿÿÿÿÿÿ', 'ÿÿÿÿÿÿÿÿÿÿÿ\u0100', 'a much longer key', 'a much longer kez', 'b much longer key',
    'x'.repeat(300), `${'x'.repeat(299)}y`,
  ];
  // The keys sit inside one text at offsets, as they do in a file.
  const text = keys.join('|');
  const at: number[] = [];
  keys.reduce((offset, k) => (at.push(offset), offset + k.length + 1), 0);

  it('finds each key it holds under its own symbol and no other, whatever the hash collisions', () => {
    const enc = new CollidingEncoder(10);
    const ids = new Map<number, number>();
    keys.forEach((k, i) => {
      expect(enc.lookup(text, at[i]!, k.length)).toBe(MISS);
      ids.set(i, enc.addRaw(text, at[i]!, k.length, `cell ${i}`, i));
      // Every key added so far is found; every key not yet added is not.
      keys.forEach((other, j) => expect(enc.lookup(text, at[j]!, other.length)).toBe(j <= i ? ids.get(j)! : MISS));
    });
    expect(new Set(ids.values()).size).toBe(keys.length);
    const symbols = enc.finish(0).symbols;
    ids.forEach((id, i) => expect(symbols[id]).toBe(`cell ${i}`));
  });

  it('keeps finding keys while the table grows, colliding or spread by the real hashes', () => {
    for (const enc of [new CollidingEncoder(1), new ColumnEncoder(1)]) {
      const many = Array.from({ length: 3_000 }, (_, i) => (i % 2 === 0 ? `k${i}` : `long key number ${i}`));
      const big = many.join(',');
      const offsets: number[] = [];
      many.reduce((offset, k) => (offsets.push(offset), offset + k.length + 1), 0);
      const ids = many.map((k, i) => enc.addRaw(big, offsets[i]!, k.length, i, 0));
      many.forEach((k, i) => expect(enc.lookup(big, offsets[i]!, k.length)).toBe(ids[i]));
      expect(enc.lookup('k3001', 0, 5)).toBe(MISS);
      expect(enc.lookup('long key number 3001', 0, 20)).toBe(MISS);
    }
  });
});
