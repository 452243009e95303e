import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { weekNumber } from './week-numbers';

const EPOCH = Date.UTC(1899, 11, 30);
const utc = (serial: number) => new Date(EPOCH + serial * 86_400_000);

/** Oracle: the ISO 8601 rule as usually written (the Thursday of the week decides the year). */
function isoWeek(serial: number): { week: number; year: number } {
  const d = utc(serial);
  const day = (d.getUTCDay() + 6) % 7;
  const thursday = new Date(d.getTime() + (3 - day) * 86_400_000);
  const jan1 = Date.UTC(thursday.getUTCFullYear(), 0, 1);
  return { week: 1 + Math.floor((thursday.getTime() - jan1) / (7 * 86_400_000)), year: thursday.getUTCFullYear() };
}

/** Oracle: US weeks (Sunday, broken) — week 1 holds January 1, a new week starts each Sunday. */
function usWeek(serial: number): number {
  const d = utc(serial);
  const jan1 = new Date(Date.UTC(d.getUTCFullYear(), 0, 1));
  const dayOfYear = Math.round((d.getTime() - jan1.getTime()) / 86_400_000);
  return Math.floor((dayOfYear + jan1.getUTCDay()) / 7) + 1;
}

const day = fc.integer({ min: 2, max: 73_000 });

describe('weekNumber', () => {
  it('defaults (Monday, unbroken, January 4th) are ISO 8601 weeks', () => {
    fc.assert(fc.property(day, (s) => {
      expect(weekNumber(s, { firstWeekDay: 0, brokenWeeks: false, referenceDay: 4 })).toEqual(isoWeek(s));
    }), { numRuns: 2000 });
  });

  it('Sunday with broken weeks gives US week numbers', () => {
    fc.assert(fc.property(day, (s) => {
      expect(weekNumber(s, { firstWeekDay: 6, brokenWeeks: true, referenceDay: 0 }).week).toBe(usWeek(s));
    }), { numRuns: 2000 });
  });
});
