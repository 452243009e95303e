import { describe, expect, it } from 'vitest';
import { SymbolTable } from './symbol-table';
import { seededRandom } from './test-support/seeded-random';

/** find() by its definition, one symbol at a time (the pass the index replaces). */
function oracle(t: SymbolTable, texts: ReadonlySet<string>, numbers: ReadonlySet<number>): number[] {
  const out: number[] = [];
  for (let i = 0; i < t.size; i++) if (texts.has(t.text(i)) || (!Number.isNaN(t.num(i)) && numbers.has(t.num(i)))) out.push(i);
  return out;
}

const ALPHABET = ['a', 'B', '7', '-', ' ', 'é', '€', '😀', '\u0000'];

describe('SymbolTable.find with the symbol index (a few values in a large field)', () => {
  it('finds exactly what reading every symbol finds, on 200 random fields: duals, repeated texts, -0, empty and non-Latin texts', () => {
    const rnd = seededRandom(8122026);
    let lookedUp = 0;
    for (let f = 0; f < 200; f++) {
      const size = 1 + Math.floor(rnd() * 4000);
      const texts: string[] = [];
      const nums = new Float64Array(size);
      for (let s = 0; s < size; s++) {
        const kind = rnd();
        if (kind < 0.4) {
          const n = rnd() < 0.05 ? -0 : Math.floor(rnd() * 500) / (rnd() < 0.5 ? 1 : 4);
          nums[s] = n;
          texts.push(rnd() < 0.1 ? `${n} units` : String(n)); // sometimes a dual: another text, the same number
        } else {
          nums[s] = Number.NaN;
          const len = Math.floor(rnd() * 6);
          texts.push(Array.from({ length: len }, () => ALPHABET[Math.floor(rnd() * ALPHABET.length)]).join(''));
        }
      }
      const table = SymbolTable.fromValues(texts, nums);
      const asked = 1 + Math.floor(rnd() * (rnd() < 0.8 ? 4 : 800));
      const qTexts = new Set<string>();
      const qNums = new Set<number>();
      for (let k = 0; k < asked; k++) {
        const r = rnd();
        if (r < 0.4) qTexts.add(texts[Math.floor(rnd() * size)]!);
        else if (r < 0.6) qTexts.add(`missing ${k}`);
        else if (r < 0.9) qNums.add(Number.isNaN(nums[Math.floor(rnd() * size)]!) ? Math.floor(rnd() * 500) : nums[Math.floor(rnd() * size)]!);
        else qNums.add(rnd() < 0.5 ? 0 : Number.NaN);
      }
      if (table.size >= 256 && (qTexts.size + qNums.size) * 8 <= table.size) lookedUp++;
      expect(table.find(qTexts, qNums).toArray(), `field ${f}`).toEqual(oracle(table, qTexts, qNums));
      // Asked again (the index is built now): the same answer.
      expect(table.find(qTexts, qNums).toArray(), `field ${f}, again`).toEqual(oracle(table, qTexts, qNums));
    }
    expect(lookedUp).toBeGreaterThan(50); // the index path was really taken, not only the pass
  });

  it('one value of 100,000 is found without reading the field: 0 and -0 match each other, NaN matches nothing', () => {
    const size = 100_000;
    const texts = Array.from({ length: size }, (_, i) => `C${i}`);
    const nums = new Float64Array(size).fill(Number.NaN);
    nums[5] = -0;
    nums[6] = 0;
    const table = SymbolTable.fromValues(texts, nums);
    expect(table.find(new Set(['C99999']), new Set()).toArray()).toEqual([99_999]);
    expect(table.find(new Set(['C100000', 'c1']), new Set()).toArray()).toEqual([]);
    expect(table.find(new Set(), new Set([0])).toArray()).toEqual([5, 6]);
    expect(table.find(new Set(), new Set([-0, Number.NaN])).toArray()).toEqual([5, 6]);
  });
});
