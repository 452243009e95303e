import { describe, expect, it } from 'vitest';
import { DataModelErrorCode } from './data-model.error';
import { fieldDescription, fieldNames } from './field-queries';
import { buildDataModel } from './model-builder';
import { tablesAndKeys } from './tables-and-keys';
import { inline, loadResult } from './test-support/inline-table';
import { fullView } from './view';

describe('buildDataModel', () => {
  it('keeps one symbol table per field name, so equal values in two tables share a symbol index', () => {
    const m = buildDataModel(loadResult([inline('A', 'K, X\nk1, 1\nk2, 2'), inline('B', 'K, Y\nk2, a\nk3, b\nk1, c')]));
    const k = m.fieldByName.get('K')!;
    const a = m.tables[m.tableByName.get('A')!]!.columnByField.get(k)!;
    const b = m.tables[m.tableByName.get('B')!]!.columnByField.get(k)!;
    expect(m.fields[k]!.symbols.size).toBe(3);
    expect(b[0]).toBe(a[1]); // k2
    expect(b[2]).toBe(a[0]); // k1
    expect(m.fields[k]!.isKey).toBe(true);
    expect(m.fields[m.fieldByName.get('X')!]!.isKey).toBe(false);
  });

  it('a numeric text keeps its spelling as text and its number; spellings of one number are one value', () => {
    const m = buildDataModel(loadResult([inline('A', 'ID\n007\n7\n7.50\nabc'), { name: 'B', fields: ['ID', 'Z'], columns: [[7.5, 8], ['x', 'y']] }]));
    const f = m.fields[m.fieldByName.get('ID')!]!;
    expect(f.symbols.size).toBe(4); // 007≡7, 7.50≡7.5, abc, 8
    expect([f.symbols.text(0), f.symbols.num(0)]).toEqual(['007', 7]);
    expect([f.symbols.text(1), f.symbols.num(1)]).toEqual(['7.50', 7.5]);
    expect(Number.isNaN(f.symbols.num(2))).toBe(true);
    expect([f.symbols.text(3), f.symbols.num(3)]).toEqual(['8', 8]);
    expect(f.isNumeric).toBe(false);
  });

  it('long numeric-looking ids stay distinct values', () => {
    const m = buildDataModel(loadResult([inline('A', 'ID\n12345678901234567890\n12345678901234567891')]));
    expect(m.fields[0]!.symbols.size).toBe(2);
  });

  it('nulls are -1 row pointers and empty strings count as null', () => {
    const m = buildDataModel(loadResult([{ name: 'A', fields: ['X'], columns: [[null, '', 'v']] }]));
    expect([...m.tables[0]!.columns[0]!]).toEqual([-1, -1, 0]);
  });

  it('two tables sharing two fields ask for a composite key', () => {
    expect(() => buildDataModel(loadResult([inline('A', 'K1, K2, X\n1, 2, 3'), inline('B', 'K1, K2, Y\n1, 2, 4')]))).toThrow(
      expect.objectContaining({ code: DataModelErrorCode.COMPOSITE_KEY, message: expect.stringMatching(/composite key/) }),
    );
  });

  it('a loop of associations is refused', () => {
    expect(() => buildDataModel(loadResult([inline('A', 'X, Y\n1, 2'), inline('B', 'Y, Z\n2, 3'), inline('C', 'Z, X\n3, 1')]))).toThrow(
      expect.objectContaining({ code: DataModelErrorCode.CIRCULAR_REFERENCE }),
    );
  });

  it('HidePrefix/HideSuffix hide fields from lists but leave them usable', () => {
    const m = buildDataModel(loadResult([inline('A', '%KEY, VALUE, TMP_\n1, 2, 3')], null, { HidePrefix: '%', hidesuffix: '_' }));
    const v = fullView(m);
    expect(fieldNames(m, v)).toEqual(['VALUE']);
    expect(tablesAndKeys(m, v).tables[0]!.fields.map((f) => f.name)).toEqual(['VALUE']);
    expect(fieldDescription(m, v, '%KEY').tags).toContain('$hidden');
  });

  it('rejects malformed input with INVALID_INPUT', () => {
    const bad = [
      loadResult([{ name: 'A', fields: ['X', 'Y'], columns: [[1, 2], [1]] }]),
      loadResult([{ name: 'A', fields: ['X'], columns: [[Number.POSITIVE_INFINITY]] }]),
      loadResult([{ name: 'A', fields: ['X'], columns: [[{} as unknown as string]] }]),
      loadResult([inline('A', 'X\n1'), inline('A', 'Y\n1')]),
      loadResult([{ name: 'A', fields: ['X', 'X'], columns: [[1], [2]] }]),
    ];
    for (const r of bad) expect(() => buildDataModel(r)).toThrow(expect.objectContaining({ code: DataModelErrorCode.INVALID_INPUT }));
  });
});
