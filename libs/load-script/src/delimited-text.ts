import type { Cell } from '@trustzone/data-model';
import { textToCell } from './cell-value';
import { SPACES_DELIMITER, type Quoting } from './file-format';

export interface DelimitedOptions {
  /** One character, or `spaces` (any run of blanks and control characters separates). */
  delimiter: string;
  /** standard: `"…"` on one line; msq: a quoted value may span lines; none: quotes are plain text. */
  quoting: Quoting;
  /** `none`: no header record, fields are named `@1`, `@2`, … (Qlik's names for unlabelled columns). */
  labels?: 'embedded' | 'none';
  /** Lines that start with this are skipped (`comment is '//'`). */
  comment?: string | null;
  /** Rows beyond this are refused while reading, before they are all in memory. */
  maxRows: number;
}

/** Columnar rows read from a source: columns[f][r]. */
export interface SourceRows {
  fields: string[];
  columns: Cell[][];
}

/** Where in the text a problem is: 0-based line index, 1-based column. Callers map it to the script. */
export class DelimitedTextError extends Error {
  constructor(
    readonly lineIndex: number,
    readonly column: number,
    message: string,
    readonly isLimit = false,
  ) {
    super(message);
  }
}

/** Qlik's names for the columns of a file without labels. */
export const positionalNames = (n: number): string[] => Array.from({ length: n }, (_, i) => `@${i + 1}`);

/** Field names from a header record: trimmed, none empty, none repeated. */
export function checkedFieldNames(values: readonly (string | null)[], lineIndex: number): string[] {
  const fields = values.map((v) => (v ?? '').trim());
  const seen = new Set<string>();
  fields.forEach((f, i) => {
    if (f === '') throw new DelimitedTextError(lineIndex, 1, `field name number ${i + 1} is empty`);
    if (seen.has(f)) throw new DelimitedTextError(lineIndex, 1, `field name "${f}" appears twice`);
    seen.add(f);
  });
  return fields;
}

/**
 * Parses delimited text (inline data and `txt` files). Unquoted values are trimmed (Qlik strips
 * blanks unless Verbatim is set); with quoting, a value starting with `"` is quoted and `""` inside
 * stands for one quote. Blank and comment lines are skipped. A record with fewer values than the
 * header is padded with nulls; extra values are refused unless they are empty (a trailing
 * delimiter). Values go straight into columns: no per-row arrays survive the scan.
 */
export function parseDelimited(text: string, options: DelimitedOptions): SourceRows {
  const scanner = new RecordScanner(text, options);
  const values: Cell[] = [];
  let line = scanner.next(values, true);
  if (line < 0) {
    if (options.labels === 'none') return { fields: [], columns: [] };
    throw new DelimitedTextError(0, 1, 'no header line with field names');
  }
  let fields: string[];
  let pending = false;
  if (options.labels === 'none') {
    fields = positionalNames(values.length);
    for (let k = 0; k < values.length; k++) values[k] = typeof values[k] === 'string' ? textToCell(values[k] as string) : values[k]!;
    pending = true;
  } else fields = checkedFieldNames(values as (string | null)[], line);
  const width = fields.length;
  // Columns are sized once from the line count: growing eight arrays of a million cells by doubling
  // copies them several times over and most of a load's time went to that garbage.
  const capacity = Math.min(countLines(text), options.maxRows + 1);
  const columns: Cell[][] = fields.map(() => new Array<Cell>(capacity));
  let rows = 0;
  const addRow = (count: number, extra: boolean): void => {
    if (extra) throw new DelimitedTextError(line, 1, `record has ${count} values but the ${options.labels === 'none' ? 'first record' : 'header'} has ${width} fields`);
    if (rows >= options.maxRows) throw new DelimitedTextError(line, 1, `more rows than the limit maxRowsPerTable (${options.maxRows})`, true);
    for (let k = count; k < width; k++) columns[k]![rows] = null;
    rows++;
  };
  if (pending) {
    values.forEach((v, k) => k < width && (columns[k]![0] = v));
    addRow(values.length, false);
  }
  // From here on values go from the scanner straight into the columns (no per-row array, no boxing).
  scanner.attach(columns);
  while ((line = scanner.nextRow(rows)) >= 0) addRow(scanner.count, scanner.extra);
  for (const c of columns) c.length = rows;
  return { fields, columns };
}

function countLines(text: string): number {
  let n = 1;
  for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) n++;
  return n;
}

const POW10 = Array.from({ length: 23 }, (_, k) => 10 ** k);

/**
 * The number a plain decimal in `s[a, b)` denotes (the loader's rule, cell-value.ts), read from the
 * characters without making a string; NaN when the text is not one this fast path decides. With
 * at most 15 significant digits the digits form an exact integer and 10^k (k ≤ 22) is exact, so
 * one division is correctly rounded: the result equals Number(text) (Clinger's fast path).
 */
function plainDecimalAt(s: string, a: number, b: number): number {
  let i = a;
  const neg = s.charCodeAt(i) === 45;
  if (neg && ++i === b) return Number.NaN;
  let m = 0;
  let significant = 0;
  let c = s.charCodeAt(i);
  if (c === 48) i++;
  else {
    if (c < 48 || c > 57) return Number.NaN;
    while (i < b && (c = s.charCodeAt(i)) >= 48 && c <= 57) {
      m = m * 10 + (c - 48);
      significant++;
      i++;
    }
  }
  let k = 0;
  if (i < b) {
    if (s.charCodeAt(i) !== 46 || i === b - 1) return Number.NaN;
    for (i++; i < b; i++) {
      c = s.charCodeAt(i);
      if (c < 48 || c > 57) return Number.NaN;
      m = m * 10 + (c - 48);
      k++;
      if (significant > 0 || c !== 48) significant++;
    }
  }
  if (significant > 15 || k > 22) return Number.NaN;
  const v = k === 0 ? m : m / POW10[k]!;
  return (neg ? -v : v) + 0;
}

const EMPTY: Cell[] = [];

class RecordScanner {
  private i = 0;
  private line = 0;
  private lineStart = 0;
  /** Cached position of the next line break at or after `i` (or the text length). */
  private newlineAt = -1;
  private readonly spaces: boolean;
  private readonly quotes: boolean;
  /** The delimiter's code, or -1 for `spaces`. */
  private readonly delim: number;
  /** Column mode: each value of a record is written to cols[k][row]. */
  private cols: Cell[][] | null = null;
  private row = 0;
  /** Values in the last record, and whether one beyond the columns was not empty. */
  count = 0;
  extra = false;
  private first: Cell = null;

  constructor(
    private readonly s: string,
    private readonly o: DelimitedOptions,
  ) {
    this.spaces = o.delimiter === SPACES_DELIMITER;
    this.quotes = o.quoting !== 'none';
    this.delim = this.spaces ? -1 : o.delimiter.charCodeAt(0);
  }

  /**
   * Reads the next non-blank, non-comment record into `values` (reused between calls) and returns
   * its 0-based line index, or -1 at the end of the text. `raw` keeps values as text (labels);
   * otherwise they are cells under the loader's value rule.
   */
  next(values: Cell[], raw: boolean): number {
    const comment = this.o.comment;
    while (this.i < this.s.length) {
      if (comment && this.s.startsWith(comment, this.i)) {
        this.skipLine();
        continue;
      }
      values.length = 0;
      const line = this.line;
      this.record(values, raw);
      const blank = values.length === 1 && values[0] === null;
      if (!blank) return line;
    }
    return -1;
  }

  attach(columns: Cell[][]): void {
    this.cols = columns;
  }

  /** Column mode's next(): the next non-blank record written into row `row`; its line or -1. */
  nextRow(row: number): number {
    const comment = this.o.comment;
    this.row = row;
    while (this.i < this.s.length) {
      if (comment && this.s.startsWith(comment, this.i)) {
        this.skipLine();
        continue;
      }
      this.count = 0;
      this.extra = false;
      const line = this.line;
      this.record(EMPTY, false);
      if (!(this.count === 1 && this.first === null)) return line;
    }
    return -1;
  }

  private fail(message: string): never {
    throw new DelimitedTextError(this.line, this.i - this.lineStart + 1, message);
  }

  private isBlank(ch: string | undefined): boolean {
    return (ch === ' ' || ch === '\t') && ch !== this.o.delimiter;
  }

  /** A blank (space or tab) that is not the delimiter, by character code. */
  private blankAt(i: number): boolean {
    const c = this.s.charCodeAt(i);
    return (c === 32 || c === 9) && c !== this.delim;
  }

  private skipLine(): void {
    const nl = this.s.indexOf('\n', this.i);
    this.i = nl < 0 ? this.s.length : nl;
    this.endOfLine();
  }

  private record(values: Cell[], raw: boolean): void {
    for (;;) {
      while (this.blankAt(this.i)) this.i++;
      let v: Cell;
      if (this.quotes && this.s.charCodeAt(this.i) === 34) {
        const q = this.quoted();
        v = raw ? q : textToCell(q);
      } else if (this.spaces) {
        const u = this.unquotedSpaces();
        v = raw ? u : textToCell(u);
      } else v = this.unquoted(raw);
      const cols = this.cols;
      if (cols === null) values.push(v);
      else {
        const k = this.count++;
        if (k === 0) this.first = v;
        if (k < cols.length) cols[k]![this.row] = v;
        else if (v !== null) this.extra = true;
      }
      if (this.spaces) {
        while (this.isSpace(this.s.charCodeAt(this.i))) this.i++;
        const ch = this.s[this.i];
        if (ch !== undefined && ch !== '\n' && ch !== '\r') continue;
        if (ch === '\r') this.i++;
      } else if (this.s.charCodeAt(this.i) === this.delim) {
        this.i++;
        continue;
      }
      this.endOfLine();
      return;
    }
  }

  /** An unquoted value up to the delimiter or line end, trimmed; numbers are read without a string. */
  private unquoted(raw: boolean): Cell {
    const s = this.s;
    const start = this.i;
    if (this.newlineAt < start) {
      const nl = s.indexOf('\n', start);
      this.newlineAt = nl < 0 ? s.length : nl;
    }
    const delim = s.indexOf(this.o.delimiter, start);
    const end = (this.i = delim >= 0 && delim < this.newlineAt ? delim : this.newlineAt);
    if (!raw) {
      let a = start;
      let b = end;
      while (a < b && s.charCodeAt(a) <= 32) a++;
      while (b > a && s.charCodeAt(b - 1) <= 32) b--;
      if (a === b) return null;
      const n = plainDecimalAt(s, a, b);
      if (n === n) return n; // not NaN
    }
    const value = s.slice(start, end).trim();
    if (value === '') return null;
    return raw ? value : textToCell(value);
  }

  /** Qlik's `delimiter is spaces`: blanks and other control characters (not CR/LF) separate. */
  private isSpace(c: number): boolean {
    return c === 32 || (c < 32 && c !== 10 && c !== 13);
  }

  private unquotedSpaces(): string | null {
    const start = this.i;
    let c = this.s.charCodeAt(this.i);
    while (this.i < this.s.length && !this.isSpace(c) && c !== 10 && c !== 13) c = this.s.charCodeAt(++this.i);
    return this.i === start ? null : this.s.slice(start, this.i);
  }

  private quoted(): string {
    this.i++;
    let out = '';
    for (;;) {
      const close = this.s.indexOf('"', this.i);
      const newline = this.s.indexOf('\n', this.i);
      if (close < 0) this.fail('unterminated quoted value');
      if (newline >= 0 && newline < close) {
        if (this.o.quoting !== 'msq') this.fail('quoted value runs past the end of the line (use msq for multi-line values)');
        out += this.s.slice(this.i, newline + 1);
        this.i = newline + 1;
        this.line++;
        this.lineStart = this.i;
        continue;
      }
      out += this.s.slice(this.i, close);
      this.i = close + 1;
      if (this.s[this.i] !== '"') break;
      out += '"';
      this.i++;
    }
    if (this.spaces) {
      const c = this.s.charCodeAt(this.i);
      if (this.i < this.s.length && !this.isSpace(c) && c !== 10 && c !== 13) this.fail('unexpected text after a closing quote');
      return out;
    }
    while (this.isBlank(this.s[this.i]) || this.s[this.i] === '\r') this.i++;
    const ch = this.s[this.i];
    if (ch !== undefined && ch !== '\n' && ch !== this.o.delimiter) this.fail('unexpected text after a closing quote');
    return out;
  }

  private endOfLine(): void {
    if (this.s[this.i] === '\n') {
      this.i++;
      this.line++;
      this.lineStart = this.i;
    }
  }
}
