/**
 * Qlik's schemaFilterDescription: eight space-separated fields, of which the QMC writes
 *   "* * - <weekdays> <every N weeks> <days of month> * *"
 * (weekdays 0 = Sunday … 6, comma lists; "*" = any). trustzone reads exactly that form and refuses
 * anything else by name instead of guessing (docs/operations.md "Triggers").
 */
export interface ScheduleFilter {
  weekdays: ReadonlySet<number> | null;
  everyWeeks: number;
  monthDays: ReadonlySet<number> | null;
}

export type FilterParse = { ok: true; filter: ScheduleFilter } | { ok: false; message: string };

function list(field: string, min: number, max: number, what: string): ReadonlySet<number> | null | string {
  if (field === '*') return null;
  const values = field.split(',').map((v) => (/^\d{1,2}$/.test(v) ? Number(v) : NaN));
  if (values.some((v) => !Number.isInteger(v) || v < min || v > max)) return `${what} must be "*" or a comma list of ${min}-${max}`;
  return new Set(values);
}

export function parseScheduleFilter(text: string): FilterParse {
  const f = typeof text === 'string' ? text.trim().split(/\s+/) : [];
  if (f.length !== 8) return { ok: false, message: 'must have 8 space-separated fields ("* * - <weekdays> <weeks> <days of month> * *")' };
  if (f[0] !== '*' || f[1] !== '*' || f[2] !== '-' || f[6] !== '*' || f[7] !== '*') return { ok: false, message: 'only weekday, week-interval and day-of-month filters are supported (fields 1, 2, 3, 7 and 8 must be "* * -" and "* *")' };
  const weekdays = list(f[3] as string, 0, 6, 'weekdays');
  if (typeof weekdays === 'string') return { ok: false, message: weekdays };
  const monthDays = list(f[5] as string, 1, 31, 'days of month');
  if (typeof monthDays === 'string') return { ok: false, message: monthDays };
  const weeksField = f[4] as string;
  const everyWeeks = weeksField === '*' ? 1 : /^\d{1,2}$/.test(weeksField) ? Number(weeksField) : NaN;
  if (!Number.isInteger(everyWeeks) || everyWeeks < 1) return { ok: false, message: 'the week interval must be "*" or a number of weeks from 1' };
  return { ok: true, filter: { weekdays, everyWeeks, monthDays } };
}

const DAY = 86_400_000;
const WEEK = 7 * DAY;

/** Whether a naive wall-clock time passes every filter; weeks count from the week (Sunday-based) of `startLocal`. */
export function passes(filters: readonly ScheduleFilter[], local: number, startLocal: number): boolean {
  const date = new Date(local);
  const weekStart = (t: number) => Math.floor(t / DAY) * DAY - new Date(t).getUTCDay() * DAY;
  const weeks = Math.round((weekStart(local) - weekStart(startLocal)) / WEEK);
  return filters.every((f) =>
    (f.weekdays === null || f.weekdays.has(date.getUTCDay())) &&
    (f.monthDays === null || f.monthDays.has(date.getUTCDate())) &&
    (f.everyWeeks === 1 || (weeks >= 0 && weeks % f.everyWeeks === 0)));
}
