import { INDEX_PADDING, unpackCells, unpackField } from './bit-index';
import type { QvdCell } from './qvd-cell';
import { parseHeaderXml, type QvdFieldHeader, type QvdHeader } from './qvd-header';
import { fail, QvdErrorCode } from './qvd.error';
import { decodeSymbols } from './symbol-table';

export interface QvdReadOptions {
  /** Rows beyond this are refused before anything is allocated for them. */
  maxRows?: number;
  /** Bytes the XML header may take (lineage can make it long, but not unbounded). */
  maxHeaderBytes?: number;
}

/** One field: its distinct values and, per row, the index of the row's value (-1 = null). */
export interface QvdColumn {
  name: string;
  symbols: QvdCell[];
  indexes: Int32Array;
  header: QvdFieldHeader;
}

export interface QvdTable {
  name: string;
  rowCount: number;
  columns: QvdColumn[];
  header: QvdHeader;
}

export const DEFAULT_MAX_HEADER_BYTES = 32 * 1024 * 1024;
const END_TAG = new TextEncoder().encode('</QvdTableHeader>');
const utf8 = new TextDecoder('utf-8', { fatal: true });

function findEndTag(bytes: Uint8Array, limit: number): number {
  const last = Math.min(bytes.length, limit) - END_TAG.length;
  outer: for (let i = 0; i <= last; i++) {
    if (bytes[i] !== 0x3c) continue;
    for (let k = 1; k < END_TAG.length; k++) if (bytes[i + k] !== END_TAG[k]) continue outer;
    return i;
  }
  return -1;
}

/** Where the body starts: after the closing tag, its line break and the NUL that ends the header. */
function bodyStart(bytes: Uint8Array, endTag: number): number {
  let p = endTag + END_TAG.length;
  while (bytes[p] === 0x0d || bytes[p] === 0x0a) p++;
  if (bytes[p] === 0) p++;
  return p;
}

/**
 * Reads a QVD file held in memory: the XML header, every field's symbol table and the bit-packed
 * index table. Everything the header claims is checked against the bytes before it is used
 * (offsets inside the body, lengths, widths, record size, symbol counts, every row's index), so a
 * damaged or hostile file is refused with a QvdError naming the problem, never half-read.
 */
export function decodeQvd(bytes: Uint8Array, options: QvdReadOptions = {}): QvdTable {
  const { header, body, index } = openQvd(bytes, options);
  const rows = header.noOfRecords;
  const columns = header.fields.map((f): QvdColumn => {
    const symbols = decodeSymbols(body.subarray(f.offset, f.offset + f.length), f.noOfSymbols, f.name);
    const indexes = new Int32Array(rows);
    const bad = unpackField(index, rows, header.recordByteSize, f, indexes);
    if (bad >= 0) fail(QvdErrorCode.Data, `field "${f.name}": row ${bad + 1} points past its ${f.noOfSymbols} symbols`);
    return { name: f.name, symbols, indexes, header: f };
  });
  return { name: header.tableName, rowCount: rows, columns, header };
}

export interface QvdCellTable {
  name: string;
  fields: string[];
  /** columns[f][r]; every row of a symbol shares the symbol's value (a dual is one frozen object). */
  columns: QvdCell[][];
}

/**
 * decodeQvd for readers that want one value per row (the LOAD path, Qlik's optimized load): each
 * field's symbols are decoded once and its rows unpacked from the bit-stuffed index straight into
 * the cell array, with no index array in between. Fields of numbers without nulls and all other
 * fields go through separate loops, so each loop sees one kind of array and stays monomorphic.
 */
export function decodeQvdCells(bytes: Uint8Array, options: QvdReadOptions = {}): QvdCellTable {
  const { header, body, index } = openQvd(bytes, options);
  const rows = header.noOfRecords;
  const view = new DataView(index.buffer, index.byteOffset, index.byteLength);
  const columns = header.fields.map((f): QvdCell[] => {
    const symbols = decodeSymbols(body.subarray(f.offset, f.offset + f.length), f.noOfSymbols, f.name);
    const out = new Array<QvdCell>(rows);
    let bad: number;
    if (!isNarrow(f)) {
      // Rare layouts (zero width, a 32-bit index, or one spanning five bytes): the general unpacker.
      if (rows > 0) out[0] = null;
      bad = unpackCells(index, rows, header.recordByteSize, f, symbols, out);
    } else if (f.bias >= 0 && allNumbers(symbols)) {
      bad = gatherNumbers(view, rows, header.recordByteSize, f, symbols as number[], out as number[]);
    } else {
      // A generic array before the first number lands, not one V8 re-boxes when a text arrives.
      if (rows > 0) out[0] = null;
      bad = gatherCells(view, rows, header.recordByteSize, f, symbols, out);
    }
    if (bad >= 0) fail(QvdErrorCode.Data, `field "${f.name}": row ${bad + 1} points past its ${f.noOfSymbols} symbols`);
    return out;
  });
  return { name: header.tableName, fields: header.fields.map((f) => f.name), columns };
}

/** The field's stored value lies inside the little-endian 32-bit word at its first byte. */
const isNarrow = (f: QvdFieldHeader): boolean => f.bitWidth > 0 && f.bitWidth < 32 && (f.bitOffset & 7) + f.bitWidth <= 32;

function allNumbers(symbols: readonly QvdCell[]): boolean {
  for (let i = 0; i < symbols.length; i++) if (typeof symbols[i] !== 'number') return false;
  return true;
}

/** Rows of a numeric field without nulls (bias ≥ 0); the first row past the symbols, or -1. */
function gatherNumbers(view: DataView, rows: number, recordBytes: number, f: QvdFieldHeader, symbols: readonly number[], out: number[]): number {
  const shift = f.bitOffset & 7;
  const mask = (1 << f.bitWidth) - 1;
  const { bias } = f;
  const n = symbols.length;
  for (let r = 0, p = f.bitOffset >>> 3; r < rows; r++, p += recordBytes) {
    const idx = ((view.getUint32(p, true) >>> shift) & mask) + bias;
    if (idx >= n) return r;
    out[r] = symbols[idx]!;
  }
  return -1;
}

/** Rows of any field (texts, duals, nulls); the first row past the symbols, or -1. */
function gatherCells(view: DataView, rows: number, recordBytes: number, f: QvdFieldHeader, symbols: readonly QvdCell[], out: QvdCell[]): number {
  const shift = f.bitOffset & 7;
  const mask = (1 << f.bitWidth) - 1;
  const { bias } = f;
  const n = symbols.length;
  for (let r = 0, p = f.bitOffset >>> 3; r < rows; r++, p += recordBytes) {
    const idx = ((view.getUint32(p, true) >>> shift) & mask) + bias;
    if (idx < 0) out[r] = null;
    else if (idx < n) out[r] = symbols[idx]!;
    else return r;
  }
  return -1;
}

/** The checked header, the body and a padded copy of the index table, or a QvdError. */
function openQvd(bytes: Uint8Array, options: QvdReadOptions): { header: QvdHeader; body: Uint8Array; index: Uint8Array } {
  const maxHeader = options.maxHeaderBytes ?? DEFAULT_MAX_HEADER_BYTES;
  const endTag = findEndTag(bytes, maxHeader);
  if (endTag < 0) {
    const looksXml = bytes.length >= 5 && String.fromCharCode(...bytes.subarray(0, 5)) === '<?xml';
    fail(looksXml && bytes.length > maxHeader ? QvdErrorCode.Limit : QvdErrorCode.Header,
      looksXml ? `no </QvdTableHeader> within the first ${Math.min(bytes.length, maxHeader)} bytes` : 'not a QVD file (no XML table header)');
  }
  let xml: string;
  try {
    xml = utf8.decode(bytes.subarray(0, endTag + END_TAG.length)).replace(/^\uFEFF/, '');
  } catch {
    fail(QvdErrorCode.Header, 'the QVD header is not valid UTF-8');
  }
  const header = parseHeaderXml(xml);
  const body = bytes.subarray(bodyStart(bytes, endTag));
  checkLayout(header, body.length, options.maxRows);
  const index = new Uint8Array(header.length + INDEX_PADDING);
  index.set(body.subarray(header.offset, header.offset + header.length));
  return { header, body, index };
}

function checkLayout(h: QvdHeader, bodyLength: number, maxRows = Number.MAX_SAFE_INTEGER): void {
  if (h.noOfRecords > maxRows) fail(QvdErrorCode.Limit, `the QVD has ${h.noOfRecords} rows, more than the limit of ${maxRows}`);
  if (h.fields.length === 0) fail(QvdErrorCode.Layout, 'the QVD has no fields');
  if (h.noOfRecords * h.recordByteSize !== h.length) {
    fail(QvdErrorCode.Layout, `index table length ${h.length} is not NoOfRecords × RecordByteSize (${h.noOfRecords} × ${h.recordByteSize})`);
  }
  if (h.offset + h.length > bodyLength) fail(QvdErrorCode.Layout, `the index table (${h.offset}+${h.length}) ends past the file (${bodyLength} body bytes)`);
  const names = new Set<string>();
  const recordBits = h.recordByteSize * 8;
  for (const f of h.fields) {
    if (names.has(f.name)) fail(QvdErrorCode.Layout, `field "${f.name}" appears twice`);
    names.add(f.name);
    if (f.offset + f.length > bodyLength) fail(QvdErrorCode.Layout, `field "${f.name}": symbol table (${f.offset}+${f.length}) ends past the file`);
    if (f.offset < h.offset + h.length && h.offset < f.offset + f.length && f.length > 0 && h.length > 0) {
      fail(QvdErrorCode.Layout, `field "${f.name}": symbol table overlaps the index table`);
    }
    // Every symbol takes at least two bytes (type byte + payload or NUL): a count beyond that is a lie
    // that would only serve to make us allocate.
    if (f.noOfSymbols * 2 > f.length) fail(QvdErrorCode.Layout, `field "${f.name}": ${f.noOfSymbols} symbols cannot fit in ${f.length} bytes`);
    if (f.bitWidth > 0 && f.bitOffset + f.bitWidth > recordBits) {
      fail(QvdErrorCode.Layout, `field "${f.name}": bits ${f.bitOffset}–${f.bitOffset + f.bitWidth - 1} lie outside the ${h.recordByteSize}-byte record`);
    }
  }
}

/** The column as one cell per row; every row of a symbol shares the symbol's value (no copies). */
export function columnCells(column: Pick<QvdColumn, 'symbols' | 'indexes'>): QvdCell[] {
  const { symbols, indexes } = column;
  const n = indexes.length;
  const out = new Array<QvdCell>(n);
  // A column that will hold nulls, texts or duals is made a generic array before the first number
  // lands in it: otherwise V8 would keep numbers unboxed until the first null and then box them all.
  if (n > 0 && (!symbols.every((s) => typeof s === 'number') || indexes.includes(-1))) out[0] = null;
  for (let r = 0; r < n; r++) {
    const i = indexes[r]!;
    out[r] = i < 0 ? null : symbols[i]!;
  }
  return out;
}
