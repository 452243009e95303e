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
 * a number, a string, or one frozen DualCell shared by every row that points at it.
 */
export function decodeSymbols(table: Uint8Array, count: number, field: string): QvdCell[] {
  const view = new DataView(table.buffer, table.byteOffset, table.byteLength);
  const chars = latin1.decode(table);
  const end = table.length;
  const symbols = new Array<QvdCell>(count);
  let p = 0;
  const text = (): string => {
    const start = p;
    let high = 0;
    while (p < end && table[p] !== 0) high |= table[p++]!;
    if (p >= end) fail(QvdErrorCode.Data, `field "${field}": a text symbol runs past the end of its symbol table`);
    const s = high < 0x80 ? chars.slice(start, p) : decodeUtf8(table.subarray(start, p), field);
    p++; // the NUL
    return s;
  };
  const need = (bytes: number): void => {
    if (p + bytes > end) fail(QvdErrorCode.Data, `field "${field}": a symbol runs past the end of its symbol table`);
  };
  for (let i = 0; i < count; i++) {
    need(1);
    const type = table[p++];
    switch (type) {
      case SYMBOL_INT:
        need(4);
        symbols[i] = view.getInt32(p, true);
        p += 4;
        break;
      case SYMBOL_DOUBLE:
        need(8);
        symbols[i] = finite(view.getFloat64(p, true), field);
        p += 8;
        break;
      case SYMBOL_TEXT:
        symbols[i] = text();
        break;
      case SYMBOL_DUAL_INT: {
        need(4);
        const num = view.getInt32(p, true);
        p += 4;
        symbols[i] = dualCell(num, text());
        break;
      }
      case SYMBOL_DUAL_DOUBLE: {
        need(8);
        const num = finite(view.getFloat64(p, true), field);
        p += 8;
        symbols[i] = dualCell(num, text());
        break;
      }
      default:
        fail(QvdErrorCode.Data, `field "${field}": unknown symbol type ${String(type)} at symbol ${i}`);
    }
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

// NaN and infinities have no place in the model (cells are finite numbers): refuse, do not guess.
function finite(n: number, field: string): number {
  if (!Number.isFinite(n)) fail(QvdErrorCode.Data, `field "${field}": a numeric symbol is not a finite number`);
  return n + 0;
}
