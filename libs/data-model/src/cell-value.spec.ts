import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { formatNumber, parseNumericText } from './cell-value';

describe('formatNumber', () => {
  it('prints integers exactly and hides float noise', () => {
    expect(formatNumber(600)).toBe('600');
    expect(formatNumber(0.1 + 0.2)).toBe('0.3');
    expect(formatNumber(-1234.5)).toBe('-1234.5');
    expect(formatNumber(Number.NaN)).toBe('-');
  });

  it('always reads back within 14 significant digits', () => {
    fc.assert(
      fc.property(fc.double({ noNaN: true, noDefaultInfinity: true, min: -1e15, max: 1e15 }), (n) => {
        const back = Number(formatNumber(n));
        expect(Math.abs(back - n)).toBeLessThanOrEqual(Math.abs(n) * 1e-13 + Number.MIN_VALUE);
      }),
    );
  });
});

describe('parseNumericText', () => {
  it('accepts plain decimals only', () => {
    expect(parseNumericText('007')).toBe(7);
    expect(parseNumericText('-1.5e3')).toBe(-1500);
    for (const t of ['', ' 1', '0x10', 'Infinity', '1e999', '1,5', 'abc']) expect(parseNumericText(t)).toBeNaN();
  });

  it('keeps long digit strings as text, so distinct big ids never merge into one number', () => {
    expect(parseNumericText('12345678901234567890')).toBeNaN();
    expect(parseNumericText('123456789012345')).toBe(123456789012345);
    expect(parseNumericText('1000000000000000000000')).toBe(1e21);
    expect(parseNumericText('0.000000000000000001')).toBe(1e-18);
  });
});
