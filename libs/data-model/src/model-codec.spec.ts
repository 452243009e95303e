import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DataModelError, DataModelErrorCode } from './data-model.error';
import { dualCell } from './dual-cell';
import type { Cell, LoadedTable } from './loaded-table';
import { buildDataModel } from './model-builder';
import { decodeDataModel, encodeDataModel } from './model-codec';
import type { DataModel } from './model-types';
import { tablesAndKeys } from './tables-and-keys';
import { inline, loadResult } from './test-support/inline-table';
import { fullView } from './view';

const dualArb: fc.Arbitrary<Cell> = fc.tuple(fc.integer({ min: -5, max: 5 }), fc.string({ maxLength: 4 })).map(([n, t]) => dualCell(n, t));
const cellArb: fc.Arbitrary<Cell> = fc.oneof(fc.constant(null), fc.integer({ min: -1000, max: 1000 }), fc.double({ noNaN: true, noDefaultInfinity: true }), fc.string({ maxLength: 6 }), fc.constantFrom('007', 'ü€😀', '1e3'), dualArb);

const modelArb = fc
  .tuple(fc.integer({ min: 0, max: 12 }), fc.array(cellArb, { minLength: 36, maxLength: 36 }), fc.dictionary(fc.constantFrom('HidePrefix', '__proto__', 'vX'), fc.string({ maxLength: 4 })), fc.boolean())
  .map(([rows, cells, variables, withSecurity]) => {
    const col = (i: number) => Array.from({ length: rows }, (_, r) => cells[(i * 7 + r) % cells.length]!);
    const tables: LoadedTable[] = [
      { name: 'A', fields: ['K', 'X'], columns: [col(0), col(1)] },
      { name: 'B', fields: ['K', 'Y', 'Z'], columns: [col(2), col(3), col(4)] },
    ];
    const security: LoadedTable | null = withSecurity ? { name: 'SA', fields: ['ACCESS', 'USERID', 'X'], columns: [['USER', 'ADMIN'], ['D\\U', 1.5], [dualCell(1, 'one'), null]] } : null;
    return buildDataModel(loadResult(tables, security, variables));
  });

/** Everything observable of a model, as plain data. */
function snapshot(m: DataModel) {
  return {
    tables: m.tables.map((t) => ({ name: t.name, rowCount: t.rowCount, fieldIds: t.fieldIds, columns: t.columns.map((c) => [...c]) })),
    fields: m.fields.map((f) => ({
      name: f.name,
      tableIds: f.tableIds,
      isKey: f.isKey,
      isHidden: f.isHidden,
      texts: Array.from({ length: f.symbols.size }, (_, i) => f.symbols.text(i)),
      nums: [...f.symbols.nums].map((n) => (Number.isNaN(n) ? 'NaN' : n)),
    })),
    variables: Object.entries(m.variables),
    securityTable: m.securityTable,
    listing: tablesAndKeys(m, fullView(m)),
  };
}

const sample = () => encodeDataModel(buildDataModel(loadResult([inline('A', 'K, X\n1, a\n2, b\n3, ü'), inline('B', 'K, Y\n1, 10\n3, 30')], inline('SA', 'ACCESS, USERID\nUSER, D\\U'), { HidePrefix: '%' })));

function decodeOrTypedError(bytes: Uint8Array): void {
  try {
    decodeDataModel(bytes);
  } catch (err) {
    expect(err).toBeInstanceOf(DataModelError);
    expect((err as DataModelError).code).toBe(DataModelErrorCode.CORRUPT_PAYLOAD);
  }
}

describe('encodeDataModel / decodeDataModel', () => {
  it('round-trips every observable part of random models', () => {
    fc.assert(
      fc.property(modelArb, (m) => {
        const back = decodeDataModel(encodeDataModel(m));
        expect(snapshot(back)).toEqual(snapshot(m));
      }),
      { numRuns: 200 },
    );
  });

  it('decodes from a Uint8Array at any byte offset (e.g. a Buffer slice)', () => {
    const bytes = sample();
    const padded = new Uint8Array(bytes.length + 3);
    padded.set(bytes, 3);
    expect(snapshot(decodeDataModel(padded.subarray(3)))).toEqual(snapshot(decodeDataModel(bytes)));
  });

  it('every truncation is a CORRUPT_PAYLOAD error', () => {
    const bytes = sample();
    for (let n = 0; n < bytes.length; n++) {
      expect(() => decodeDataModel(bytes.subarray(0, n))).toThrow(expect.objectContaining({ code: DataModelErrorCode.CORRUPT_PAYLOAD }));
    }
  });

  it('random corruption never throws anything but the typed error, and never hangs', () => {
    const bytes = sample();
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.nat({ max: bytes.length - 1 }), fc.integer({ min: 0, max: 255 })), { minLength: 1, maxLength: 8 }), (flips) => {
        const copy = bytes.slice();
        for (const [at, v] of flips) copy[at] = v;
        const started = performance.now();
        decodeOrTypedError(copy);
        expect(performance.now() - started).toBeLessThan(1000);
      }),
      { numRuns: 2000 },
    );
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 300 }), (random) => decodeOrTypedError(random)),
      { numRuns: 1000 },
    );
  });

  it('huge counts in a tiny payload are refused before allocating', () => {
    const bytes = sample();
    const view = new DataView(bytes.buffer, bytes.byteOffset);
    view.setUint32(8, 0xffffffff, true); // number of variables
    expect(() => decodeDataModel(bytes)).toThrow(expect.objectContaining({ code: DataModelErrorCode.CORRUPT_PAYLOAD }));
    expect(() => decodeDataModel('nope' as unknown as Uint8Array)).toThrow(expect.objectContaining({ code: DataModelErrorCode.CORRUPT_PAYLOAD }));
  });
});
