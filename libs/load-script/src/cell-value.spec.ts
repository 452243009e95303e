import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isTrue, textToCell, toNumber } from './cell-value';

describe('textToCell', () => {
  it('turns plain decimals into numbers that print back to the same value', () => {
    fc.assert(fc.property(fc.integer({ min: -(1e11 - 1), max: 1e11 - 1 }), fc.integer({ min: 0, max: 999 }), (whole, frac) => {
      const text = frac === 0 ? String(whole) : `${whole}.${String(frac).padStart(3, '0')}`;
      expect(textToCell(text)).toBe(Number(text) + 0);
    }));
  });

  it('keeps more than 15 significant digits as text (a double could not hold them exactly)', () => {
    fc.assert(fc.property(fc.bigInt({ min: 10n ** 15n, max: 10n ** 30n }), (n) => {
      expect(textToCell(n.toString())).toBe(n.toString());
    }));
  });

  it('keeps texts whose number form would lose information', () => {
    for (const t of ['007', '1e3', '12,5', '+5', '.5', '5.', '12345678901234567890', '0x10', 'Infinity', 'NaN', ' 1']) {
      expect(textToCell(t)).toBe(t);
    }
  });

  it('empty and blank are missing values', () => {
    expect([textToCell(''), textToCell('   '), textToCell(null)]).toEqual([null, null, null]);
  });
});

describe('toNumber / isTrue', () => {
  it('reads numeric text for arithmetic, refuses the rest', () => {
    expect([toNumber(' 1e3 '), toNumber('-2.5'), toNumber('abc'), toNumber(null), toNumber('')]).toEqual([1000, -2.5, null, null, null]);
  });

  it('truth is a non-zero number', () => {
    expect([isTrue(-1), isTrue(0), isTrue('2'), isTrue('yes'), isTrue(null)]).toEqual([true, false, true, false, false]);
  });
});
