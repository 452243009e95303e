import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { formatDate, parseDate } from './date-format';
import { DEFAULT_FORMATS } from './format-settings';

/** Oracle: JavaScript's own calendar (UTC), independent of date-serial.ts. */
const EPOCH = Date.UTC(1899, 11, 30);
const asDate = (serial: number) => new Date(EPOCH + Math.round(serial * 86_400_000));
const p2 = (n: number) => String(n).padStart(2, '0');

const serialArb = fc.tuple(fc.integer({ min: 1, max: 73_000 }), fc.integer({ min: 0, max: 86_399 })).map(([day, sec]) => day + sec / 86_400);

describe('formatDate', () => {
  it('agrees with the JavaScript calendar for every day and second', () => {
    fc.assert(fc.property(serialArb, (serial) => {
      const d = asDate(serial);
      const want = `${d.getUTCFullYear()}-${p2(d.getUTCMonth() + 1)}-${p2(d.getUTCDate())} ${p2(d.getUTCHours())}:${p2(d.getUTCMinutes())}:${p2(d.getUTCSeconds())}`;
      expect(formatDate(serial, 'YYYY-MM-DD hh:mm:ss', DEFAULT_FORMATS)).toBe(want);
    }), { numRuns: 500 });
  });

  it('12-hour clocks, names, short years and optional parts', () => {
    const s = 45306 + (18 * 3600 + 5 * 60 + 9) / 86_400; // 2024-01-15 18:05:09, a Monday
    expect(formatDate(s, 'M/D/YYYY h:mm:ss TT', DEFAULT_FORMATS)).toBe('1/15/2024 6:05:09 PM');
    expect(formatDate(s, 'WWWW, MMMM D, YY', DEFAULT_FORMATS)).toBe('Monday, January 15, 24');
    expect(formatDate(s, 'WWW DD-MMM-YYYY', DEFAULT_FORMATS)).toBe('Mon 15-Jan-2024');
    expect(formatDate(s, 'hh:mm[:ss]', DEFAULT_FORMATS)).toBe('18:05');
    expect(formatDate(45306, 'h tt', DEFAULT_FORMATS)).toBe('12 am');
  });
});

describe('parseDate', () => {
  const formats = ['YYYY-MM-DD hh:mm:ss', 'DD.MM.YYYY hh:mm:ss', 'M/D/YYYY h:mm:ss TT', 'YYYYMMDDhhmmss', 'D MMM YYYY hh:mm:ss', 'WWWW MMMM D YYYY hh:mm:ss'];
  it.each(formats)('reads back what formatDate wrote with %s', (format) => {
    fc.assert(fc.property(serialArb, (serial) => {
      const back = parseDate(formatDate(serial, format, DEFAULT_FORMATS), format, DEFAULT_FORMATS);
      expect(back).not.toBeNull();
      expect(Math.abs(back! - serial)).toBeLessThan(1e-9);
    }), { numRuns: 200 });
  });

  it('refuses impossible dates and text that does not fit', () => {
    for (const [text, format] of [['2023-02-29', 'YYYY-MM-DD'], ['2024-13-01', 'YYYY-MM-DD'], ['24:00:00', 'hh:mm:ss'], ['13:00 PM', 'h:mm TT'], ['2024-01-15x', 'YYYY-MM-DD'], ['', 'YYYY']] as const) {
      expect(parseDate(text, format, DEFAULT_FORMATS), `${text} as ${format}`).toBeNull();
    }
  });

  it('a time without a date is a fraction of a day; optional parts may be missing', () => {
    expect(parseDate('06:00', 'hh:mm', DEFAULT_FORMATS)).toBe(0.25);
    expect(parseDate('2024-01-15 12:00', 'YYYY-MM-DD hh:mm[:ss]', DEFAULT_FORMATS)).toBe(45306.5);
    expect(parseDate('2024-01-15 12:00:36', 'YYYY-MM-DD hh:mm[:ss]', DEFAULT_FORMATS)).toBeCloseTo(45306.5 + 36 / 86_400, 12);
    expect(parseDate('1/5/24', 'M/D/YY', DEFAULT_FORMATS)).toBe(45296);
  });
});
