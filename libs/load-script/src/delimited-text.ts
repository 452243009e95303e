import { makeEncoded, type Cell } from '@trustzone/data-model';
import { textToCell } from './cell-value';
import { ColumnEncoder, MISS as NOT_FOUND, PARSED as PARSED_NUMBER } from './column-encoder';
import { SPACES_DELIMITER, type Quoting } from './file-format';
import { singlePiece, type TextPieces } from './text-pieces';

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
  /**
   * Build each column as symbols + row indexes while parsing (see EncodedColumn): the result's
   * `columns` are then made only if a per-row operation reads them. Files use it; inline data
   * (small, usually transformed) does not.
   */
  encode?: boolean;
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
export function parseDelimited(input: string | TextPieces, options: DelimitedOptions): SourceRows {
  const pieces = typeof input === 'string' ? singlePiece(input) : input;
  const scanner = new RecordScanner(pieces.next() ?? '', options);
  const values: Cell[] = [];
  let line = scanner.next(values, true);
  // A piece may hold only blank or comment lines; the header is then in a later one.
  for (let piece: string | null; line < 0 && (piece = pieces.next()) !== null; line = scanner.next(values, true)) scanner.feed(piece);
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
  // copies them several times over and most of a load's time went to that garbage. Counted from
  // after the header, a file without blank or comment lines fills them exactly (no final copy).
  const capacity = Math.min((pending ? 1 : 0) + Math.max(0, pieces.lineBound - scanner.linesRead), options.maxRows + 1);
  const encoders = options.encode ? fields.map(() => new ColumnEncoder(capacity)) : null;
  const columns: Cell[][] = encoders ? [] : fields.map(() => new Array<Cell>(capacity));
  let rows = 0;
  const addRow = (count: number, extra: boolean): void => {
    if (extra) throw new DelimitedTextError(line, 1, `record has ${count} values but the ${options.labels === 'none' ? 'first record' : 'header'} has ${width} fields`);
    if (rows >= options.maxRows) throw new DelimitedTextError(line, 1, `more rows than the limit maxRowsPerTable (${options.maxRows})`, true);
    // Only a file written to while it is read has more records than the lines counted first.
    if (rows >= capacity) throw new DelimitedTextError(line, 1, 'the file changed while it was read (it has more lines than when it was opened)');
    if (encoders) for (let k = count; k < width; k++) encoders[k]!.indexes[rows] = -1;
    else for (let k = count; k < width; k++) columns[k]![rows] = null;
    rows++;
  };
  if (pending) {
    values.forEach((v, k) => k < width && (encoders ? encoders[k]!.set(0, v) : (columns[k]![0] = v)));
    addRow(values.length, false);
  }
  // From here on values go from the scanner straight into the columns (no per-row array, no boxing).
  if (encoders) scanner.attachEncoders(encoders);
  else scanner.attach(columns);
  for (let piece: string | null = ''; piece !== null; piece = pieces.next()) {
    if (piece !== '') scanner.feed(piece);
    while ((line = scanner.nextRow(rows)) >= 0) addRow(scanner.count, scanner.extra);
  }
  if (encoders) return makeEncoded({ fields }, encoders.map((e) => e.finish(rows)));
  for (const c of columns) c.length = rows;
  return { fields, columns };
}

/**
 * The cell the unquoted raw text `s[start, end)` denotes (blanks before it are already skipped):
 * trimmed, then a plain decimal is read in place, anything else typed by the loader's rule. A
 * function of those characters alone, which is what lets ColumnEncoder key cells by raw text.
 */
function cellAt(s: string, start: number, end: number): Cell {
  let a = start;
  let b = end;
  while (a < b && s.charCodeAt(a) <= 32) a++;
  while (b > a && s.charCodeAt(b - 1) <= 32) b--;
  if (a === b) return null;
  const n = plainDecimalAt(s, a, b);
  if (n === n) return n; // not NaN
  return textToCell(s.slice(start, end).trim());
}

/**
 * Whether the unquoted raw text `s[start, end)` is a number for cellAt; if so the number is left in
 * PARSED[0]. The hot loop's way to get a number without boxing it: a double returned from a call
 * that is not inlined is a heap object, three million of them per bench load.
 */
function numberAt(s: string, start: number, end: number): boolean {
  let a = start;
  let b = end;
  while (a < b && s.charCodeAt(a) <= 32) a++;
  while (b > a && s.charCodeAt(b - 1) <= 32) b--;
  return a < b && decimalInto(s, a, b);
}

const POW10 = Array.from({ length: 23 }, (_, k) => 10 ** k);

/**
 * A plain decimal (decimalInto's rule) starting at `i` and ending at the delimiter, a line break,
 * a CR before either, or the end of the text: its number is left in PARSED[0] and the position of
 * that end returned (past a CR, where the general scan would stop), else -1. The same cell cellAt
 * makes from such a text, read in the scan's one pass over the characters.
 */
function plainDecimalScan(s: string, i: number, delim: number): number {
  let c = s.charCodeAt(i);
  const neg = c === 45;
  if (neg) c = s.charCodeAt(++i);
  let m = 0;
  let significant = 0;
  if (c === 48) c = s.charCodeAt(++i);
  else if (c >= 49 && c <= 57) {
    do {
      m = m * 10 + (c - 48);
      significant++;
      c = s.charCodeAt(++i);
    } while (c >= 48 && c <= 57);
  } else return -1;
  let k = 0;
  if (c === 46) {
    c = s.charCodeAt(++i);
    if (!(c >= 48 && c <= 57)) return -1;
    do {
      m = m * 10 + (c - 48);
      k++;
      if (significant > 0 || c !== 48) significant++;
      c = s.charCodeAt(++i);
    } while (c >= 48 && c <= 57);
  }
  if (c === 13 && c !== delim) {
    const next = s.charCodeAt(i + 1);
    if (next === delim || next === 10 || next !== next) i++;
    else return -1;
  } else if (c !== delim && c !== 10 && c === c) return -1;
  if (significant > 15 || k > 22) return -1;
  const v = k === 0 ? m : m / POW10[k]!;
  PARSED[0] = (neg ? -v : v) + 0;
  return i;
}

/** The number a plain decimal in `s[a, b)` denotes (see decimalInto), or NaN. */
function plainDecimalAt(s: string, a: number, b: number): number {
  return decimalInto(s, a, b) ? PARSED[0]! : Number.NaN;
}

/**
 * Whether `s[a, b)` is a plain decimal (the loader's rule, cell-value.ts) this fast path decides;
 * if so, the number it denotes is left in PARSED[0]. Read from the characters without making a
 * string. With at most 15 significant digits the digits form an exact integer and 10^k (k ≤ 22)
 * is exact, so one division is correctly rounded: the result equals Number(text) (Clinger's fast
 * path).
 */
function decimalInto(s: string, a: number, b: number): boolean {
  let i = a;
  const neg = s.charCodeAt(i) === 45;
  if (neg && ++i === b) return false;
  let m = 0;
  let significant = 0;
  let c = s.charCodeAt(i);
  if (c === 48) i++;
  else {
    if (c < 48 || c > 57) return false;
    while (i < b && (c = s.charCodeAt(i)) >= 48 && c <= 57) {
      m = m * 10 + (c - 48);
      significant++;
      i++;
    }
  }
  let k = 0;
  if (i < b) {
    if (s.charCodeAt(i) !== 46 || i === b - 1) return false;
    for (i++; i < b; i++) {
      c = s.charCodeAt(i);
      if (c < 48 || c > 57) return false;
      m = m * 10 + (c - 48);
      k++;
      if (significant > 0 || c !== 48) significant++;
    }
  }
  if (significant > 15 || k > 22) return false;
  const v = k === 0 ? m : m / POW10[k]!;
  PARSED[0] = (neg ? -v : v) + 0;
  return true;
}

const EMPTY: Cell[] = [];
/** Distinct texts a column may have and still be interned: its table stays in the CPU's caches. */
const MAX_INTERNED = 4096;

/**
 * One column's distinct texts → the cell first made from each, found by hashing the characters in
 * place. A repeated text costs a hash and a compare, and the row shares the first cell: a column of
 * a few thousand distinct texts keeps a few thousand strings alive instead of one per row, and
 * promoting those per-row copies was about half of a CSV load's time (garbage collection). A
 * column with more distinct texts than MAX_INTERNED gives up (`cell` returns undefined): random
 * lookups in a large table cost more than the collector saves.
 */
class CellInterner {
  private readonly slots = new Int32Array(MAX_INTERNED * 2).fill(-1);
  private readonly hashes = new Int32Array(MAX_INTERNED);
  private readonly keys: string[] = [];
  private readonly cells: Cell[] = [];

  cell(s: string, a: number, b: number): Cell | undefined {
    let h = 0x811c9dc5 | 0;
    for (let i = a; i < b; i++) h = Math.imul(h ^ s.charCodeAt(i), 0x01000193);
    const mask = this.slots.length - 1;
    const len = b - a;
    let at = h & mask;
    for (let e = this.slots[at]!; e >= 0; at = (at + 1) & mask, e = this.slots[at]!) {
      if (this.hashes[e] !== h) continue;
      const key = this.keys[e]!;
      if (key.length !== len) continue;
      let i = 0;
      while (i < len && key.charCodeAt(i) === s.charCodeAt(a + i)) i++;
      if (i === len) return this.cells[e]!;
    }
    const e = this.keys.length;
    if (e === MAX_INTERNED) return undefined;
    const text = s.slice(a, b);
    // The same rule as the uninterned path: trimmed (blanks beyond ASCII ones too), then typed.
    const cell = textToCell(text.trim());
    this.slots[at] = e;
    this.hashes[e] = h;
    this.keys.push(text);
    this.cells.push(cell);
    return cell;
  }
}

// Module-level copies: a bundler turns imported bindings into property reads (getters under
// CommonJS), which cost more than the character loop that uses them.
const MISS = NOT_FOUND;
const PARSED = PARSED_NUMBER;

class RecordScanner {
  private s: string;
  private i = 0;
  private line = 0;
  private lineStart = 0;
  /** Cached position of the next line break at or after `i` (or the text length). */
  private newlineAt = -1;
  private readonly spaces: boolean;
  private readonly quotes: boolean;
  /** The delimiter's code, or -1 for `spaces`. */
  private readonly delim: number;
  /** plainDecimalScan applies: the delimiter cannot be part of a number. */
  private readonly decimalScan: boolean;
  /** Column mode: each value of a record is written to cols[k][row]. */
  private cols: Cell[][] | null = null;
  private row = 0;
  /** Values in the last record, and whether one beyond the columns was not empty. */
  count = 0;
  extra = false;
  private first: Cell = null;
  /** Encoding column mode: each value of a record is encoded into encs[k] at `row` instead. */
  private encs: ColumnEncoder[] | null = null;
  /** Column mode: per column, the cells already made from a text (null once the column has too many). */
  private interns: (CellInterner | null)[] = [];

  constructor(
    text: string,
    private readonly o: DelimitedOptions,
  ) {
    this.s = text;
    this.spaces = o.delimiter === SPACES_DELIMITER;
    this.quotes = o.quoting !== 'none';
    this.delim = this.spaces ? -1 : o.delimiter.charCodeAt(0);
    this.decimalScan = !((this.delim >= 48 && this.delim <= 57) || this.delim === 45 || this.delim === 46);
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

  /** Goes on with the next piece of the text (the last one ended at a line break). */
  feed(text: string): void {
    this.s = text;
    this.i = 0;
    this.lineStart = 0;
    this.newlineAt = -1;
  }

  /** Lines read so far, blank and comment lines included. */
  get linesRead(): number {
    return this.line;
  }

  attach(columns: Cell[][]): void {
    this.cols = columns;
    this.interns = columns.map(() => new CellInterner());
  }

  attachEncoders(encoders: ColumnEncoder[]): void {
    this.encs = encoders;
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
      if (this.encs !== null && !this.spaces) {
        if (!this.encodeRecord(this.encs)) return line;
      } else {
        this.record(EMPTY, false);
        if (!(this.count === 1 && this.first === null)) return line;
      }
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
      const encs = this.encs;
      if (encs !== null) {
        const k = this.count++;
        if (k === 0) this.first = v;
        if (k < encs.length) encs[k]!.set(this.row, v);
        else if (v !== null) this.extra = true;
      } else if (cols === null) values.push(v);
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

  /**
   * Encoding column mode's record() for a one-character delimiter, the hot loop of a CSV load:
   * each unquoted value is scanned once to its delimiter and looked up by its raw characters in its
   * column (ColumnEncoder) before anything is made from it. Quoted values take quoted(). The cells
   * are exactly record()'s: a miss types the raw text with cellAt, the rule unquoted() applies.
   * Returns whether the record was blank (one null value).
   */
  private encodeRecord(encs: ColumnEncoder[]): boolean {
    const s = this.s;
    const n = s.length;
    const delim = this.delim;
    const quotes = this.quotes;
    const width = encs.length;
    const row = this.row;
    let i = this.i;
    let k = 0;
    let firstNull = false;
    for (;;) {
      let c = s.charCodeAt(i);
      while ((c === 32 || c === 9) && c !== delim) c = s.charCodeAt(++i);
      let id: number;
      if (quotes && c === 34) {
        this.i = i;
        const v = textToCell(this.quoted());
        i = this.i;
        if (k < width) encs[k]!.set(row, v);
        else if (v !== null) this.extra = true;
        id = v === null ? -1 : 0;
      } else {
        const start = i;
        const enc = k < width ? encs[k]! : null;
        if (enc !== null && enc.table === null && this.decimalScan) {
          // A column that no longer looks up, most often numbers: a plain decimal ending at the
          // delimiter is read while it is scanned (anything else goes the general way below).
          const end = plainDecimalScan(s, i, delim);
          if (end >= 0) {
            enc.indexes[row] = id = enc.appendParsed();
            i = end;
            if (k === 0) firstNull = false;
            k++;
            if (s.charCodeAt(i) === delim) {
              i++;
              continue;
            }
            break;
          }
        }
        // The first 12 characters are packed on the way (pack()'s layout: a byte each, four per
        // word) so a short key is looked up without reading its characters a second time.
        let w0 = 0;
        let w1 = 0;
        let w2 = 0;
        let wide = 0;
        while (i < n) {
          c = s.charCodeAt(i);
          if (c === delim || c === 10) break;
          const d = i - start;
          if (d < 4) w0 |= c << (d << 3);
          else if (d < 8) w1 |= c << ((d - 4) << 3);
          else if (d < 12) w2 |= c << ((d - 8) << 3);
          wide |= c;
          i++;
        }
        if (enc === null) {
          if (cellAt(s, start, i) !== null) this.extra = true;
          id = 0;
        } else if (enc.table !== null) {
          const len = i - start;
          id = len <= 12 && wide < 256 ? enc.lookupPacked(w0, w1, w2, len) : enc.lookup(s, start, len);
          if (id === MISS) id = enc.addRaw(s, start, len, cellAt(s, start, i), row);
          enc.indexes[row] = id;
        } else id = enc.indexes[row] = numberAt(s, start, i) ? enc.appendParsed() : enc.append(cellAt(s, start, i));
      }
      if (k === 0) firstNull = id === -1;
      k++;
      if (s.charCodeAt(i) === delim) {
        i++;
        continue;
      }
      break;
    }
    this.count = k;
    this.i = i;
    this.endOfLine();
    return k === 1 && firstNull;
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
      // Without surrounding blanks the cell depends on the characters alone, so a column's repeated
      // texts can be found without making a string (see CellInterner).
      const interner = a === start && b === end ? this.interns[this.count] : undefined;
      if (interner) {
        const cell = interner.cell(s, a, b);
        if (cell !== undefined) return cell;
        this.interns[this.count] = null;
      }
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
      const msq = this.o.quoting === 'msq';
      // Without msq a value ends on its line, wherever (and in whichever piece) the next quote is.
      if (close < 0 && (msq || newline < 0)) this.fail('unterminated quoted value');
      if (newline >= 0 && (close < 0 || newline < close)) {
        if (!msq) this.fail('quoted value runs past the end of the line (use msq for multi-line values)');
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
