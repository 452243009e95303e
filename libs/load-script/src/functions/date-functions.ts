import type { Cell } from '@trustzone/data-model';
import { dual, toNumber, toText } from '../cell-value';
import type { ScriptServices } from '../eval-context';
import { formatDate, parseDate } from '../format/date-format';
import { cleanSerial, daysInMonth, MS_PER_DAY, partsOf, serialOf, serialOfInstant } from '../format/date-serial';
import type { FormatSettings } from '../format/format-settings';
import { type FunctionDef, scalar } from './function-types';
import { weekNumber } from './week-numbers';

type FormatKind = 'dateFormat' | 'timeFormat' | 'timestampFormat';

const num = (v: Cell | undefined): number | null => (v === undefined ? null : toNumber(v));
const optText = (v: Cell | undefined): string | null => (v === undefined || v === null ? null : toText(v));
const int = (v: Cell | undefined, fallback: number): number | null => {
  if (v === undefined) return fallback;
  const n = toNumber(v);
  return n === null ? null : Math.trunc(n);
};

/** A date/time value: its number, shown in the format the call names or the variable's. */
function shown(serial: number, format: string | null, kind: FormatKind, f: FormatSettings): Cell {
  return dual(serial, formatDate(serial, format ?? f[kind], f));
}

/** Date(x[, fmt]), Time, Timestamp: format a number; the number is kept as it is (not floored). */
const formatter = (kind: FormatKind): FunctionDef =>
  scalar(1, 2, (a, s) => {
    const n = dateNumber(a[0], s.formats);
    return n === null ? null : shown(n, optText(a[1]), kind, s.formats);
  });

/**
 * Date#(text[, fmt]) etc.: interpret the text of a value (a number loaded as 20240115 is read as
 * the text "20240115", as Qlik reads a field value's text); the dual keeps that text.
 */
const interpreter = (kind: FormatKind): FunctionDef =>
  scalar(1, 2, (a, s) => {
    const v = a[0];
    if (v === null || v === undefined) return null;
    const text = toText(v);
    const serial = parseDate(text, optText(a[1]) ?? s.formats[kind], s.formats);
    return serial === null ? null : dual(cleanSerial(serial), text);
  });

/** Today()/Now(): mode 1 reads the clock at the call; 0 and 2 the reload's start. */
function clock(a: Cell[], s: ScriptServices, defaultMode: number): number {
  const mode = a.length > 0 ? num(a[0]) : defaultMode;
  return serialOfInstant(mode === 1 ? s.now() : s.reloadStart);
}

/**
 * The date number of a function argument: numbers and duals as they are; a text is read as Qlik's
 * "standard number interpretation" does — a plain number, else a date in DateFormat, a timestamp
 * in TimestampFormat, or ISO 8601 (YYYY-MM-DD[ hh:mm:ss]).
 */
export function dateNumber(v: Cell | undefined, f: FormatSettings): number | null {
  if (v === undefined || v === null) return null;
  const n = toNumber(v);
  if (n !== null || typeof v !== 'string') return n;
  for (const format of [f.dateFormat, f.timestampFormat, 'YYYY-MM-DD', 'YYYY-MM-DD hh:mm[:ss[.fff]]']) {
    const serial = parseDate(v, format, f);
    if (serial !== null) return cleanSerial(serial);
  }
  return null;
}

/** Functions of a date's calendar parts; null for a value that is not a date. */
const part = (fn: (serial: number, a: Cell[], s: ScriptServices) => Cell, max = 1): FunctionDef =>
  scalar(1, max, (a, s) => {
    const n = dateNumber(a[0], s.formats);
    return n === null ? null : fn(n, a, s);
  });

function monthStart(serial: number, shift: number): number {
  const p = partsOf(serial);
  return serialOf(p.year, p.month + shift, 1);
}

function yearStart(serial: number, shift: number, firstMonth: number): number {
  const p = partsOf(serial);
  const startYear = p.month >= firstMonth ? p.year : p.year - 1;
  return serialOf(startYear + shift, firstMonth, 1);
}

const LAST_MS = 1 / MS_PER_DAY;

/** AddMonths(date, n[, mode]): the same day n months on, clamped to the month's end (mode 1: end stays end). */
function addMonths(serial: number, n: number, endMode: boolean): number {
  const p = partsOf(serial);
  const time = serial - Math.floor(serial);
  const target = serialOf(p.year, p.month + n, 1);
  const t = partsOf(target);
  const last = daysInMonth(t.year, t.month);
  const wasLast = p.day === daysInMonth(p.year, p.month);
  const day = endMode && wasLast ? last : Math.min(p.day, last);
  return cleanSerial(serialOf(t.year, t.month, day) + time);
}

export const DATE_FUNCTIONS: Record<string, FunctionDef> = {
  DATE: formatter('dateFormat'),
  TIME: formatter('timeFormat'),
  TIMESTAMP: formatter('timestampFormat'),
  'DATE#': interpreter('dateFormat'),
  'TIME#': interpreter('timeFormat'),
  'TIMESTAMP#': interpreter('timestampFormat'),
  TODAY: scalar(0, 1, (a, s) => shown(Math.floor(clock(a, s, 2)), null, 'dateFormat', s.formats)),
  NOW: scalar(0, 1, (a, s) => shown(cleanSerial(clock(a, s, 1)), null, 'timestampFormat', s.formats)),
  YEAR: part((n) => partsOf(n).year),
  /** Month(): a dual of the month number and its MonthNames name. */
  MONTH: part((n, _a, s) => {
    const m = partsOf(n).month;
    return dual(m, s.formats.monthNames[m - 1]!);
  }),
  DAY: part((n) => partsOf(n).day),
  HOUR: part((n) => partsOf(n).hour),
  MINUTE: part((n) => partsOf(n).minute),
  SECOND: part((n) => partsOf(n).second),
  /** WeekDay(): a dual of 0–6 counted from FirstWeekDay and the DayNames name. */
  WEEKDAY: part((n, a, s) => {
    const first = int(a[1], s.formats.firstWeekDay);
    if (first === null || first < 0 || first > 6) return null;
    const wd = partsOf(n).weekday;
    return dual((wd - first + 7) % 7, s.formats.dayNames[wd]!);
  }, 2),
  /** Week(date[, first_week_day[, broken_weeks[, reference_day]]]), defaults from the variables. */
  WEEK: part((n, a, s) => {
    const f = s.formats;
    const first = int(a[1], f.firstWeekDay);
    const broken = int(a[2], f.brokenWeeks ? 1 : 0);
    const ref = int(a[3], f.referenceDay);
    if (first === null || broken === null || ref === null || first < 0 || first > 6) return null;
    return weekNumber(n, { firstWeekDay: first, brokenWeeks: broken !== 0, referenceDay: ref }).week;
  }, 4),
  MONTHSTART: part((n, a, s) => {
    const shift = int(a[1], 0);
    return shift === null ? null : shown(monthStart(n, shift), null, 'dateFormat', s.formats);
  }, 2),
  /** MonthEnd(): the last millisecond of the month, shown as a date. */
  MONTHEND: part((n, a, s) => {
    const shift = int(a[1], 0);
    return shift === null ? null : shown(monthStart(n, shift + 1) - LAST_MS, null, 'dateFormat', s.formats);
  }, 2),
  YEARSTART: part((n, a, s) => {
    const shift = int(a[1], 0);
    const first = int(a[2], 1);
    if (shift === null || first === null || first < 1 || first > 12) return null;
    return shown(yearStart(n, shift, first), null, 'dateFormat', s.formats);
  }, 3),
  YEAREND: part((n, a, s) => {
    const shift = int(a[1], 0);
    const first = int(a[2], 1);
    if (shift === null || first === null || first < 1 || first > 12) return null;
    return shown(yearStart(n, shift + 1, first) - LAST_MS, null, 'dateFormat', s.formats);
  }, 3),
  DAYSTART: part((n, _a, s) => shown(Math.floor(n), null, 'timestampFormat', s.formats)),
  DAYEND: part((n, _a, s) => shown(Math.floor(n) + 1 - LAST_MS, null, 'timestampFormat', s.formats)),
  ADDMONTHS: scalar(2, 3, (a, s) => {
    const n = dateNumber(a[0], s.formats);
    const k = num(a[1]);
    const mode = int(a[2], 0);
    if (n === null || k === null || mode === null) return null;
    return shown(addMonths(n, Math.trunc(k), mode === 1), null, 'dateFormat', s.formats);
  }),
  ADDYEARS: scalar(2, 2, (a, s) => {
    const n = dateNumber(a[0], s.formats);
    const k = num(a[1]);
    return n === null || k === null ? null : shown(addMonths(n, 12 * Math.trunc(k), false), null, 'dateFormat', s.formats);
  }),
  /** MakeDate(YYYY[, MM[, DD]]): null for a day that does not exist. */
  MAKEDATE: scalar(1, 3, (a, s) => {
    const y = int(a[0], 0);
    const m = int(a[1], 1);
    const d = int(a[2], 1);
    if (y === null || m === null || d === null || m < 1 || m > 12 || d < 1 || d > daysInMonth(y, m)) return null;
    return shown(serialOf(y, m, d), null, 'dateFormat', s.formats);
  }),
  MAKETIME: scalar(1, 4, (a, s) => {
    const h = num(a[0]);
    const m = a.length > 1 ? num(a[1]) : 0;
    const sec = a.length > 2 ? num(a[2]) : 0;
    if (h === null || m === null || sec === null || h < 0 || h > 23 || m < 0 || m > 59 || sec < 0 || sec >= 60) return null;
    return shown(cleanSerial((h * 3600 + m * 60 + sec) / 86400), null, 'timeFormat', s.formats);
  }),
};
