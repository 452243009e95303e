import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { computeState } from './associative-state';
import { DataModelErrorCode } from './data-model.error';
import { dualCell } from './dual-cell';
import { fieldNames, listValues } from './field-queries';
import { hypercube } from './hypercube';
import type { LoadedTable } from './loaded-table';
import { buildDataModel } from './model-builder';
import { DATA_MODEL_FORMAT_VERSION, decodeDataModel, encodeDataModel } from './model-codec';
import type { DataModel } from './model-types';
import { SelectionState } from './selection-state';
import { loadResult } from './test-support/inline-table';
import { fullView } from './view';

const field = (m: DataModel, name: string) => m.fields[m.fieldByName.get(name)!]!;
const symbols = (m: DataModel, name: string) => {
  const f = field(m, name);
  return Array.from({ length: f.symbols.size }, (_, i) => [f.symbols.text(i), f.symbols.num(i)]);
};

describe('dual cells in the data model', () => {
  const jan15 = dualCell(45306, '1/15/2024');
  const table: LoadedTable = {
    name: 'T',
    fields: ['D', 'M'],
    columns: [[jan15, dualCell(45307, '1/16/2024'), dualCell(45306, '2024-01-15'), null], [dualCell(1, 'Jan'), dualCell(2, 'Feb'), 1, 'x']],
  };

  it('become one symbol per number with the first text loaded for it (Qlik: first spelling wins)', () => {
    const m = buildDataModel(loadResult([table]));
    expect(symbols(m, 'D')).toEqual([['1/15/2024', 45306], ['1/16/2024', 45307]]);
    expect(field(m, 'D').symbols.nums.length).toBe(2);
    // A plain number equal to a dual's number is the same value: it shows the dual's text.
    expect(symbols(m, 'M')).toEqual([['Jan', 1], ['Feb', 2], ['x', NaN]]);
    expect(m.tables[0]!.columns[1]).toEqual(Int32Array.from([0, 1, 0, 2]));
  });

  it('reach QIX as qText (the text) and qNum (the number)', () => {
    const m = buildDataModel(loadResult([table]));
    expect(fieldNames(m, fullView(m))).toContain('D');
    const view = fullView(m);
    const page = listValues(m, view, computeState(m, view, SelectionState.empty()), 'D', { top: 0, height: 10 });
    expect(page.values.map((v) => [v.qText, v.qNum])).toEqual([['1/15/2024', 45306], ['1/16/2024', 45307]]);
  });

  it('sort by number in a hypercube (1/9 before 1/10, unlike their texts) and aggregate as numbers', () => {
    const t: LoadedTable = {
      name: 'S',
      fields: ['Day', 'Amount'],
      columns: [[dualCell(45301, '1/10/2024'), dualCell(45300, '1/9/2024'), dualCell(45301, '1/10/2024')], [dualCell(5, '$5.00'), 1, 2]],
    };
    const m = buildDataModel(loadResult([t]));
    const view = fullView(m);
    const cube = hypercube(m, view, computeState(m, view, SelectionState.empty()), { dimensions: ['Day'], measures: ['Sum(Amount)'], pages: [{ top: 0, left: 0, height: 10, width: 2 }] });
    expect(cube.pages[0]!.matrix.map((row) => row.map((c) => [c.qText, c.qNum]))).toEqual([
      [['1/9/2024', 45300], ['1', 1]],
      [['1/10/2024', 45301], ['7', 7]],
    ]);
  });

  it('refuses a dual whose number is not finite', () => {
    const bad: LoadedTable = { name: 'T', fields: ['D'], columns: [[{ num: Number.NaN, text: 'x' }]] };
    expect(() => buildDataModel(loadResult([bad]))).toThrow(expect.objectContaining({ code: DataModelErrorCode.INVALID_INPUT }));
  });

  it('round-trip through the app payload, also inside the security table', () => {
    const security: LoadedTable = { name: 'SA', fields: ['ACCESS', 'USERID', 'D'], columns: [['USER'], ['D\\U'], [jan15]] };
    const m = buildDataModel(loadResult([table], security));
    const back = decodeDataModel(encodeDataModel(m));
    expect(symbols(back, 'D')).toEqual(symbols(m, 'D'));
    expect(back.securityTable).toEqual(security);
  });
});

describe('app payload format versions', () => {
  it('writes the current version', () => {
    const bytes = encodeDataModel(buildDataModel(loadResult([table1()])));
    expect(new DataView(bytes.buffer, bytes.byteOffset).getUint32(4, true)).toBe(DATA_MODEL_FORMAT_VERSION);
    expect(DATA_MODEL_FORMAT_VERSION).toBe(2);
  });

  it('still reads a version 1 payload written by the release before dual cells', () => {
    // Written by main at 08a2413 (before this change), see test-support/fixtures.
    const b64 = readFileSync(new URL('./test-support/fixtures/model-format-v1.b64', import.meta.url), 'utf8');
    const bytes = new Uint8Array(Buffer.from(b64, 'base64'));
    expect(new DataView(bytes.buffer, bytes.byteOffset).getUint32(4, true)).toBe(1);
    const m = decodeDataModel(bytes);
    expect(m.variables).toEqual({ HidePrefix: '%' });
    expect(m.securityTable).toEqual({ name: 'SA', fields: ['ACCESS', 'USERID', 'REGION'], columns: [['ADMIN', 'USER'], ['D\\ROOT', 'D\\ALICE'], [null, 'EAST']] });
    expect(symbols(m, 'AMOUNT')).toEqual([['10.5', 10.5], ['20', 20], ['007', 7]]);
  });

  it('refuses a dual tag in a version 1 payload and unknown versions', () => {
    const m = buildDataModel(loadResult([table1()], { name: 'SA', fields: ['ACCESS', 'X'], columns: [['USER'], [dualCell(1, 'one')]] }));
    const bytes = encodeDataModel(m);
    const v = new DataView(bytes.buffer, bytes.byteOffset);
    v.setUint32(4, 1, true);
    expect(() => decodeDataModel(bytes)).toThrow(expect.objectContaining({ code: DataModelErrorCode.CORRUPT_PAYLOAD }));
    v.setUint32(4, 3, true);
    expect(() => decodeDataModel(bytes)).toThrow(expect.objectContaining({ code: DataModelErrorCode.CORRUPT_PAYLOAD }));
  });
});

function table1(): LoadedTable {
  return { name: 'T', fields: ['X'], columns: [[1]] };
}
