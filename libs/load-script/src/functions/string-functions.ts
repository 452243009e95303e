import { createHash } from 'node:crypto';
import type { Cell } from '@trustzone/data-model';
import { toNumber, toText } from '../cell-value';
import { type FunctionDef, scalar, special } from './function-types';

const isNull = (v: Cell | undefined): v is null | undefined => v === null || v === undefined;

/** One text argument; null in, null out. */
const text1 = (fn: (s: string) => Cell) => scalar(1, 1, (a) => (isNull(a[0]) ? null : fn(toText(a[0]))));

/** Integer count argument; `null` when it is missing, not numeric or negative. */
function count(value: Cell | undefined): number | null {
  const n = isNull(value) ? null : toNumber(value);
  return n === null || n < 0 ? null : Math.floor(n);
}

function mid(a: Cell[]): Cell {
  const start = count(a[1]);
  if (isNull(a[0]) || start === null || start < 1) return null;
  const s = toText(a[0]);
  if (a.length < 3) return s.slice(start - 1);
  const n = count(a[2]);
  return n === null ? null : s.slice(start - 1, start - 1 + n);
}

/** SubField(text, delimiter, n): n is 1-based, negative counts from the end; out of range is null. */
function subField(a: Cell[]): Cell {
  if (isNull(a[0]) || isNull(a[1])) return null;
  const parts = splitBy(toText(a[0]), toText(a[1]));
  const n = toNumber(a[2] ?? null);
  if (n === null || !Number.isInteger(n) || n === 0) return null;
  return parts[n > 0 ? n - 1 : parts.length + n] ?? null;
}

function splitBy(s: string, delimiter: string): string[] {
  return delimiter === '' ? [s] : s.split(delimiter);
}

/** Index(text, sub[, n]): 1-based position of the n-th occurrence (negative: from the end), 0 if none. */
function index(a: Cell[]): Cell {
  if (isNull(a[0]) || isNull(a[1])) return null;
  const s = toText(a[0]);
  const sub = toText(a[1]);
  const n = a.length > 2 ? toNumber(a[2] ?? null) : 1;
  if (n === null || !Number.isInteger(n) || n === 0 || sub === '') return 0;
  const hits: number[] = [];
  for (let at = s.indexOf(sub); at >= 0; at = s.indexOf(sub, at + 1)) hits.push(at + 1);
  return hits[n > 0 ? n - 1 : hits.length + n] ?? 0;
}

function textBetween(a: Cell[]): Cell {
  if (isNull(a[0]) || isNull(a[1]) || isNull(a[2])) return null;
  const s = toText(a[0]);
  const before = toText(a[1]);
  const after = toText(a[2]);
  const n = a.length > 3 ? toNumber(a[3] ?? null) : 1;
  if (n === null || !Number.isInteger(n) || n < 1) return null;
  let at = -before.length;
  for (let k = 0; k < n; k++) {
    at = s.indexOf(before, at + Math.max(before.length, 1));
    if (at < 0) return null;
  }
  const from = at + before.length;
  const to = s.indexOf(after, from);
  return to < 0 ? null : s.slice(from, to);
}

function capitalize(s: string): string {
  return s.toLowerCase().replace(/(^|[^\p{L}\p{N}'])(\p{L})/gu, (_m, pre: string, ch: string) => pre + ch.toUpperCase());
}

/**
 * Hash128/160/256: a hash of the arguments' texts as a string of 22/27/43 characters from the
 * 64 characters `!` … `` ` `` (6 bits each), the length and alphabet Qlik's results have. The
 * digest is a SHA-256 truncated to the width — Qlik does not document its algorithm, so the
 * strings differ from Qlik's (libs/load-script/README.md); within trustzone they are stable.
 */
function hash(bits: number) {
  return (a: Cell[]): Cell => {
    const h = createHash('sha256');
    for (const v of a) {
      const t = Buffer.from(toText(v ?? null), 'utf8');
      const len = Buffer.alloc(4);
      len.writeUInt32BE(t.length);
      h.update(len).update(t);
    }
    const digest = h.digest();
    let out = '';
    const chars = Math.ceil(bits / 6);
    for (let k = 0; k < chars; k++) {
      let v = 0;
      for (let b = 0; b < 6; b++) {
        const bit = k * 6 + b;
        v = (v << 1) | (bit < bits ? (digest[bit >> 3]! >> (7 - (bit & 7))) & 1 : 0);
      }
      out += String.fromCharCode(33 + v);
    }
    return out;
  };
}

const MAX_REPEAT_CHARS = 1_000_000;

export const STRING_FUNCTIONS: Record<string, FunctionDef> = {
  UPPER: text1((s) => s.toUpperCase()),
  LOWER: text1((s) => s.toLowerCase()),
  TRIM: text1((s) => s.trim()),
  LTRIM: text1((s) => s.trimStart()),
  RTRIM: text1((s) => s.trimEnd()),
  CAPITALIZE: text1(capitalize),
  LEN: scalar(1, 1, (a) => toText(a[0] ?? null).length),
  LEFT: scalar(2, 2, (a) => {
    const n = count(a[1]);
    return isNull(a[0]) || n === null ? null : toText(a[0]).slice(0, n);
  }),
  RIGHT: scalar(2, 2, (a) => {
    const n = count(a[1]);
    if (isNull(a[0]) || n === null) return null;
    return n === 0 ? '' : toText(a[0]).slice(-n);
  }),
  MID: scalar(2, 3, mid),
  INDEX: scalar(2, 3, index),
  REPLACE: scalar(3, 3, (a) => {
    if (isNull(a[0])) return null;
    const from = toText(a[1] ?? null);
    return from === '' ? toText(a[0]) : toText(a[0]).split(from).join(toText(a[2] ?? null));
  }),
  PURGECHAR: scalar(2, 2, (a) => {
    if (isNull(a[0])) return null;
    const drop = new Set(toText(a[1] ?? null));
    return [...toText(a[0])].filter((ch) => !drop.has(ch)).join('');
  }),
  KEEPCHAR: scalar(2, 2, (a) => {
    if (isNull(a[0])) return null;
    const keep = new Set(toText(a[1] ?? null));
    return [...toText(a[0])].filter((ch) => keep.has(ch)).join('');
  }),
  CHR: scalar(1, 1, (a) => {
    const n = toNumber(a[0] ?? null);
    return n === null || !Number.isInteger(n) || n < 0 || n > 0x10ffff ? null : String.fromCodePoint(n);
  }),
  ORD: scalar(1, 1, (a) => {
    const s = toText(a[0] ?? null);
    return s === '' ? null : (s.codePointAt(0) ?? null);
  }),
  REPEAT: scalar(1, 2, (a) => {
    const n = a.length > 1 ? count(a[1]) : 1;
    if (isNull(a[0]) || n === null) return null;
    const s = toText(a[0]);
    return s.length * n > MAX_REPEAT_CHARS ? null : s.repeat(n);
  }),
  TEXTBETWEEN: scalar(3, 4, textBetween),
  // With two arguments in a LOAD, SubField makes one record per piece (Qlik); the compiler
  // turns such calls into generators. With three it picks one piece.
  SUBFIELD: special(2, 3, (site) => {
    const text = site.arg(0);
    const delimiter = site.arg(1);
    if (site.node.args.length === 3) {
      const n = site.arg(2);
      const args: Cell[] = [null, null, null];
      return (c) => {
        args[0] = text(c);
        args[1] = delimiter(c);
        args[2] = n(c);
        return subField(args);
      };
    }
    if (!site.hasRow) return site.fail('SubField with two arguments makes one record per piece and needs a LOAD; give the piece number as third argument');
    const slot = site.generator((c) => {
      const s = text(c);
      return s === null ? 1 : splitBy(toText(s), toText(delimiter(c))).length;
    });
    return (c) => {
      const s = text(c);
      if (s === null) return null;
      return splitBy(toText(s), toText(delimiter(c)))[c.piece[slot] ?? 0] ?? null;
    };
  }),
  HASH128: scalar(1, 64, hash(128)),
  HASH160: scalar(1, 64, hash(160)),
  HASH256: scalar(1, 64, hash(256)),
};
