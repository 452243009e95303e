import { buildDataModel, computeState, DataModelErrorCode, evaluate, fullView, hypercube, SelectionState, type Cell } from '@trustzone/data-model';
import { describe, expect, it } from 'vitest';
import { chartScalarCompiler } from './chart-functions';

/** Chart expressions through the script function library, against values computed here from the rows. */
const orders = Array.from({ length: 60 }, (_, i) => ({ id: i + 1, cust: 1 + ((i * 7) % 9), amount: 5 + ((i * 37) % 91), qty: 1 + (i % 4) }));
const customers = Array.from({ length: 9 }, (_, i) => ({ cust: i + 1, name: `cust ${String.fromCharCode(97 + i)}x`, region: i % 3 === 0 ? 'North' : 'South' }));
const model = buildDataModel({
  tables: [
    { name: 'Orders', fields: ['ORDERID', 'CUSTID', 'AMOUNT', 'QTY'], columns: [orders.map((o) => o.id), orders.map((o) => o.cust), orders.map((o) => o.amount), orders.map((o) => o.qty)] as Cell[][] },
    { name: 'Customers', fields: ['CUSTID', 'NAME', 'REGION'], columns: [customers.map((c) => c.cust), customers.map((c) => c.name), customers.map((c) => c.region)] },
  ],
  sectionAccess: null,
  variables: {},
});
const view = fullView(model);
const state = computeState(model, view, SelectionState.empty());
const scalars = chartScalarCompiler({ now: () => Date.UTC(2024, 4, 17) });
const sum = (xs: number[]) => xs.reduce((a, b) => a + b, 0);

describe('chart expressions use the load-script function library', () => {
  it('scalar functions around and inside aggregations, per cube row', () => {
    const measures = [
      "If(Sum(AMOUNT) > 400, 'big', 'small')",
      'Round(Avg(AMOUNT), 0.1)',
      'Upper(NAME)',
      'Len(NAME)',
      'Left(NAME, 4) & Right(NAME, 2)',
      'Mid(NAME, 6, 1)',
      'Sum(If(QTY > 2, AMOUNT, 0))',
      'Fabs(-Sum(AMOUNT))',
      'Floor(Avg(AMOUNT))',
      'Ceil(Avg(AMOUNT))',
      "Alt(Only({<REGION={'Nowhere'}>} NAME), 'none')",
      'Lower(Text(Count(ORDERID)))',
    ];
    const cube = hypercube(model, view, state, { dimensions: ['CUSTID'], measures, pages: [{ top: 0, left: 0, height: 20, width: 20 }], scalars });
    for (const row of cube.pages[0]!.matrix) {
      const c = customers.find((x) => x.cust === Number(row[0]!.qText))!;
      const os = orders.filter((o) => o.cust === c.cust);
      const amounts = os.map((o) => o.amount);
      const avg = sum(amounts) / amounts.length;
      const want = [
        sum(amounts) > 400 ? 'big' : 'small',
        String(Math.round(avg * 10) / 10),
        c.name.toUpperCase(),
        String(c.name.length),
        c.name.slice(0, 4) + c.name.slice(-2),
        c.name.slice(5, 6),
        String(sum(os.filter((o) => o.qty > 2).map((o) => o.amount))),
        String(sum(amounts)),
        String(Math.floor(avg)),
        String(Math.ceil(avg)),
        'none',
        String(os.length),
      ];
      expect(row.slice(1).map((x) => x.qText)).toEqual(want);
    }
  });

  it('date functions and Num formatting in Evaluate', () => {
    const v = (e: string) => evaluate(model, view, state, e, scalars);
    expect(v('Year(MakeDate(2024, 5, 17))').qNumber).toBe(2024);
    expect(v('Month(MakeDate(2024, 5, 17))').qText).toBe('May');
    expect(v("Num(Sum(AMOUNT), '#,##0.00')").qText).toBe(sum(orders.map((o) => o.amount)).toLocaleString('en-US', { minimumFractionDigits: 2 }));
    expect(v('Year(Today())').qNumber).toBe(2024);
  });

  it('script-only and unknown functions are refused as expression errors', () => {
    for (const bad of ["Peek('AMOUNT')", 'RecNo()', 'NoSuchFunction(1)', "FileName()", 'Left(NAME)']) {
      expect(() => evaluate(model, view, state, bad, scalars)).toThrow(expect.objectContaining({ code: DataModelErrorCode.INVALID_EXPRESSION }));
    }
  });
});
