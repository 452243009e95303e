import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { formatNumberAs, parseNumberAs } from './number-format';

/** Oracle: Intl.NumberFormat, an implementation of the same grouping and rounding rules. */
const intl = (digits: number) => new Intl.NumberFormat('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits, roundingMode: 'halfExpand' } as Intl.NumberFormatOptions);
const money = fc.integer({ min: -10_000_000_00, max: 10_000_000_00 }).map((cents) => cents / 100);

describe('formatNumberAs', () => {
  it('#,##0.00 agrees with Intl.NumberFormat (en-US)', () => {
    const f = intl(2);
    fc.assert(fc.property(money, (n) => {
      expect(formatNumberAs(n, '#,##0.00', '.', ',')).toBe(f.format(n).replace('-0.00', '0.00'));
    }), { numRuns: 500 });
  });

  it('separators come from the caller; the format only places them', () => {
    expect(formatNumberAs(1234567.891, '# ##0,00', ',', ' ')).toBe('1 234 567,89');
    expect(formatNumberAs(1234567.891, '#.##0,0', ',', '.')).toBe('1.234.567,9');
    expect(formatNumberAs(123, '0000', '.', ',')).toBe('0123');
    expect(formatNumberAs(0.256, '0.0%', '.', ',')).toBe('25.6%');
    expect(formatNumberAs(-5, '$#,##0.00;($#,##0.00)', '.', ',')).toBe('($5.00)');
    expect(formatNumberAs(-5, '$#,##0.00', '.', ',')).toBe('-$5.00');
    expect(formatNumberAs(2.5, '#,##0.##', '.', ',')).toBe('2.5');
    expect(formatNumberAs(3.14159, null, ',', '.')).toBe('3,14159');
  });
});

describe('parseNumberAs', () => {
  it('reads back what formatNumberAs wrote', () => {
    fc.assert(fc.property(money, (n) => {
      for (const [format, dec, thou] of [['#,##0.00', '.', ','], ['# ##0,00', ',', ' '], ['$#,##0.00;-$#,##0.00', '.', ',']] as const) {
        expect(parseNumberAs(formatNumberAs(n, format, dec, thou), format, dec, thou)).toBeCloseTo(n, 9);
      }
    }), { numRuns: 300 });
  });

  it('refuses what is not a number under the separators', () => {
    expect(parseNumberAs('12.5', null, ',', '.')).toBeNull();
    expect(parseNumberAs('abc', '#,##0', '.', ',')).toBeNull();
    expect(parseNumberAs('', null, '.', ',')).toBeNull();
    expect(parseNumberAs('50%', null, '.', ',')).toBe(0.5);
  });
});
