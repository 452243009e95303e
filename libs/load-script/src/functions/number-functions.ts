import type { Cell } from '@trustzone/data-model';
import { dual, isDual, toNumber, toText } from '../cell-value';
import { formatNumberAs, parseNumberAs } from '../format/number-format';
import { type FunctionDef, scalar } from './function-types';

const num = (v: Cell | undefined): number | null => (v === undefined ? null : toNumber(v));
const optText = (v: Cell | undefined): string | null => (v === undefined || v === null ? null : toText(v));

/** Drops float noise from step arithmetic (Round(3.88, 0.1) is 3.9, not 3.9000000000000004). */
const clean = (n: number): number => (Number.isFinite(n) ? Number(n.toPrecision(15)) + 0 : n);

/**
 * Round/Floor/Ceil(x[, step[, offset]]): to a multiple of `step` shifted by `offset`. Round takes
 * halves up (Round(2.5) = 3, Round(-2.5) = -2), as Qlik does.
 */
function stepped(mode: (q: number) => number) {
  return (a: Cell[]): Cell => {
    const x = num(a[0]);
    const step = a.length > 1 ? num(a[1]) : 1;
    const offset = a.length > 2 ? num(a[2]) : 0;
    if (x === null || step === null || offset === null) return null;
    if (step === 0) return x;
    const q = clean((x - offset) / step);
    return clean(mode(q) * step + offset);
  };
}

/** Mod(a, b): Qlik's integer modulo, non-negative; null unless both are integers and b > 0. */
function mod(a: Cell[]): Cell {
  const x = num(a[0]);
  const y = num(a[1]);
  if (x === null || y === null || !Number.isInteger(x) || !Number.isInteger(y) || y <= 0) return null;
  return (((x % y) + y) % y) + 0;
}

/** Div(a, b): the integer part of a / b, truncated towards zero. */
function div(a: Cell[]): Cell {
  const x = num(a[0]);
  const y = num(a[1]);
  if (x === null || y === null || y === 0) return null;
  return Math.trunc(x / y) + 0;
}

function numbers(a: Cell[]): number[] {
  const out: number[] = [];
  for (const v of a) {
    const n = toNumber(v);
    if (n !== null) out.push(n);
  }
  return out;
}

export const NUMBER_FUNCTIONS: Record<string, FunctionDef> = {
  /** Num(x[, format[, dec_sep[, thousands_sep]]]): a dual with x's number and its formatted text. */
  NUM: scalar(1, 4, (a, s) => {
    const n = num(a[0]);
    if (n === null) return null;
    const dec = optText(a[2]) ?? s.formats.decimalSep;
    const thou = optText(a[3]) ?? s.formats.thousandSep;
    const format = optText(a[1]);
    // Without a format the number keeps its plain text, with DecimalSep as the decimal separator.
    if (format === null && dec === '.') return n;
    return dual(n, formatNumberAs(n, format, dec, thou));
  }),
  /** Num#(text[, format[, dec_sep[, thousands_sep]]]): interprets text; the dual keeps the text. */
  'NUM#': scalar(1, 4, (a, s) => {
    if (a[0] === null || a[0] === undefined) return null;
    if (typeof a[0] === 'number' || isDual(a[0])) return a[0];
    const t = toText(a[0]);
    const n = parseNumberAs(t, optText(a[1]), optText(a[2]) ?? s.formats.decimalSep, optText(a[3]) ?? s.formats.thousandSep);
    return n === null ? null : dual(n, t);
  }),
  /** Money(x[, format[, dec_sep[, thousands_sep]]]): Num with MoneyFormat and the money separators. */
  MONEY: scalar(1, 4, (a, s) => {
    const n = num(a[0]);
    if (n === null) return null;
    const f = s.formats;
    return dual(n, formatNumberAs(n, optText(a[1]) ?? f.moneyFormat, optText(a[2]) ?? f.moneyDecimalSep, optText(a[3]) ?? f.moneyThousandSep));
  }),
  /** Dual(text, number): shows `text`, counts as `number`. */
  DUAL: scalar(2, 2, (a) => {
    const n = num(a[1]);
    return n === null ? (a[0] ?? null) : dual(n, toText(a[0] ?? null));
  }),
  ROUND: scalar(1, 3, stepped((q) => Math.floor(q + 0.5))),
  FLOOR: scalar(1, 3, stepped(Math.floor)),
  CEIL: scalar(1, 3, stepped(Math.ceil)),
  MOD: scalar(2, 2, mod),
  DIV: scalar(2, 2, div),
  FABS: scalar(1, 1, (a) => {
    const n = num(a[0]);
    return n === null ? null : Math.abs(n);
  }),
  FRAC: scalar(1, 1, (a) => {
    const n = num(a[0]);
    return n === null ? null : clean(n - Math.trunc(n));
  }),
  SIGN: scalar(1, 1, (a) => {
    const n = num(a[0]);
    return n === null ? null : Math.sign(n) + 0;
  }),
  SQRT: scalar(1, 1, (a) => {
    const n = num(a[0]);
    return n === null || n < 0 ? null : Math.sqrt(n);
  }),
  POW: scalar(2, 2, (a) => {
    const x = num(a[0]);
    const y = num(a[1]);
    if (x === null || y === null) return null;
    const r = x ** y;
    return Number.isFinite(r) ? r : null;
  }),
  EXP: scalar(1, 1, (a) => {
    const n = num(a[0]);
    const r = n === null ? NaN : Math.exp(n);
    return Number.isFinite(r) ? r : null;
  }),
  LOG: scalar(1, 1, (a) => {
    const n = num(a[0]);
    return n === null || n <= 0 ? null : Math.log(n);
  }),
  LOG10: scalar(1, 1, (a) => {
    const n = num(a[0]);
    return n === null || n <= 0 ? null : Math.log10(n);
  }),
  /** Rand(): uniform in [0, 1) from the reload's seeded generator. */
  RAND: scalar(0, 0, (_a, s) => s.random()),
  /** RangeSum: the sum of the numeric arguments (others count as 0). */
  RANGESUM: scalar(1, 256, (a) => numbers(a).reduce((x, y) => x + y, 0)),
  RANGEMAX: scalar(1, 256, (a) => {
    const n = numbers(a);
    return n.length === 0 ? null : Math.max(...n);
  }),
  RANGEMIN: scalar(1, 256, (a) => {
    const n = numbers(a);
    return n.length === 0 ? null : Math.min(...n);
  }),
  RANGEAVG: scalar(1, 256, (a) => {
    const n = numbers(a);
    return n.length === 0 ? null : n.reduce((x, y) => x + y, 0) / n.length;
  }),
  RANGECOUNT: scalar(1, 256, (a) => a.filter((v) => v !== null).length),
};
