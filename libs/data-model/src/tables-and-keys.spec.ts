import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Bitset } from './bitset';
import { DataModelErrorCode } from './data-model.error';
import { cardinal, fieldDescription } from './field-queries';
import { buildDataModel } from './model-builder';
import { tableData } from './table-data';
import { tablesAndKeys } from './tables-and-keys';
import { inline, loadResult } from './test-support/inline-table';
import { createView, fullView } from './view';

const orders = 'ORDERID, CUSTID, AMOUNT\n1, C1, 10\n2, C1, 20\n3, C2, \n4, C3, 40';
const customers = 'CUSTID, REGION\nC1, EAST\nC2, WEST\nC3, WEST\nC4, NORTH';
const model = () => buildDataModel(loadResult([inline('Orders', orders), inline('Customers', customers)]));

describe('tablesAndKeys', () => {
  it('describes tables, fields and keys with QIX key types', () => {
    const m = model();
    const r = tablesAndKeys(m, fullView(m));
    expect(r.keys).toEqual([{ keyFields: ['CUSTID'], tables: ['Orders', 'Customers'] }]);
    const o = r.tables[0]!;
    expect(o.rowCount).toBe(4);
    expect(o.fields.find((f) => f.name === 'CUSTID')).toMatchObject({ nRows: 4, nTotalDistinct: 4, nPresentDistinct: 3, nNonNulls: 4, keyType: 'ANY_KEY' });
    expect(o.fields.find((f) => f.name === 'AMOUNT')).toMatchObject({ nNonNulls: 3, keyType: 'NOT_KEY' });
    expect(r.tables[1]!.fields.find((f) => f.name === 'CUSTID')!.keyType).toBe('PERFECT_KEY');
  });

  it('counts only what the view shows, and omitted fields and their keys vanish', () => {
    const m = model();
    fc.assert(
      fc.property(fc.subarray([0, 1, 2, 3]), fc.subarray([0, 1, 2, 3]), fc.boolean(), (ro, rc, omitKey) => {
        const v = createView(m, [Bitset.of(4, ro), Bitset.of(4, rc)], omitKey ? ['CUSTID'] : []);
        const r = tablesAndKeys(m, v);
        // Independent count over the raw inline rows.
        const raw = orders.split('\n').slice(1).map((l) => l.split(',').map((c) => c.trim()));
        const rawC = customers.split('\n').slice(1).map((l) => l.split(',').map((c) => c.trim()));
        const custIds = new Set([...ro.map((i) => raw[i]![1]!), ...rc.map((i) => rawC[i]![0]!)]);
        expect(r.tables.map((t) => t.rowCount)).toEqual([ro.length, rc.length]);
        const amount = r.tables[0]!.fields.find((f) => f.name === 'AMOUNT')!;
        expect(amount.nNonNulls).toBe(ro.filter((i) => raw[i]![2] !== '').length);
        if (omitKey) {
          expect(r.keys).toEqual([]);
          expect(r.tables.every((t) => t.fields.every((f) => f.name !== 'CUSTID'))).toBe(true);
        } else {
          expect(r.tables[1]!.fields[0]!.nTotalDistinct).toBe(custIds.size);
          expect(cardinal(m, v, 'CUSTID')).toBe(custIds.size);
          expect(fieldDescription(m, v, 'CUSTID').cardinal).toBe(custIds.size);
        }
      }),
    );
  });
});

describe('tableData', () => {
  it('pages through visible rows only, in row order', () => {
    const m = model();
    const v = createView(m, [Bitset.of(4, [0, 2, 3]), null], []);
    const page = tableData(m, v, 'Orders', 1, 5);
    expect(page.rowCount).toBe(3);
    expect(page.rows.map((r) => r[0]!.qText)).toEqual(['3', '4']);
    expect(page.rows[0]![2]).toEqual({ qText: '-', qIsNumeric: false, qNumber: 'NaN' });
    expect(page.rows[1]![2]).toEqual({ qText: '40', qIsNumeric: true, qNumber: 40 });
    expect(tableData(m, v, 'Orders', 10, 5).rows).toEqual([]);
  });

  it('is bounded and refuses unknown tables', () => {
    const m = model();
    const v = fullView(m);
    expect(() => tableData(m, v, 'Nope', 0, 1)).toThrow(expect.objectContaining({ code: DataModelErrorCode.NOT_FOUND }));
    expect(() => tableData(m, v, 'Orders', 0, 1e9)).toThrow(expect.objectContaining({ code: DataModelErrorCode.PAGE_TOO_LARGE }));
    expect(() => tableData(m, v, 'Orders', -1, 1)).toThrow(expect.objectContaining({ code: DataModelErrorCode.INVALID_ARGUMENT }));
  });
});

describe('fieldDescription', () => {
  it('describes a field inside the view', () => {
    const m = model();
    const d = fieldDescription(m, fullView(m), 'CUSTID');
    expect(d).toMatchObject({ name: 'CUSTID', srcTables: ['Orders', 'Customers'], cardinal: 4, totalCount: 8, isNumeric: false });
    expect(d.tags).toEqual(expect.arrayContaining(['$key', '$text', '$ascii']));
    expect(fieldDescription(m, fullView(m), 'AMOUNT')).toMatchObject({ isNumeric: true, tags: expect.arrayContaining(['$numeric', '$integer']) });
  });

  it('a view from another model is refused', () => {
    const m = model();
    expect(() => cardinal(m, fullView(model()), 'CUSTID')).toThrow(expect.objectContaining({ code: DataModelErrorCode.INVALID_ARGUMENT }));
  });
});
