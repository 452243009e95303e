import { dualCell, type QvdCell } from './qvd-cell';
import { fail, QvdErrorCode } from './qvd.error';

/** Symbol type bytes (the first byte of every symbol). */
export const SYMBOL_INT = 1;
export const SYMBOL_DOUBLE = 2;
export const SYMBOL_TEXT = 4;
export const SYMBOL_DUAL_INT = 5;
export const SYMBOL_DUAL_DOUBLE = 6;

const utf8 = new TextDecoder('utf-8', { fatal: true });
// One byte per character, so character offsets in the decoded table equal byte offsets: an ASCII
// text symbol is then a slice of one string per table instead of a decoder call per symbol.
const latin1 = new TextDecoder('latin1');

/**
 * Decodes one field's symbol table (`count` symbols in `table`). Each symbol becomes one value:
 * a number, a string, or one frozen DualCell shared by every row that points at it. One flat
 * loop, no closure per symbol; the one-byte view of the table is only made when a text appears.
 */
export function decodeSymbols(table: Uint8Array, count: number, field: string): QvdCell[] {
  const view = new DataView(table.buffer, table.byteOffset, table.byteLength);
  const end = table.length;
  const symbols = new Array<QvdCell>(count);
  let chars: string | null = null;
  let p = 0;
  for (let i = 0; i < count; i++) {
    if (p >= end) fail(QvdErrorCode.Data, `field "${field}": the symbol table ends after ${i} of ${count} symbols`);
    const type = table[p++]!;
    let num = 0;
    if (type === SYMBOL_INT || type === SYMBOL_DUAL_INT) {
      if (p + 4 > end) fail(QvdErrorCode.Data, `field "${field}": a symbol runs past the end of its symbol table`);
      num = view.getInt32(p, true);
      p += 4;
      if (type === SYMBOL_INT) {
        symbols[i] = num;
        continue;
      }
    } else if (type === SYMBOL_DOUBLE || type === SYMBOL_DUAL_DOUBLE) {
      if (p + 8 > end) fail(QvdErrorCode.Data, `field "${field}": a symbol runs past the end of its symbol table`);
      num = view.getFloat64(p, true);
      p += 8;
      if (!Number.isFinite(num)) fail(QvdErrorCode.Data, `field "${field}": a numeric symbol is not a finite number`);
      num += 0; // -0 is 0 in the model
      if (type === SYMBOL_DOUBLE) {
        symbols[i] = num;
        continue;
      }
    } else if (type !== SYMBOL_TEXT) {
      fail(QvdErrorCode.Data, `field "${field}": unknown symbol type ${type} at symbol ${i}`);
    }
    const start = p;
    let high = 0;
    while (p < end && table[p] !== 0) high |= table[p++]!;
    if (p >= end) fail(QvdErrorCode.Data, `field "${field}": a text symbol runs past the end of its symbol table`);
    let text: string;
    if (high < 0x80) {
      chars ??= latin1.decode(table);
      text = chars.slice(start, p);
    } else text = decodeUtf8(table.subarray(start, p), field);
    p++; // the NUL
    symbols[i] = type === SYMBOL_TEXT ? text : dualCell(num, text);
  }
  if (p !== end) fail(QvdErrorCode.Data, `field "${field}": symbol table is ${end} bytes but its ${count} symbols use ${p}`);
  return symbols;
}

function decodeUtf8(bytes: Uint8Array, field: string): string {
  try {
    return utf8.decode(bytes);
  } catch {
    return fail(QvdErrorCode.Data, `field "${field}": a text symbol is not valid UTF-8`);
  }
}
