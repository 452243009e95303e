import { bitWidthFor, packField } from './bit-index';
import type { QvdCell } from './qvd-cell';
import { DEFAULT_NUMBER_FORMAT, headerXml, type QvdFieldHeader, type QvdHeader } from './qvd-header';
import { fail, QvdErrorCode } from './qvd.error';
import { SymbolBuilder, writeSymbols } from './symbol-builder';

export interface QvdWriteTable {
  name: string;
  fields: readonly string[];
  /** columns[f][r] */
  columns: readonly (readonly QvdCell[])[];
}

export interface QvdWriteOptions {
  /** CreateUtcTime in the header (default: now). */
  createdAt?: Date;
  /** CreatorDoc in the header (Qlik writes the app id). */
  creatorDoc?: string;
}

/**
 * Qlik reads the build number to know which writer made the file; we claim a recent Qlik Sense
 * build's layout (the one this writer follows) rather than an old one with different rules.
 */
const QV_BUILD_NO = '50689';

/** Integer columns over a range this small find their symbols in a typed array instead of a Map. */
const MAX_DENSE_RANGE = 1 << 24;

/**
 * Ids, counts and other integer columns: one pass for the range, then a slot per possible value
 * (0 = not seen yet, else symbol index + 1). Returns false, having changed nothing, when the
 * column holds anything but integers and nulls or spans too wide a range.
 */
function denseIntegerIndexes(column: readonly QvdCell[], builder: SymbolBuilder, out: Int32Array): boolean {
  let min = Number.POSITIVE_INFINITY;
  let max = Number.NEGATIVE_INFINITY;
  for (let r = 0; r < column.length; r++) {
    const c = column[r];
    if (c === null) continue;
    if (typeof c !== 'number' || (c | 0) !== c) return false;
    if (c < min) min = c;
    if (c > max) max = c;
  }
  if (min > max || !(max - min < MAX_DENSE_RANGE)) return false;
  const slots = new Int32Array(max - min + 1);
  for (let r = 0; r < column.length; r++) {
    const c = column[r] as number | null;
    if (c === null) {
      out[r] = builder.indexOf(null);
      continue;
    }
    let slot = slots[c - min]!;
    if (slot === 0) slots[c - min] = slot = builder.addNumber(c + 0, false) + 1;
    out[r] = slot - 1;
  }
  return true;
}

const utcTime = (d: Date): string => d.toISOString().slice(0, 19).replace('T', ' ');

/**
 * Writes a table as a QVD: the XML header, one symbol table per field (distinct values in
 * first-seen order), then the index table. Fields with nulls get Bias -2 (stored 0 is null), as
 * Qlik writes them; a field with one value and no null takes no bits at all.
 */
export function encodeQvd(table: QvdWriteTable, options: QvdWriteOptions = {}): Uint8Array {
  const { fields, columns } = table;
  if (fields.length === 0) fail(QvdErrorCode.Encode, 'a QVD needs at least one field');
  if (columns.length !== fields.length) fail(QvdErrorCode.Encode, `${fields.length} fields but ${columns.length} columns`);
  const rows = columns[0]!.length;
  const seen = new Set<string>();
  for (const [f, name] of fields.entries()) {
    if (name === '' || seen.has(name)) fail(QvdErrorCode.Encode, `field name ${JSON.stringify(name)} is empty or repeated`);
    seen.add(name);
    if (columns[f]!.length !== rows) fail(QvdErrorCode.Encode, `field "${name}" has ${columns[f]!.length} rows, the first field ${rows}`);
  }

  const builders = fields.map((name) => new SymbolBuilder(name));
  const indexes = columns.map((column, f) => {
    const builder = builders[f]!;
    const out = new Int32Array(rows);
    if (!denseIntegerIndexes(column, builder, out)) for (let r = 0; r < rows; r++) out[r] = builder.indexOf(column[r]!);
    return out;
  });

  let bitOffset = 0;
  let symbolOffset = 0;
  const headers: QvdFieldHeader[] = builders.map((b, f) => {
    const bitWidth = bitWidthFor(b.symbols.length, b.hasNull);
    const h: QvdFieldHeader = {
      name: fields[f]!, bitOffset, bitWidth, bias: b.hasNull ? -2 : 0, noOfSymbols: b.symbols.length,
      offset: symbolOffset, length: b.bytes, numberFormat: { ...DEFAULT_NUMBER_FORMAT }, tags: b.tags(), comment: '',
    };
    bitOffset += bitWidth;
    symbolOffset += b.bytes;
    return h;
  });
  const recordByteSize = (bitOffset + 7) >>> 3;
  const header: QvdHeader = {
    tableName: table.name, fields: headers, recordByteSize, noOfRecords: rows, offset: symbolOffset, length: rows * recordByteSize,
    qvBuildNo: QV_BUILD_NO, createUtcTime: utcTime(options.createdAt ?? new Date()), creatorDoc: options.creatorDoc ?? '',
  };
  const head = new TextEncoder().encode(headerXml(header));
  const bodyAt = head.length + 1; // the NUL that ends the header
  const out = new Uint8Array(bodyAt + symbolOffset + header.length);
  out.set(head, 0);
  const view = new DataView(out.buffer);
  let p = bodyAt;
  for (const b of builders) p = writeSymbols(b.symbols, out, view, p);
  if (p !== bodyAt + symbolOffset) throw new Error('QVD symbol size mismatch'); // an encoder bug, not bad input
  const index = out.subarray(p);
  headers.forEach((h, f) => packField(index, recordByteSize, h, indexes[f]!));
  return out;
}
