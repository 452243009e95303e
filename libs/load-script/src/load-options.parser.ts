import type { SourcePosition } from './load-script.error';
import { SPACES_DELIMITER, type Codepage, type FileFormat, type FixedFileFormat, type HeaderSkip, type SpreadsheetFormat, type StoreFormat, type TextFileFormat } from './file-format';
import { describe, type TokenStream } from './token-stream';
import type { Token } from './script-token';

/** Qlik's `codepage is n` numbers mapped to the WHATWG labels TextDecoder knows. */
const CODEPAGES: Record<number, string> = {
  65001: 'utf-8', 1200: 'utf-16le', 1201: 'utf-16be', 1252: 'windows-1252', 1250: 'windows-1250', 1251: 'windows-1251',
  1253: 'windows-1253', 1254: 'windows-1254', 1255: 'windows-1255', 1256: 'windows-1256', 1257: 'windows-1257',
  1258: 'windows-1258', 28591: 'iso-8859-1', 28592: 'iso-8859-2', 28595: 'iso-8859-5', 28597: 'iso-8859-7',
  28605: 'iso-8859-15', 10000: 'macintosh', 20866: 'koi8-r', 932: 'shift_jis', 936: 'gbk', 949: 'euc-kr', 950: 'big5',
};

/** `delimiter is '<c>'`: one character; `'\t'` is the tab and `'\\'` the backslash, as Qlik writes them. */
function delimiterValue(ts: TokenStream, allowSpaces: boolean): string {
  ts.expectKeyword('IS', 'after DELIMITER');
  const t = ts.next();
  if (allowSpaces && t.kind === 'ident' && t.text.toUpperCase() === 'SPACES') return SPACES_DELIMITER;
  if (t.kind !== 'string') ts.fail(t, `expected a quoted delimiter such as ';', found ${describe(t)}`);
  const value = t.text === '\\t' ? '\t' : t.text === '\\\\' ? '\\' : t.text.toLowerCase() === 'spaces' && allowSpaces ? SPACES_DELIMITER : t.text;
  if (value === SPACES_DELIMITER) return value;
  if (value.length !== 1 || value === '"' || value === '\n' || value === '\r') {
    ts.fail(t, `delimiter must be a single character other than a quote or line break, got '${t.text}'`);
  }
  return value;
}

/** Reads `( item, item … )` handing each item's first token to `onItem`. */
function itemList(ts: TokenStream, onItem: (word: string, at: Token) => void): void {
  ts.expectOp('(', 'to open the format specification');
  do {
    const t = ts.next();
    if (t.kind !== 'ident') ts.fail(t, `expected a format item, found ${describe(t)}`);
    onItem(t.text.toUpperCase(), t);
  } while (ts.acceptOp(','));
  ts.expectOp(')', 'to close the format specification');
}

/**
 * The format of `STORE … INTO … (qvd)` / `(txt[, delimiter is 'c'])` / `(csv[, delimiter is 'c'])`.
 * Qlik's other STORE formats (parquet, compression) are refused.
 */
export function parseStoreFormat(ts: TokenStream): { format: StoreFormat; delimiter: string } {
  let format: StoreFormat | null = null;
  let delimiter: string | null = null;
  itemList(ts, (word, at) => {
    if (format === null) {
      if (word !== 'QVD' && word !== 'TXT' && word !== 'CSV') ts.fail(at, `STORE writes (qvd), (txt) or (csv), not ${describe(at)}`);
      format = word.toLowerCase() as StoreFormat;
    } else if (word === 'DELIMITER' && format !== 'qvd' && delimiter === null) {
      delimiter = delimiterValue(ts, false);
    } else {
      ts.fail(at, `unsupported STORE format item ${word.toLowerCase()} (only "delimiter is 'c'" after txt or csv)`);
    }
  });
  return { format: format ?? 'qvd', delimiter: delimiter ?? ',' };
}

/** `INLINE [ … ] (delimiter is ';')` — the only inline option of the subset. */
export function parseInlineOptions(ts: TokenStream): string {
  let delimiter: string | null = null;
  itemList(ts, (word, at) => {
    if (word !== 'DELIMITER' || delimiter !== null) ts.fail(at, `unsupported inline option ${word} (only "delimiter is 'c'")`);
    delimiter = delimiterValue(ts, false);
  });
  return delimiter ?? ',';
}

function count(ts: TokenStream, what: string, max: number): number {
  const t = ts.next();
  const n = t.kind === 'number' && /^\d+$/.test(t.text) ? Number(t.text) : Number.NaN;
  if (!Number.isSafeInteger(n) || n > max) ts.fail(t, `${what} must be a whole number up to ${max}, found ${describe(t)}`);
  return n;
}

/** `header is n lines` | `header is line` | `header is n` (bytes). */
function headerSkip(ts: TokenStream): HeaderSkip {
  ts.expectKeyword('IS', 'after HEADER');
  if (ts.acceptKeyword('LINE')) return { lines: 1, bytes: 0 };
  const n = count(ts, 'header size', 1_000_000);
  if (ts.acceptKeyword('LINES') || ts.acceptKeyword('LINE')) return { lines: n, bytes: 0 };
  return { lines: 0, bytes: n };
}

/** `record is n lines` | `record is line`; a byte record length is refused (records are lines here). */
function recordLines(ts: TokenStream, at: SourcePosition): number {
  ts.expectKeyword('IS', 'after RECORD');
  if (ts.acceptKeyword('LINE')) return 1;
  const n = count(ts, 'record size', 1000);
  if (!(ts.acceptKeyword('LINES') || ts.acceptKeyword('LINE'))) ts.fail(at, "record is n (bytes) is not supported; use 'record is n lines'");
  if (n < 1) ts.fail(at, 'a record needs at least one line');
  return n;
}

function tableName(ts: TokenStream): string {
  ts.expectKeyword('IS', 'after TABLE');
  const t = ts.next();
  if (t.kind !== 'ident' && t.kind !== 'string' && t.kind !== 'quoted' && t.kind !== 'bracket') ts.fail(t, `expected a sheet name after TABLE IS, found ${describe(t)}`);
  // Qlik writes sheet names as [Sheet1$] for old files; the dollar is not part of the name.
  return t.text.replace(/\$$/, '');
}

const FILE_TYPES = new Set(['TXT', 'FIX', 'OOXML', 'JSON', 'QVD']);
const REFUSED_TYPES: Record<string, string> = {
  BIFF: 'Excel 97-2003 .xls files (biff) are not supported; save the workbook as .xlsx (ooxml)',
  DIF: 'dif files are not supported', HTML: 'html tables are not supported', XML: 'xml files are not supported',
  KML: 'kml files are not supported', QVX: 'qvx files are not supported', PARQUET: 'parquet files are not supported',
};

/** Every item the specification may give, before the file type decides which ones apply. */
type Items = Omit<TextFileFormat, 'type'> & Pick<FixedFileFormat, 'recordLines'> & Pick<SpreadsheetFormat, 'table'> & { type: string | null };

/**
 * Qlik's format specification items (help: "Format specification items"): the file type (`txt`,
 * `fix`, `ooxml`, `json`, `qvd`), character set (`utf8`, `unicode`, `ansi`, `mac`, `codepage is n`),
 * labels (`embedded | explicit | no labels`), `delimiter is …`, quoting (`msq`, `no quotes`),
 * `header is …`, `comment is …`, `record is …`, `table is …`, `no eof`. Items that do not fit the
 * file type, repeated items and other file types are refused rather than guessed. Without a type
 * the file is delimited text, as in Qlik.
 */
export function parseFileFormat(ts: TokenStream): FileFormat {
  const start = ts.peek();
  const seen = new Map<string, Token>();
  const it: Items = { type: null, delimiter: ',', labels: 'embedded', quoting: 'standard', header: { lines: 0, bytes: 0 }, comment: null, codepage: 'utf-8', table: null, recordLines: 1 };
  const once = (key: string, at: Token): void => {
    if (seen.has(key)) ts.fail(at, `format item ${key.toLowerCase()} is given twice`);
    seen.set(key, at);
  };
  itemList(ts, (word, at) => {
    if (REFUSED_TYPES[word]) ts.fail(at, REFUSED_TYPES[word]);
    if (FILE_TYPES.has(word)) {
      once('file type', at);
      it.type = word;
      return;
    }
    switch (word) {
      case 'UTF8':
      case 'UNICODE':
      case 'ANSI':
      case 'MAC':
      case 'OEM':
      case 'UTF':
      case 'CODEPAGE':
        once('character set', at);
        it.codepage = characterSet(ts, word, at);
        return;
      case 'EMBEDDED':
      case 'EXPLICIT':
        once('labels', at);
        ts.expectKeyword('LABELS', `after ${word}`);
        it.labels = word === 'EMBEDDED' ? 'embedded' : 'explicit';
        return;
      case 'NO':
        noItem(ts, it, once);
        return;
      case 'MSQ':
        once('quoting', at);
        it.quoting = 'msq';
        return;
      case 'DELIMITER':
        once('delimiter', at);
        it.delimiter = delimiterValue(ts, true);
        return;
      case 'HEADER':
        once('header', at);
        it.header = headerSkip(ts);
        return;
      case 'COMMENT': {
        once('comment', at);
        ts.expectKeyword('IS', 'after COMMENT');
        const t = ts.next();
        if (t.kind !== 'string' || t.text === '') ts.fail(t, `expected a quoted comment prefix such as '#', found ${describe(t)}`);
        it.comment = t.text;
        return;
      }
      case 'RECORD':
        once('record', at);
        it.recordLines = recordLines(ts, at);
        return;
      case 'TABLE':
        once('table', at);
        it.table = tableName(ts);
        return;
      default:
        ts.fail(at, `unsupported format item ${word.toLowerCase()}`);
    }
  });
  return build(ts, start, it, seen);
}

function characterSet(ts: TokenStream, word: string, at: Token): Codepage {
  switch (word) {
    case 'UTF8':
      return 'utf-8';
    case 'UTF':
      ts.expectOp('-', 'in UTF-8');
      if (ts.next().text !== '8') ts.fail(at, 'only UTF-8 is supported among the UTF character sets');
      return 'utf-8';
    case 'UNICODE':
      return 'utf-16le';
    case 'ANSI':
      return 'windows-1252';
    case 'MAC':
      return 'macintosh';
    case 'OEM':
      return ts.fail(at, 'the oem character set is not supported; name it with codepage is <n>');
    default: {
      ts.expectKeyword('IS', 'after CODEPAGE');
      const t = ts.peek();
      const n = count(ts, 'codepage', 100_000);
      const label = CODEPAGES[n];
      if (!label) ts.fail(t, `codepage ${n} is not supported (supported: ${Object.keys(CODEPAGES).join(', ')})`);
      return label;
    }
  }
}

function noItem(ts: TokenStream, it: Items, once: (key: string, at: Token) => void): void {
  const t = ts.next();
  const word = t.kind === 'ident' ? t.text.toUpperCase() : '';
  if (word === 'LABELS') {
    once('labels', t);
    it.labels = 'none';
  } else if (word === 'QUOTES') {
    once('quoting', t);
    it.quoting = 'none';
  } else if (word === 'EOF') {
    once('no eof', t); // an end-of-file character means nothing in UTF-8 text; accepted for compatibility
  } else ts.fail(t, `expected LABELS, QUOTES or EOF after NO, found ${describe(t)}`);
}

function build(ts: TokenStream, start: Token, it: Items, seen: Map<string, Token>): FileFormat {
  const type = it.type ?? 'TXT';
  const only = (allowed: string[]): void => {
    for (const [key, at] of seen) {
      if (key !== 'file type' && !allowed.includes(key)) ts.fail(at, `format item ${key} does not apply to ${type.toLowerCase()} files`);
    }
  };
  switch (type) {
    case 'TXT':
      only(['character set', 'labels', 'quoting', 'delimiter', 'header', 'comment', 'no eof']);
      return { type: 'txt', delimiter: it.delimiter, labels: it.labels, quoting: it.quoting, header: it.header, comment: it.comment, codepage: it.codepage };
    case 'FIX':
      only(['character set', 'labels', 'header', 'record', 'no eof']);
      return { type: 'fix', labels: it.labels, header: it.header, recordLines: it.recordLines, codepage: it.codepage };
    case 'OOXML':
      only(['labels', 'header', 'table']);
      if (it.header.bytes > 0) ts.fail(seen.get('header') ?? start, "spreadsheet headers are counted in rows: use 'header is n lines'");
      return { type: 'ooxml', labels: it.labels, table: it.table, headerRows: it.header.lines };
    case 'JSON':
      only(['character set']);
      return { type: 'json', codepage: it.codepage };
    case 'QVD':
      only([]);
      return { type: 'qvd' };
    default:
      return ts.fail(start, `unsupported file type ${type.toLowerCase()}`);
  }
}
