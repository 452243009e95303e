import type { SourcePosition } from './load-script.error';
import type { FileFormat } from './file-format';
import { describe, type TokenStream } from './token-stream';

/** `delimiter is '<c>'`: one character; `'\t'` is the tab, as Qlik writes it. */
function delimiterValue(ts: TokenStream): string {
  ts.expectKeyword('IS', 'after DELIMITER');
  const t = ts.next();
  if (t.kind !== 'string') ts.fail(t, `expected a quoted delimiter such as ';', found ${describe(t)}`);
  const value = t.text === '\\t' ? '\t' : t.text;
  if (value.length !== 1 || value === '"' || value === '\n' || value === '\r') {
    ts.fail(t, `delimiter must be a single character other than a quote or line break, got '${t.text}'`);
  }
  return value;
}

/** Reads `( item, item … )` handing each item's first word to `onItem`. */
function itemList(ts: TokenStream, onItem: (word: string, at: SourcePosition) => void): void {
  ts.expectOp('(', 'to open the format specification');
  do {
    const t = ts.next();
    if (t.kind !== 'ident') ts.fail(t, `expected a format item, found ${describe(t)}`);
    onItem(t.text.toUpperCase(), t);
  } while (ts.acceptOp(','));
  ts.expectOp(')', 'to close the format specification');
}

/** `INLINE [ … ] (delimiter is ';')` — the only inline option of the subset. */
export function parseInlineOptions(ts: TokenStream): string {
  let delimiter: string | null = null;
  itemList(ts, (word, at) => {
    if (word !== 'DELIMITER' || delimiter !== null) ts.fail(at, `unsupported inline option ${word} (only "delimiter is 'c'")`);
    delimiter = delimiterValue(ts);
  });
  return delimiter ?? ',';
}

/**
 * `(txt, utf8, embedded labels, delimiter is ',' [, msq])` or `(json)`. Other Qlik options
 * (no labels, codepages, fixed record, …) are refused rather than guessed.
 */
export function parseFileFormat(ts: TokenStream): FileFormat {
  const start = ts.peek();
  const seen = new Set<string>();
  let delimiter = ',';
  itemList(ts, (word, at) => {
    if (seen.has(word)) ts.fail(at, `format item ${word} is given twice`);
    seen.add(word);
    switch (word) {
      case 'TXT':
      case 'JSON':
      case 'UTF8':
      case 'MSQ':
        return;
      case 'EMBEDDED':
        ts.expectKeyword('LABELS', 'after EMBEDDED');
        return;
      case 'DELIMITER':
        delimiter = delimiterValue(ts);
        return;
      default:
        ts.fail(at, `unsupported format item ${word} (supported: txt, utf8, embedded labels, delimiter is 'c', msq, json)`);
    }
  });
  if (seen.has('JSON')) {
    if (seen.size !== 1) ts.fail(start, '(json) takes no other format items');
    return { type: 'json' };
  }
  if (!seen.has('TXT')) ts.fail(start, 'format specification needs txt (delimited text) or json');
  if (!seen.has('EMBEDDED')) ts.fail(start, "text files need 'embedded labels' (the first line holds the field names)");
  return { type: 'csv', delimiter, msq: seen.has('MSQ') };
}
