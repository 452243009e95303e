import { daysInMonth, MS_PER_DAY, partsOf, serialOf } from './date-serial';
import type { FormatSettings } from './format-settings';

/**
 * Qlik's date/time format codes ("Conventions for number and time formats"): YYYY YY, M MM MMM
 * MMMM, D DD, WWW WWWW, h hh, m mm, s ss, f… (fractions), TT tt (AM/PM), `[…]` optional parts.
 * Y, D and W are case-insensitive; upper-case M is the month and lower-case m the minute.
 * Anything else is literal text.
 */
type Part =
  | { kind: 'year'; width: 2 | 4 }
  | { kind: 'month'; width: 1 | 2 | 3 | 4 }
  | { kind: 'day'; width: 1 | 2 }
  | { kind: 'weekday'; long: boolean }
  | { kind: 'hour' | 'minute' | 'second'; width: 1 | 2 }
  | { kind: 'fraction'; digits: number }
  | { kind: 'ampm'; upper: boolean }
  | { kind: 'literal'; text: string }
  | { kind: 'optional'; parts: Part[] };

const cache = new Map<string, Part[]>();

function compile(format: string): Part[] {
  let parts = cache.get(format);
  if (!parts) {
    parts = parseFormat(format, { i: 0 }, false);
    if (cache.size > 256) cache.clear();
    cache.set(format, parts);
  }
  return parts;
}

function run(format: string, at: number, ch: string): number {
  let j = at;
  while (format[j] === ch) j++;
  return j - at;
}

function parseFormat(format: string, cursor: { i: number }, nested: boolean): Part[] {
  const parts: Part[] = [];
  const literal = (text: string) => {
    const last = parts[parts.length - 1];
    if (last?.kind === 'literal') last.text += text;
    else parts.push({ kind: 'literal', text });
  };
  while (cursor.i < format.length) {
    const ch = format[cursor.i]!;
    if (ch === ']' && nested) {
      cursor.i++;
      return parts;
    }
    if (ch === '[') {
      cursor.i++;
      parts.push({ kind: 'optional', parts: parseFormat(format, cursor, true) });
      continue;
    }
    const n = run(format, cursor.i, ch);
    const lower = ch.toLowerCase();
    let part: Part | null = null;
    let used = n;
    if (lower === 'y') {
      part = { kind: 'year', width: n >= 3 ? 4 : 2 };
    } else if (ch === 'M') {
      used = Math.min(n, 4);
      part = { kind: 'month', width: used as 1 | 2 | 3 | 4 };
    } else if (lower === 'd') {
      used = Math.min(n, 2);
      part = { kind: 'day', width: used as 1 | 2 };
    } else if (lower === 'w') {
      part = { kind: 'weekday', long: n >= 4 };
    } else if (lower === 'h' || ch === 'm' || lower === 's') {
      used = Math.min(n, 2);
      part = { kind: lower === 'h' ? 'hour' : lower === 's' ? 'second' : 'minute', width: used as 1 | 2 };
    } else if (lower === 'f') {
      part = { kind: 'fraction', digits: Math.min(n, 9) };
    } else if (lower === 't' && n >= 2) {
      used = 2;
      part = { kind: 'ampm', upper: ch === 'T' };
    }
    if (part) {
      parts.push(part);
      cursor.i += used;
    } else {
      literal(ch);
      cursor.i++;
    }
  }
  return parts;
}

function hasAmPm(parts: readonly Part[]): boolean {
  return parts.some((p) => p.kind === 'ampm' || (p.kind === 'optional' && hasAmPm(p.parts)));
}

const pad = (n: number, width: number) => String(n).padStart(width, '0');

/** Text of a date/time serial in `format`. Optional `[…]` parts are left out, as Qlik shows them. */
export function formatDate(serial: number, format: string, s: FormatSettings): string {
  const parts = compile(format);
  const p = partsOf(serial);
  const twelve = hasAmPm(parts);
  let out = '';
  for (const part of parts) {
    switch (part.kind) {
      case 'year':
        out += part.width === 4 ? String(p.year) : pad(p.year % 100, 2);
        break;
      case 'month':
        out += part.width <= 2 ? pad(p.month, part.width) : (part.width === 3 ? s.monthNames : s.longMonthNames)[p.month - 1];
        break;
      case 'day':
        out += pad(p.day, part.width);
        break;
      case 'weekday':
        out += (part.long ? s.longDayNames : s.dayNames)[p.weekday];
        break;
      case 'hour':
        out += pad(twelve ? ((p.hour + 11) % 12) + 1 : p.hour, part.width);
        break;
      case 'minute':
        out += pad(p.minute, part.width);
        break;
      case 'second':
        out += pad(p.second, part.width);
        break;
      case 'fraction':
        out += pad(p.millisecond, 3).padEnd(part.digits, '0').slice(0, part.digits);
        break;
      case 'ampm':
        out += p.hour < 12 ? (part.upper ? 'AM' : 'am') : part.upper ? 'PM' : 'pm';
        break;
      case 'literal':
        out += part.text;
        break;
      case 'optional':
        break;
    }
  }
  return out;
}

interface Parsed {
  year?: number;
  month?: number;
  day?: number;
  hour?: number;
  minute?: number;
  second?: number;
  ms?: number;
  pm?: boolean;
}

const isNumeric = (p: Part | undefined) =>
  p !== undefined && (p.kind === 'year' || (p.kind === 'month' && p.width <= 2) || p.kind === 'day' || p.kind === 'hour' || p.kind === 'minute' || p.kind === 'second' || p.kind === 'fraction');

function matchName(text: string, at: number, lists: readonly (readonly string[])[]): { index: number; length: number } | null {
  let best: { index: number; length: number } | null = null;
  for (const list of lists) {
    list.forEach((name, index) => {
      if (name.length > 0 && text.slice(at, at + name.length).toLowerCase() === name.toLowerCase() && (!best || name.length > best.length)) {
        best = { index, length: name.length };
      }
    });
  }
  return best;
}

/** Reads `parts` from `text` at `at`; returns the end offset or -1. Fills `out`. */
function read(parts: readonly Part[], text: string, at: number, out: Parsed, s: FormatSettings): number {
  let i = at;
  for (let k = 0; k < parts.length; k++) {
    const part = parts[k]!;
    if (part.kind === 'optional') {
      const trial: Parsed = { ...out };
      const end = read(part.parts, text, i, trial, s);
      if (end >= 0) {
        Object.assign(out, trial);
        i = end;
      }
      continue;
    }
    if (part.kind === 'literal') {
      for (const ch of part.text) {
        if (ch === ' ') {
          if (!/\s/.test(text[i] ?? '')) return -1;
          while (/\s/.test(text[i] ?? '')) i++;
        } else if (text[i] === ch) {
          i++;
        } else {
          return -1;
        }
      }
      continue;
    }
    if (part.kind === 'ampm') {
      const word = text.slice(i, i + 2).toUpperCase();
      if (word !== 'AM' && word !== 'PM') return -1;
      out.pm = word === 'PM';
      i += 2;
      continue;
    }
    if ((part.kind === 'month' && part.width >= 3) || part.kind === 'weekday') {
      const lists = part.kind === 'month' ? [s.monthNames, s.longMonthNames] : [s.dayNames, s.longDayNames];
      const hit = matchName(text, i, lists);
      if (!hit) return -1;
      if (part.kind === 'month') out.month = hit.index + 1;
      i += hit.length;
      continue;
    }
    // Numbers: a fixed width when another number follows without a separator (YYYYMMDD),
    // otherwise as many digits as the part allows (M/D/YYYY reads 1/5/2024 and 12/25/2024).
    const adjacent = isNumeric(parts[k + 1]);
    const max = part.kind === 'year' ? part.width : part.kind === 'fraction' ? 9 : 2;
    const min = adjacent ? (part.kind === 'fraction' ? part.digits : max) : 1;
    let j = i;
    while (j - i < max && /[0-9]/.test(text[j] ?? '')) j++;
    if (j - i < min) return -1;
    const digits = text.slice(i, j);
    const n = Number(digits);
    switch (part.kind) {
      case 'year':
        out.year = digits.length <= 2 ? (n < 30 ? 2000 + n : 1900 + n) : n;
        break;
      case 'month':
        out.month = n;
        break;
      case 'day':
        out.day = n;
        break;
      case 'hour':
        out.hour = n;
        break;
      case 'minute':
        out.minute = n;
        break;
      case 'second':
        out.second = n;
        break;
      case 'fraction':
        out.ms = Math.round(Number(`0.${digits}`) * 1000);
        break;
    }
    i = j;
  }
  return i;
}

/**
 * Serial number of `text` read with `format`, or null when it does not match or names an
 * impossible date/time. A format without date parts yields a time of day (a fraction).
 */
export function parseDate(text: string, format: string, s: FormatSettings): number | null {
  const parts = compile(format);
  const out: Parsed = {};
  const trimmed = text.trim();
  const end = read(parts, trimmed, 0, out, s);
  if (end !== trimmed.length) return null;
  const hasDate = out.year !== undefined || out.month !== undefined || out.day !== undefined;
  const year = out.year ?? 1899;
  const month = out.month ?? (hasDate ? 1 : 12);
  const day = out.day ?? (hasDate ? 1 : 30);
  if (month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month)) return null;
  let hour = out.hour ?? 0;
  if (out.pm !== undefined) {
    if (hour < 1 || hour > 12) return null;
    hour = (hour % 12) + (out.pm ? 12 : 0);
  }
  const minute = out.minute ?? 0;
  const second = out.second ?? 0;
  if (hour > 23 || minute > 59 || second > 59) return null;
  const time = (((hour * 60 + minute) * 60 + second) * 1000 + (out.ms ?? 0)) / MS_PER_DAY;
  return (hasDate ? serialOf(year, month, day) : 0) + time;
}
