import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { INDEX_PADDING, packField, unpackField } from './bit-index';
import { dualCell, type QvdCell } from './qvd-cell';
import { columnCells, decodeQvd, decodeQvdCells } from './qvd-decoder';
import { encodeQvd, type QvdWriteTable } from './qvd-encoder';
import { QvdError, QvdErrorCode } from './qvd.error';
import { readQvdIndependently, type PeerValue } from './test-support/independent-qvd-reader';

const cellsOf = (bytes: Uint8Array): QvdCell[][] => decodeQvd(bytes).columns.map(columnCells);

/** What a cell must look like to the independent reader (kind as the format description names it). */
function expectedPeer(c: QvdCell): PeerValue {
  if (c === null) return null;
  if (typeof c === 'string') return { kind: 'text', text: c };
  if (typeof c === 'number') return { kind: Number.isInteger(c) && c >= -(2 ** 31) && c < 2 ** 31 ? 'int' : 'double', num: c };
  return { kind: 'dual', num: c.num, text: c.text };
}

const everyType: QvdWriteTable = {
  name: 'Every <type> & "quote"',
  fields: ['Int', 'Real', 'Date', 'Text', 'With nulls', 'Same', 'Field <&> "x"'],
  columns: [
    [0, -1, 2 ** 31 - 1, -(2 ** 31), 42, 42],
    [0.1, -1e300, 2 ** 40, 1.5, -0.000001, 12345678.9],
    [dualCell(45000, '2023-03-15'), dualCell(45000.5, '2023-03-15 12:00:00'), dualCell(-52593, '1756-01-01'), dualCell(45000, '2023-03-15'), dualCell(1, '1'), dualCell(2.5, '2,50')],
    ['', 'ascii', 'Ünïcødé', '日本語', 'emoji 🎉', `<&>"'`],
    [null, 7, null, 'x', dualCell(3, 'three'), null],
    ['only', 'only', 'only', 'only', 'only', 'only'],
    [1, '1', 1, '1', dualCell(1, '1'), dualCell(1, '01')],
  ],
};

describe('QVD codec round trip', () => {
  it('reads back every type it writes: integers, reals, dual dates, texts and nulls', () => {
    const bytes = encodeQvd(everyType);
    expect(cellsOf(bytes)).toEqual(everyType.columns);
    expect(decodeQvd(bytes).name).toBe(everyType.name);
    expect(decodeQvd(bytes).columns.map((c) => c.name)).toEqual(everyType.fields);
  });

  it('writes a file an independent reader (written from the format description) reads with the same types and values', () => {
    const peer = readQvdIndependently(encodeQvd(everyType));
    expect(peer.tableName).toBe(everyType.name);
    expect(peer.fields.map((f) => f.name)).toEqual(everyType.fields);
    const expected = everyType.columns[0]!.map((_, r) => everyType.columns.map((col) => expectedPeer(col[r]!)));
    expect(peer.rows).toEqual(expected);
  });

  it('stores nulls the way Qlik does (bias -2) and a one-valued field in zero bits', () => {
    const peer = readQvdIndependently(encodeQvd(everyType));
    const byName = new Map(peer.fields.map((f) => [f.name, f]));
    expect(byName.get('With nulls')).toMatchObject({ bias: -2 });
    expect(byName.get('Int')).toMatchObject({ bias: 0 });
    expect(byName.get('Same')).toMatchObject({ bias: 0, bitWidth: 0 });
  });

  it('tags fields as Qlik does ($numeric/$integer, $ascii/$text)', () => {
    const table: QvdWriteTable = { name: 'T', fields: ['I', 'R', 'A', 'U', 'M'], columns: [[1, 2], [1.5, 2], ['a', 'b'], ['a', 'ü'], [1, 'a']] };
    const tags = readQvdIndependently(encodeQvd(table)).fields.map((f) => f.tags);
    expect(tags).toEqual([['$numeric', '$integer'], ['$numeric'], ['$ascii', '$text'], ['$text'], []]);
  });

  it('handles a field with 70,000 distinct values (17-bit indexes across byte boundaries) and all-null fields', () => {
    const n = 70_000;
    const ids = Array.from({ length: n }, (_, i) => i * 3 - 1000);
    const names = Array.from({ length: n }, (_, i) => `name-${i % 5000}`);
    const empty = Array.from({ length: n }, () => null);
    const reals = Array.from({ length: n }, (_, i) => (i % 3 === 0 ? null : i / 7));
    const table: QvdWriteTable = { name: 'Big', fields: ['id', 'name', 'nothing', 'real'], columns: [ids, names, empty, reals] };
    const bytes = encodeQvd(table);
    expect(cellsOf(bytes)).toEqual(table.columns);
    expect(decodeQvdCells(bytes).columns).toEqual(table.columns);
    const peer = readQvdIndependently(bytes);
    expect(peer.rows[69_999]).toEqual([expectedPeer(ids[69_999]!), expectedPeer(names[69_999]!), null, expectedPeer(reals[69_999]!)]);
    expect(peer.fields[0]!.bitWidth).toBe(17);
  });

  it('decodeQvdCells gives the same cells as decodeQvd with columnCells; rows of one dual symbol share one frozen value', () => {
    const bytes = encodeQvd(everyType);
    const cells = decodeQvdCells(bytes);
    expect(cells.columns).toEqual(decodeQvd(bytes).columns.map(columnCells));
    expect(cells.fields).toEqual(everyType.fields);
    const date = cells.columns[everyType.fields.indexOf('Date')]!;
    expect(date.every((d) => d !== null && typeof d === 'object' && Object.isFrozen(d))).toBe(true);
    expect(date[3]).toBe(date[0]); // the same symbol (45000, '2023-03-15') in two rows: one value
  });

  it('keeps a table with no rows', () => {
    const bytes = encodeQvd({ name: 'E', fields: ['a', 'b'], columns: [[], []] });
    const t = decodeQvd(bytes);
    expect(t.rowCount).toBe(0);
    expect(t.columns.map((c) => c.name)).toEqual(['a', 'b']);
  });

  it('refuses what it cannot write: NaN, NUL in text, repeated field names, ragged columns', () => {
    const code = (t: QvdWriteTable) => {
      try {
        encodeQvd(t);
        return 'no error';
      } catch (e) {
        return e instanceof QvdError ? e.code : String(e);
      }
    };
    expect(code({ name: 'T', fields: ['a'], columns: [[Number.NaN]] })).toBe(QvdErrorCode.Encode);
    expect(code({ name: 'T', fields: ['a'], columns: [['a\0b']] })).toBe(QvdErrorCode.Encode);
    expect(code({ name: 'T', fields: ['a', 'a'], columns: [[1], [2]] })).toBe(QvdErrorCode.Encode);
    expect(code({ name: 'T', fields: ['a', 'b'], columns: [[1], [2, 3]] })).toBe(QvdErrorCode.Encode);
  });
});

/** The obviously-correct packing: the record as one BigInt. */
function referenceUnpack(index: Uint8Array, rows: number, recordBytes: number, offset: number, width: number): number[] {
  const out: number[] = [];
  for (let r = 0; r < rows; r++) {
    let record = 0n;
    for (let k = recordBytes - 1; k >= 0; k--) record = (record << 8n) | BigInt(index[r * recordBytes + k]!);
    out.push(Number((record >> BigInt(offset)) & ((1n << BigInt(width)) - 1n)));
  }
  return out;
}

describe('bit-packed index table', () => {
  it('packs and unpacks any field layout exactly as the BigInt reference reads it (incl. 5-byte spans)', () => {
    const layout = fc.record({
      widths: fc.array(fc.integer({ min: 0, max: 31 }), { minLength: 1, maxLength: 6 }),
      rows: fc.integer({ min: 0, max: 40 }),
      seed: fc.integer(),
    });
    fc.assert(fc.property(layout, ({ widths, rows, seed }) => {
      let offset = 3; // start off a byte boundary so shifts of every size occur
      const fields = widths.map((w) => {
        const f = { bitOffset: offset, bitWidth: w, bias: 0, noOfSymbols: 2 ** w };
        offset += w;
        return f;
      });
      const recordBytes = Math.ceil(offset / 8) + 1;
      let s = seed >>> 0;
      const next = () => (s = (Math.imul(s, 1103515245) + 12345) >>> 0);
      const values = fields.map((f) => Int32Array.from({ length: rows }, () => (f.bitWidth === 0 ? 0 : next() % 2 ** f.bitWidth)));
      const index = new Uint8Array(rows * recordBytes + INDEX_PADDING);
      fields.forEach((f, i) => packField(index, recordBytes, f, values[i]!));
      fields.forEach((f, i) => {
        expect(referenceUnpack(index, rows, recordBytes, f.bitOffset, f.bitWidth)).toEqual([...values[i]!]);
        const out = new Int32Array(rows);
        expect(unpackField(index, rows, recordBytes, f, out)).toBe(-1);
        expect([...out]).toEqual([...values[i]!]);
      });
    }), { numRuns: 300, seed: 17 });
  });

  it('reports the first row whose index points past the symbol table', () => {
    const index = new Uint8Array([0, 1, 3, 2, 0, 0, 0, 0, 0, 0, 0, 0]);
    const out = new Int32Array(4);
    expect(unpackField(index, 4, 1, { bitOffset: 0, bitWidth: 2, bias: 0, noOfSymbols: 3 }, out)).toBe(2);
  });
});
