import type { Cell } from '@trustzone/data-model';

/**
 * Qlik's number-interpretation variables (`SET DateFormat=…` etc.), read when a statement runs.
 * Defaults are those of the script header Qlik Sense writes for an en-US app, except the week
 * settings: with FirstWeekDay/BrokenWeeks/ReferenceDay unset, Qlik's functions use ISO 8601
 * weeks (Monday, unbroken, January 4th), and so do we.
 */
export interface FormatSettings {
  thousandSep: string;
  decimalSep: string;
  moneyThousandSep: string;
  moneyDecimalSep: string;
  moneyFormat: string;
  timeFormat: string;
  dateFormat: string;
  timestampFormat: string;
  /** Jan … Dec. */
  monthNames: readonly string[];
  longMonthNames: readonly string[];
  /** Mon … Sun (Qlik's order). */
  dayNames: readonly string[];
  longDayNames: readonly string[];
  /** 0 = Monday … 6 = Sunday. */
  firstWeekDay: number;
  brokenWeeks: boolean;
  /** Day of January that week 1 must contain (unbroken weeks). */
  referenceDay: number;
  /** 1 = January. */
  firstMonthOfYear: number;
}

export const DEFAULT_FORMATS: Readonly<FormatSettings> = Object.freeze({
  thousandSep: ',',
  decimalSep: '.',
  moneyThousandSep: ',',
  moneyDecimalSep: '.',
  moneyFormat: '$#,##0.00;-$#,##0.00',
  timeFormat: 'h:mm:ss TT',
  dateFormat: 'M/D/YYYY',
  timestampFormat: 'M/D/YYYY h:mm:ss[.fff] TT',
  monthNames: ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'],
  longMonthNames: ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'],
  dayNames: ['Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat', 'Sun'],
  longDayNames: ['Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday', 'Sunday'],
  firstWeekDay: 0,
  brokenWeeks: false,
  referenceDay: 4,
  firstMonthOfYear: 1,
});

type Lookup = (name: string) => Cell | undefined;

function text(lookup: Lookup, name: string, fallback: string): string {
  const v = lookup(name);
  if (v === undefined || v === null) return fallback;
  if (typeof v === 'string') return v;
  if (typeof v === 'number') return String(v);
  return v.text;
}

function names(lookup: Lookup, name: string, fallback: readonly string[]): readonly string[] {
  const list = text(lookup, name, '').split(';').map((s) => s.trim());
  return list.length === fallback.length && list.every((s) => s !== '') ? list : fallback;
}

function integer(lookup: Lookup, name: string, fallback: number, min: number, max: number): number {
  const n = Number(text(lookup, name, String(fallback)).trim());
  return Number.isInteger(n) && n >= min && n <= max ? n : fallback;
}

/** The settings the variables define; a malformed variable falls back to its default. */
export function readFormatSettings(lookup: Lookup): FormatSettings {
  const d = DEFAULT_FORMATS;
  return {
    thousandSep: text(lookup, 'ThousandSep', d.thousandSep),
    decimalSep: text(lookup, 'DecimalSep', d.decimalSep) || d.decimalSep,
    moneyThousandSep: text(lookup, 'MoneyThousandSep', d.moneyThousandSep),
    moneyDecimalSep: text(lookup, 'MoneyDecimalSep', d.moneyDecimalSep) || d.moneyDecimalSep,
    moneyFormat: text(lookup, 'MoneyFormat', d.moneyFormat),
    timeFormat: text(lookup, 'TimeFormat', d.timeFormat),
    dateFormat: text(lookup, 'DateFormat', d.dateFormat),
    timestampFormat: text(lookup, 'TimestampFormat', d.timestampFormat),
    monthNames: names(lookup, 'MonthNames', d.monthNames),
    longMonthNames: names(lookup, 'LongMonthNames', d.longMonthNames),
    dayNames: names(lookup, 'DayNames', d.dayNames),
    longDayNames: names(lookup, 'LongDayNames', d.longDayNames),
    firstWeekDay: integer(lookup, 'FirstWeekDay', d.firstWeekDay, 0, 6),
    brokenWeeks: integer(lookup, 'BrokenWeeks', 0, 0, 1) === 1,
    referenceDay: integer(lookup, 'ReferenceDay', d.referenceDay, 0, 7),
    firstMonthOfYear: integer(lookup, 'FirstMonthOfYear', d.firstMonthOfYear, 1, 12),
  };
}
