import { dualCell, formatNumber, parseNumericText, type Cell, type DualCell } from '@trustzone/data-model';

/**
 * Value rules of the loader, kept deliberately simple:
 * - an empty or blank text is a missing value (`null`);
 * - a text that is a plain decimal (`-12`, `3.50`, no exponent, no leading zeros, at most 15
 *   significant digits so it round-trips through a double) becomes a number; anything else
 *   (`007`, `1e3`, `12,5`, `12345678901234567890`) stays text so no information is lost;
 * - a dual (dates, formatted numbers) is a number for arithmetic and comparisons and its text
 *   for string functions and `&`;
 * - booleans are Qlik-style: true is -1, false is 0.
 */
const MAX_SIGNIFICANT_DIGITS = 15;

export const TRUE = -1;
export const FALSE = 0;

const ZERO = 48;
const NINE = 57;

/**
 * Significant digits of a plain decimal (`-?(0|[1-9]\d*)(\.\d+)?`), or -1 when `text` is not one.
 * A hand-written scan rather than a regex and string surgery: it runs once per loaded cell.
 */
function plainDecimalDigits(text: string): number {
  const n = text.length;
  let i = text.charCodeAt(0) === 45 ? 1 : 0; // '-'
  if (i >= n) return -1;
  let significant = 0;
  let c = text.charCodeAt(i);
  if (c === ZERO) {
    i++;
  } else {
    if (c < ZERO || c > NINE) return -1;
    while (i < n && (c = text.charCodeAt(i)) >= ZERO && c <= NINE) {
      i++;
      significant++;
    }
  }
  if (i === n) return significant;
  if (text.charCodeAt(i) !== 46 || i === n - 1) return -1; // '.' followed by at least one digit
  for (i++; i < n; i++) {
    c = text.charCodeAt(i);
    if (c < ZERO || c > NINE) return -1;
    if (significant > 0 || c !== ZERO) significant++;
  }
  return significant;
}

/** Turns a raw text cell (from inline, CSV, JSON string or an expression) into a Cell. */
export function textToCell(text: string | null): Cell {
  if (text === null || text.length === 0) return null;
  const digits = plainDecimalDigits(text);
  if (digits >= 0 && digits <= MAX_SIGNIFICANT_DIGITS) return Number(text) + 0; // + 0 folds -0 into 0
  if (digits < 0 && (text.charCodeAt(0) <= 32 || text.charCodeAt(text.length - 1) <= 32) && text.trim() === '') return null;
  return text;
}

export function isDual(value: Cell): value is DualCell {
  return typeof value === 'object' && value !== null;
}

/** Normalises an expression result before it is stored in a table. */
export function toStoredCell(value: Cell): Cell {
  if (typeof value === 'number') return Number.isFinite(value) ? value + 0 : null;
  if (value === null) return null;
  if (typeof value === 'string') return textToCell(value);
  return Number.isFinite(value.num) ? value : textToCell(value.text);
}

const NUMERIC_TEXT = /^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$/;

/** Numeric interpretation for arithmetic and comparisons; `null` when the value is not a number. */
export function toNumber(value: Cell): number | null {
  if (typeof value === 'number') return Number.isFinite(value) ? value : null;
  if (value === null) return null;
  if (typeof value === 'object') return Number.isFinite(value.num) ? value.num : null;
  const t = value.trim();
  if (!NUMERIC_TEXT.test(t)) return null;
  const n = Number(t);
  return Number.isFinite(n) ? n : null;
}

/** Text interpretation; a missing value is the empty text (as `&` treats it in Qlik). */
export function toText(value: Cell): string {
  if (value === null) return '';
  if (typeof value === 'string') return value;
  if (typeof value === 'number') return formatNumber(value);
  return value.text;
}

/** Condition truth: a non-zero number (or numeric text) is true; other text and null are false. */
export function isTrue(value: Cell): boolean {
  const n = toNumber(value);
  return n !== null && n !== 0;
}

export function fromBoolean(b: boolean): number {
  return b ? TRUE : FALSE;
}

/** A number with the text Qlik shows for it; a non-finite number is a missing value. */
export function dual(num: number, text: string): Cell {
  return Number.isFinite(num) ? dualCell(num + 0, text) : null;
}

/**
 * Identity of a value for joins, keeps, mappings, Exists and DISTINCT — the same identity the data
 * model gives field values (data-model cell-value.ts): numbers (plain, dual, or a text such as
 * '007' that reads as one) by number, other text exactly. null never matches anything.
 */
export function cellKey(value: Cell): string | number | null {
  if (value === null) return null;
  if (typeof value === 'number') return value + 0;
  if (typeof value === 'object') return value.num + 0;
  const n = parseNumericText(value);
  return Number.isNaN(n) ? value : n + 0;
}
