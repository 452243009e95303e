/**
 * Qlik's date numbers: days since 1899-12-30 (so 1 is 1899-12-31 and 45306 is 2024-01-15), the
 * time of day as the fraction. Calendar arithmetic goes through UTC so no time zone or DST can
 * shift a date; the clock (Today/Now) is converted to local time once, where it is read.
 */
const UNIX_EPOCH_SERIAL = 25569;
export const MS_PER_DAY = 86_400_000;

export interface DateParts {
  year: number;
  /** 1–12 */
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
  millisecond: number;
  /** 0 = Monday … 6 = Sunday (Qlik's numbering). */
  weekday: number;
}

/** Serial of a calendar day; month and day may overflow (month 13 is January next year). */
export function serialOf(year: number, month: number, day: number): number {
  return Date.UTC(year, month - 1, day) / MS_PER_DAY + UNIX_EPOCH_SERIAL;
}

/** Calendar parts of a serial, the time rounded to the millisecond. */
export function partsOf(serial: number): DateParts {
  const d = new Date(Math.round((serial - UNIX_EPOCH_SERIAL) * MS_PER_DAY));
  return {
    year: d.getUTCFullYear(),
    month: d.getUTCMonth() + 1,
    day: d.getUTCDate(),
    hour: d.getUTCHours(),
    minute: d.getUTCMinutes(),
    second: d.getUTCSeconds(),
    millisecond: d.getUTCMilliseconds(),
    weekday: (d.getUTCDay() + 6) % 7,
  };
}

/** The serial of an instant on the local wall clock of this process (Qlik reads the server clock). */
export function serialOfInstant(epochMs: number): number {
  const d = new Date(epochMs);
  const localMs = Date.UTC(d.getFullYear(), d.getMonth(), d.getDate(), d.getHours(), d.getMinutes(), d.getSeconds(), d.getMilliseconds());
  return localMs / MS_PER_DAY + UNIX_EPOCH_SERIAL;
}

export function daysInMonth(year: number, month: number): number {
  return new Date(Date.UTC(year, month, 0)).getUTCDate();
}

/** Serial arithmetic leaves float noise (0.1 + 0.2); dates and times are exact to the millisecond. */
export function cleanSerial(serial: number): number {
  return Math.round(serial * MS_PER_DAY) / MS_PER_DAY;
}
