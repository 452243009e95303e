import type { Cell } from '@trustzone/data-model';
import { textToCell } from './cell-value';

export interface DelimitedOptions {
  delimiter: string;
  /** msq ("modern style quoting"): a quoted value may span lines. Otherwise it may not. */
  multiLineQuotes: boolean;
  /** Rows beyond this are refused while reading, before they are all in memory. */
  maxRows: number;
}

export interface SourceRows {
  fields: string[];
  rows: Cell[][];
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

/**
 * Parses delimited text with the first record as field names (inline data and `txt` files).
 * Unquoted values are trimmed (Qlik strips blanks unless Verbatim is set); a value starting with
 * `"` is quoted, `""` inside stands for one quote. Blank lines are skipped. A record with fewer
 * values than the header is padded with nulls; extra values are refused unless they are empty
 * (a trailing delimiter).
 */
export function parseDelimited(text: string, options: DelimitedOptions): SourceRows {
  const records = new RecordScanner(text, options).records();
  const header = records.next();
  if (header.done) throw new DelimitedTextError(0, 1, 'no header line with field names');
  const fields = header.value.values.map((v) => (v ?? '').trim());
  const seen = new Set<string>();
  fields.forEach((f, i) => {
    if (f === '') throw new DelimitedTextError(header.value.line, 1, `field name number ${i + 1} is empty`);
    if (seen.has(f)) throw new DelimitedTextError(header.value.line, 1, `field name "${f}" appears twice`);
    seen.add(f);
  });
  const rows: Cell[][] = [];
  for (const rec of records) {
    const values = rec.values;
    if (values.length > fields.length) {
      if (values.slice(fields.length).some((v) => v !== null && v !== '')) {
        throw new DelimitedTextError(rec.line, 1, `record has ${values.length} values but the header has ${fields.length} fields`);
      }
      values.length = fields.length;
    }
    if (rows.length >= options.maxRows) throw new DelimitedTextError(rec.line, 1, `more rows than the limit maxRowsPerTable (${options.maxRows})`, true);
    const row = values.map((v) => textToCell(v));
    while (row.length < fields.length) row.push(null);
    rows.push(row);
  }
  return { fields, rows };
}

interface RawRecord {
  line: number;
  /** `null` for an unquoted empty value. */
  values: (string | null)[];
}

class RecordScanner {
  private i = 0;
  private line = 0;
  private lineStart = 0;

  constructor(
    private readonly s: string,
    private readonly o: DelimitedOptions,
  ) {}

  *records(): Generator<RawRecord> {
    while (this.i < this.s.length) {
      const rec = this.record();
      const blank = rec.values.length === 1 && rec.values[0] === null;
      if (!blank) yield rec;
    }
  }

  private fail(message: string): never {
    throw new DelimitedTextError(this.line, this.i - this.lineStart + 1, message);
  }

  private isBlank(ch: string | undefined): boolean {
    return (ch === ' ' || ch === '\t') && ch !== this.o.delimiter;
  }

  private record(): RawRecord {
    const rec: RawRecord = { line: this.line, values: [] };
    for (;;) {
      while (this.isBlank(this.s[this.i])) this.i++;
      rec.values.push(this.s[this.i] === '"' ? this.quoted() : this.unquoted());
      const ch = this.s[this.i];
      if (ch === this.o.delimiter) {
        this.i++;
        continue;
      }
      this.endOfLine();
      return rec;
    }
  }

  private unquoted(): string | null {
    const start = this.i;
    const s = this.s;
    while (this.i < s.length && s[this.i] !== this.o.delimiter && s[this.i] !== '\n') this.i++;
    const value = s.slice(start, this.i).replace(/\r$/, '').trim();
    return value === '' ? null : value;
  }

  private quoted(): string {
    this.i++;
    let out = '';
    for (;;) {
      const close = this.s.indexOf('"', this.i);
      const newline = this.s.indexOf('\n', this.i);
      if (close < 0) this.fail('unterminated quoted value');
      if (newline >= 0 && newline < close) {
        if (!this.o.multiLineQuotes) this.fail('quoted value runs past the end of the line (use msq for multi-line values)');
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
    while (this.isBlank(this.s[this.i]) || this.s[this.i] === '\r') this.i++;
    const ch = this.s[this.i];
    if (ch !== undefined && ch !== this.o.delimiter && ch !== '\n') this.fail('unexpected text after a closing quote');
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
