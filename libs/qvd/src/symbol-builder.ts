import { NumberIndex } from './number-index';
import { isDualCell, type DualCell, type QvdCell } from './qvd-cell';
import { fail, QvdErrorCode } from './qvd.error';
import { SYMBOL_DOUBLE, SYMBOL_DUAL_DOUBLE, SYMBOL_DUAL_INT, SYMBOL_INT, SYMBOL_TEXT } from './symbol-table';

const isInt32 = (n: number): boolean => (n | 0) === n && !Object.is(n, -0);

function utf8Length(s: string): number {
  let bytes = s.length;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 0x80) continue;
    if (c < 0x800) bytes += 1;
    else if (c >= 0xd800 && c <= 0xdbff && i + 1 < s.length) {
      bytes += 2; // a surrogate pair: 2 units, 4 bytes
      i++;
    } else bytes += 2;
  }
  return bytes;
}

/**
 * The distinct values of one column in first-seen order, each with the index rows point at.
 * Values are found by type-specific maps (numbers, texts, duals by text), so a lookup allocates
 * nothing; only a new distinct value adds an entry. A text `"1"` and the number 1 are different
 * symbols, as they are in Qlik.
 */
export class SymbolBuilder {
  readonly symbols: QvdCell[] = [];
  /** Bytes the symbol table will take. */
  bytes = 0;
  hasNull = false;
  allNumeric = true;
  allInteger = true;
  allText = true;
  allAscii = true;
  private readonly numbers = new NumberIndex();
  private readonly texts = new Map<string, number>();
  private readonly duals = new Map<string, number>();
  /** Duals whose text was already taken by a dual with another number (rare: keyed by both). */
  private readonly dualPairs = new Map<string, number>();

  constructor(private readonly field: string) {}

  indexOf(cell: QvdCell): number {
    if (cell === null) {
      this.hasNull = true;
      return -1;
    }
    if (typeof cell === 'number') {
      const i = this.numbers.get(cell + 0);
      return i >= 0 ? i : this.addNumber(cell + 0);
    }
    if (typeof cell === 'string') return this.texts.get(cell) ?? this.addText(cell);
    if (!isDualCell(cell)) fail(QvdErrorCode.Encode, `field "${this.field}": a cell is not a number, text, dual or null`);
    const i = this.duals.get(cell.text);
    if (i !== undefined && (this.symbols[i] as DualCell).num === cell.num) return i;
    return this.addDual(cell, i !== undefined);
  }

  private push(cell: QvdCell, bytes: number): number {
    this.symbols.push(cell);
    this.bytes += bytes;
    return this.symbols.length - 1;
  }

  /** `remember` false: the caller keeps its own lookup (dense integer columns) and none is needed here. */
  addNumber(n: number, remember = true): number {
    if (!Number.isFinite(n)) fail(QvdErrorCode.Encode, `field "${this.field}": numbers must be finite`);
    this.allText = false;
    const int = isInt32(n);
    if (!int) this.allInteger = false;
    const i = this.push(n, int ? 5 : 9);
    if (remember) this.numbers.set(n, i);
    return i;
  }

  private addText(s: string): number {
    this.allNumeric = false;
    this.allInteger = false;
    const length = utf8Length(s);
    if (length !== s.length) this.allAscii = false;
    if (s.includes('\0')) fail(QvdErrorCode.Encode, `field "${this.field}": texts cannot contain NUL characters`);
    const i = this.push(s, 2 + length);
    this.texts.set(s, i);
    return i;
  }

  private addDual(d: DualCell, textTaken: boolean): number {
    const pairKey = `${d.num}\u0000${d.text}`;
    if (textTaken) {
      const j = this.dualPairs.get(pairKey);
      if (j !== undefined) return j;
    }
    if (!Number.isFinite(d.num)) fail(QvdErrorCode.Encode, `field "${this.field}": dual numbers must be finite`);
    if (d.text.includes('\0')) fail(QvdErrorCode.Encode, `field "${this.field}": texts cannot contain NUL characters`);
    this.allText = false;
    const int = isInt32(d.num);
    if (!int) this.allInteger = false;
    const i = this.push(d, (int ? 5 : 9) + 1 + utf8Length(d.text));
    if (textTaken) this.dualPairs.set(pairKey, i);
    else this.duals.set(d.text, i);
    return i;
  }

  /** Qlik's field tags for what the column holds. */
  tags(): string[] {
    if (this.symbols.length === 0) return [];
    if (this.allNumeric) return this.allInteger ? ['$numeric', '$integer'] : ['$numeric'];
    if (this.allText) return this.allAscii ? ['$ascii', '$text'] : ['$text'];
    return [];
  }
}

const encoder = new TextEncoder();

/** Writes the symbols into `out` from `at`; returns the end offset. */
export function writeSymbols(symbols: readonly QvdCell[], out: Uint8Array, view: DataView, at: number): number {
  let p = at;
  const text = (s: string): void => {
    p += encoder.encodeInto(s, out.subarray(p)).written;
    out[p++] = 0;
  };
  for (const s of symbols) {
    if (typeof s === 'number') {
      if (isInt32(s)) {
        out[p] = SYMBOL_INT;
        view.setInt32(p + 1, s, true);
        p += 5;
      } else {
        out[p] = SYMBOL_DOUBLE;
        view.setFloat64(p + 1, s, true);
        p += 9;
      }
    } else if (typeof s === 'string') {
      out[p++] = SYMBOL_TEXT;
      text(s);
    } else if (s !== null) {
      if (isInt32(s.num)) {
        out[p] = SYMBOL_DUAL_INT;
        view.setInt32(p + 1, s.num, true);
        p += 5;
      } else {
        out[p] = SYMBOL_DUAL_DOUBLE;
        view.setFloat64(p + 1, s.num, true);
        p += 9;
      }
      text(s.text);
    }
  }
  return p;
}
