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
  const values: (string | null)[] = [];
  let line = scanner.next(values);
  if (line < 0) {
    if (options.labels === 'none') return { fields: [], columns: [] };
    throw new DelimitedTextError(0, 1, 'no header line with field names');
  }
  let fields: string[];
  let pending = false;
  if (options.labels === 'none') {
    fields = positionalNames(values.length);
    pending = true;
  } else fields = checkedFieldNames(values, line);
  const width = fields.length;
  const columns: Cell[][] = fields.map(() => []);
  let rows = 0;
  while (pending || (line = scanner.next(values)) >= 0) {
    pending = false;
    if (values.length > width) {
      for (let k = width; k < values.length; k++) {
        if (values[k] !== null && values[k] !== '') {
          throw new DelimitedTextError(line, 1, `record has ${values.length} values but the ${options.labels === 'none' ? 'first record' : 'header'} has ${width} fields`);
        }
      }
    }
    if (rows >= options.maxRows) throw new DelimitedTextError(line, 1, `more rows than the limit maxRowsPerTable (${options.maxRows})`, true);
    for (let k = 0; k < width; k++) columns[k]!.push(k < values.length ? textToCell(values[k]!) : null);
    rows++;
  }
  return { fields, columns };
}

class RecordScanner {
  private i = 0;
  private line = 0;
  private lineStart = 0;
  /** Cached position of the next line break at or after `i` (or the text length). */
  private newlineAt = -1;
  private readonly spaces: boolean;
  private readonly quotes: boolean;

  constructor(
    private readonly s: string,
    private readonly o: DelimitedOptions,
  ) {
    this.spaces = o.delimiter === SPACES_DELIMITER;
    this.quotes = o.quoting !== 'none';
  }

  /**
   * Reads the next non-blank, non-comment record into `values` (reused between calls) and returns
   * its 0-based line index, or -1 at the end of the text.
   */
  next(values: (string | null)[]): number {
    const comment = this.o.comment;
    while (this.i < this.s.length) {
      if (comment && this.s.startsWith(comment, this.i)) {
        this.skipLine();
        continue;
      }
      values.length = 0;
      const line = this.line;
      this.record(values);
      const blank = values.length === 1 && values[0] === null;
      if (!blank) return line;
    }
    return -1;
  }

  private fail(message: string): never {
    throw new DelimitedTextError(this.line, this.i - this.lineStart + 1, message);
  }

  private isBlank(ch: string | undefined): boolean {
    return (ch === ' ' || ch === '\t') && ch !== this.o.delimiter;
  }

  private skipLine(): void {
    const nl = this.s.indexOf('\n', this.i);
    this.i = nl < 0 ? this.s.length : nl;
    this.endOfLine();
  }

  private record(values: (string | null)[]): void {
    for (;;) {
      while (this.isBlank(this.s[this.i])) this.i++;
      values.push(this.quotes && this.s[this.i] === '"' ? this.quoted() : this.spaces ? this.unquotedSpaces() : this.unquoted());
      if (this.spaces) {
        while (this.isSpace(this.s.charCodeAt(this.i))) this.i++;
        const ch = this.s[this.i];
        if (ch !== undefined && ch !== '\n' && ch !== '\r') continue;
        if (ch === '\r') this.i++;
      } else if (this.s[this.i] === this.o.delimiter) {
        this.i++;
        continue;
      }
      this.endOfLine();
      return;
    }
  }

  private unquoted(): string | null {
    const start = this.i;
    if (this.newlineAt < start) {
      const nl = this.s.indexOf('\n', start);
      this.newlineAt = nl < 0 ? this.s.length : nl;
    }
    const delim = this.s.indexOf(this.o.delimiter, start);
    this.i = delim >= 0 && delim < this.newlineAt ? delim : this.newlineAt;
    const value = this.s.slice(start, this.i).trim();
    return value === '' ? null : value;
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
