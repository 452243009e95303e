/**
 * The format specification of a `LOAD … FROM` file (the parenthesised part after the path), as
 * parsed by `load-options.parser.ts` from Qlik's format specification items. Kept apart from
 * `script-ast.ts` so the file formats can grow without touching the statement grammar.
 */

/** Where field names come from: the first record, nowhere (`@1`, `@2`, …), or explicit (read as embedded). */
export type Labels = 'embedded' | 'none' | 'explicit';

/** How `"` works in delimited text: standard (one line), msq (may span lines) or no quotes at all. */
export type Quoting = 'standard' | 'msq' | 'none';

/** A WHATWG encoding label (TextDecoder), from `utf8`, `unicode`, `ansi`, `mac` or `codepage is n`. */
export type Codepage = string;

/** How many lines or bytes to skip before the table starts (`header is n lines` / `header is n`). */
export interface HeaderSkip {
  lines: number;
  bytes: number;
}

export interface TextFileFormat {
  type: 'txt';
  /** One character, or `spaces` (any run of blanks separates). */
  delimiter: string;
  labels: Labels;
  quoting: Quoting;
  header: HeaderSkip;
  /** Lines starting with this are skipped (`comment is '#'`). */
  comment: string | null;
  codepage: Codepage;
}

export interface FixedFileFormat {
  type: 'fix';
  labels: Labels;
  header: HeaderSkip;
  /** Lines per record (`record is n lines`; default one). */
  recordLines: number;
  codepage: Codepage;
}

export interface SpreadsheetFormat {
  type: 'ooxml';
  labels: Labels;
  /** The sheet (`table is Sheet1`); the first sheet when absent. */
  table: string | null;
  /** Rows above the table (`header is n lines`). */
  headerRows: number;
}

export type FileFormat = TextFileFormat | FixedFileFormat | SpreadsheetFormat | { type: 'json'; codepage: Codepage } | { type: 'qvd' };

export const SPACES_DELIMITER = 'spaces';

/** What `STORE … INTO` writes: `(qvd)`, or delimited text `(txt)`/`(csv)`; the extension decides without a spec. */
export type StoreFormat = 'qvd' | 'csv' | 'txt';
