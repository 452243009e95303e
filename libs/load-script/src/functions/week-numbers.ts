import { partsOf, serialOf } from '../format/date-serial';

export interface WeekRules {
  /** 0 = Monday … 6 = Sunday. */
  firstWeekDay: number;
  brokenWeeks: boolean;
  /** Unbroken weeks: week 1 is the week holding this day of January. */
  referenceDay: number;
}

function weekStart(day: number, firstWeekDay: number): number {
  return day - ((partsOf(day).weekday - firstWeekDay + 7) % 7);
}

/**
 * Week(): with broken weeks, week 1 starts on January 1 and each week on FirstWeekDay; with
 * unbroken weeks (the default, ISO 8601 with Monday and January 4th), week 1 is the week that
 * holds January `referenceDay`, and days before it belong to the previous year's last week.
 */
export function weekNumber(serial: number, rules: WeekRules): { week: number; year: number } {
  const day = Math.floor(serial);
  const { year } = partsOf(day);
  const start = weekStart(day, rules.firstWeekDay);
  if (rules.brokenWeeks) {
    const jan1 = serialOf(year, 1, 1);
    return { week: Math.floor((day - weekStart(jan1, rules.firstWeekDay)) / 7) + 1, year };
  }
  const ref = Math.min(Math.max(rules.referenceDay, 1), 7);
  const week1 = (y: number) => weekStart(serialOf(y, 1, ref), rules.firstWeekDay);
  if (start >= week1(year + 1)) return { week: 1, year: year + 1 };
  const base = start >= week1(year) ? year : year - 1;
  return { week: Math.round((start - week1(base)) / 7) + 1, year: base };
}
