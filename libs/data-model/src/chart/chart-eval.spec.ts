import { describe, expect, it } from 'vitest';
import { computeState } from '../associative-state';
import { Bitset } from '../bitset';
import { DataModelErrorCode } from '../data-model.error';
import { evaluate } from '../evaluate';
import { hypercube } from '../hypercube';
import type { Cell, LoadedTable } from '../loaded-table';
import { MAX_EXPRESSION_DEPTH } from '../limits';
import { buildDataModel } from '../model-builder';
import type { DataModel } from '../model-types';
import { select } from '../selection-ops';
import { SelectionState } from '../selection-state';
import { loadResult } from '../test-support/inline-table';
import { createView, fullView, type View } from '../view';

/**
 * Chart expressions against a reference computed here, directly over the raw rows (arrays and
 * filters, no symbols, no bitsets): Orders(ORDERID, CUSTID, PRODID, AMOUNT, QTY) and
 * Customers(CUSTID, REGION, NAME), linked by CUSTID.
 */
interface Order {
  id: number;
  cust: number;
  prod: number;
  amount: number;
  qty: number;
}
interface Customer {
  cust: number;
  region: string;
  name: string;
}

function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

const REGIONS = ['North', 'South', 'East', 'West', 'Nowhere'];

function data(seed = 7): { orders: Order[]; customers: Customer[] } {
  const r = rng(seed);
  const customers = Array.from({ length: 30 }, (_, i) => ({ cust: i + 1, region: REGIONS[Math.floor(r() * 4)]!, name: `C${String(i + 1).padStart(2, '0')}` }));
  const orders = Array.from({ length: 300 }, (_, i) => ({ id: i + 1, cust: 1 + Math.floor(r() * 30), prod: 1 + Math.floor(r() * 12), amount: 1 + Math.floor(r() * 200), qty: 1 + Math.floor(r() * 5) }));
  return { orders, customers };
}

function model(d: ReturnType<typeof data>): DataModel {
  const orders: LoadedTable = {
    name: 'Orders',
    fields: ['ORDERID', 'CUSTID', 'PRODID', 'AMOUNT', 'QTY'],
    columns: [d.orders.map((o) => o.id), d.orders.map((o) => o.cust), d.orders.map((o) => o.prod), d.orders.map((o) => o.amount), d.orders.map((o) => o.qty)] as Cell[][],
  };
  const customers: LoadedTable = { name: 'Customers', fields: ['CUSTID', 'REGION', 'NAME'], columns: [d.customers.map((c) => c.cust), d.customers.map((c) => c.region), d.customers.map((c) => c.name)] };
  return buildDataModel(loadResult([orders, customers]));
}

const page = { top: 0, left: 0, height: 400, width: 20 };
const sum = (xs: number[]): number => xs.reduce((a, b) => a + b, 0);

/** Cube as a map: first column's text → the other columns' qNum (or qText when not numeric). */
function cube(m: DataModel, v: View, sel: SelectionState, dims: string[], measures: string[]): Map<string, (number | string)[]> {
  const c = hypercube(m, v, computeState(m, v, sel), { dimensions: dims, measures, pages: [page] });
  return new Map(c.pages[0]!.matrix.map((row) => [row.slice(0, dims.length).map((x) => x.qText).join('|'), row.slice(dims.length).map((x) => (x.qNum === 'NaN' ? x.qText : x.qNum))]));
}

describe('set analysis matches a reference over the raw rows', () => {
  const d = data();
  const m = model(d);
  const v = fullView(m);
  const regionOf = new Map(d.customers.map((c) => [c.cust, c.region]));
  const southSel = select(m, v, SelectionState.empty(), 'REGION', [{ text: 'South' }]).selections;
  const inSouth = (o: Order) => regionOf.get(o.cust) === 'South';
  const prodsIn = (os: Order[]) => [...new Set(os.map((o) => o.prod))];

  it('a field modifier replaces the selection on its field; the rows stay those of $', () => {
    const got = cube(m, v, southSel, ['PRODID'], [`Sum({<REGION={'North','East'}>} AMOUNT)`, 'Sum(AMOUNT)']);
    const rows = prodsIn(d.orders.filter(inSouth));
    expect([...got.keys()].sort()).toEqual(rows.map(String).sort());
    for (const p of rows) {
      const want = sum(d.orders.filter((o) => o.prod === p && ['North', 'East'].includes(regionOf.get(o.cust)!)).map((o) => o.amount));
      expect(got.get(String(p))![0]).toBe(want);
      expect(got.get(String(p))![1]).toBe(sum(d.orders.filter((o) => o.prod === p && inSouth(o)).map((o) => o.amount)));
    }
  });

  it('{1} ignores selections, and -=, +=, searches and numeric ranges select what they say', () => {
    const cases: [string, (o: Order) => boolean][] = [
      ['{1}', () => true],
      ['{1<REGION-={North}>}', (o) => regionOf.get(o.cust) !== 'North'],
      ['{<REGION+={North}>}', (o) => ['South', 'North'].includes(regionOf.get(o.cust)!)],
      ['{<REGION*={"*th"}>}', (o) => regionOf.get(o.cust) === 'South'],
      ['{<REGION/={North}>}', (o) => ['South', 'North'].includes(regionOf.get(o.cust)!)],
      ['{1<REGION={"*th"}>}', (o) => ['North', 'South'].includes(regionOf.get(o.cust)!)],
      ['{1<AMOUNT={">150"}>}', (o) => o.amount > 150],
      ['{1<AMOUNT={">=20<=40"}, REGION={\'East\'}>}', (o) => o.amount >= 20 && o.amount <= 40 && regionOf.get(o.cust) === 'East'],
      ['{1<CUSTID={1,2,3}>}', (o) => o.cust <= 3],
      ['{1<REGION={}>}', () => false],
      ['{1<REGION={Atlantis}>}', () => false],
      ['{$<REGION=>}', () => true],
      ['{1-$}', (o) => !inSouth(o)],
      ['{1<REGION={North}> + 1<REGION={East}>}', (o) => ['North', 'East'].includes(regionOf.get(o.cust)!)],
      ['{1<AMOUNT={">100"}> * $}', (o) => o.amount > 100 && inSouth(o)],
      ['{1<CUSTID=P({1<REGION={West}>} CUSTID)>}', (o) => regionOf.get(o.cust) === 'West'],
      ['{1<CUSTID=E({1<REGION={West}>} CUSTID)>}', (o) => regionOf.get(o.cust) !== 'West'],
      ['{1<CUSTID=P({1<REGION={West}>} CUSTID) + {1}>}', (o) => regionOf.get(o.cust) === 'West' || o.cust === 1],
    ];
    // ALL is Qlik's {1} TOTAL.
    expect(evaluate(m, v, computeState(m, v, southSel), 'Sum(ALL AMOUNT)').qNumber).toBe(sum(d.orders.map((o) => o.amount)));
    for (const [set, pred] of cases) {
      const got = evaluate(m, v, computeState(m, v, southSel), `Sum(${set} AMOUNT)`);
      expect({ set, value: got.qNumber }).toEqual({ set, value: sum(d.orders.filter(pred).map((o) => o.amount)) });
    }
  });

  it('{1} is everything this user may see: a reduced view bounds every set, P() and E()', () => {
    // A section-access-like reduction: North and East customers and their orders only.
    const seen = new Set(['North', 'East']);
    const custRows = Bitset.of(d.customers.length, d.customers.flatMap((c, i) => (seen.has(c.region) ? [i] : [])));
    const orderRows = Bitset.of(d.orders.length, d.orders.flatMap((o, i) => (seen.has(regionOf.get(o.cust)!) ? [i] : [])));
    const rows = m.tables.map((t) => (t.name === 'Orders' ? orderRows : custRows));
    const reduced = createView(m, rows, []);
    const st = computeState(m, reduced, SelectionState.empty());
    const visible = d.orders.filter((o) => seen.has(regionOf.get(o.cust)!));
    for (const e of ['Sum({1} AMOUNT)', 'Sum({1<REGION=>} AMOUNT)', 'Sum({1<REGION={"*"}>} AMOUNT)', 'Sum({1<CUSTID=E({1<REGION={North}>} CUSTID)>} AMOUNT) + Sum({1<REGION={North}>} AMOUNT)', 'Sum({1-$} AMOUNT) + Sum(AMOUNT)']) {
      expect({ e, v: evaluate(m, reduced, st, e).qNumber }).toEqual({ e, v: sum(visible.map((o) => o.amount)) });
    }
    // Naming a hidden value matches nothing, exactly like naming a value that does not exist.
    expect(evaluate(m, reduced, st, "Sum({1<REGION={'South'}>} AMOUNT)").qNumber).toBe(0);
    expect(evaluate(m, reduced, st, "Sum({1<REGION={'South'}>} AMOUNT)")).toEqual(evaluate(m, reduced, st, "Sum({1<REGION={'Atlantis'}>} AMOUNT)"));
    expect(evaluate(m, reduced, st, 'Count({1} DISTINCT REGION)').qNumber).toBe(2);
    expect(evaluate(m, reduced, st, 'Max(Aggr(Sum({1} AMOUNT), CUSTID))').qNumber).toBe(Math.max(...d.customers.filter((c) => seen.has(c.region)).map((c) => sum(visible.filter((o) => o.cust === c.cust).map((o) => o.amount)))));
    // An omitted field cannot be named in a modifier, P() or E() either.
    const omitted = createView(m, rows, ['REGION']);
    const st2 = computeState(m, omitted, SelectionState.empty());
    for (const e of ['Sum({1<REGION={North}>} AMOUNT)', 'Sum({1<CUSTID=P({1<REGION={North}>} CUSTID)>} AMOUNT)', 'Count(TOTAL REGION)', 'Sum(Aggr(Sum(AMOUNT), REGION))']) {
      expect(() => evaluate(m, omitted, st2, e)).toThrow(expect.objectContaining({ code: DataModelErrorCode.NOT_FOUND }));
    }
  });
});

describe('aggregations and TOTAL match the reference', () => {
  const d = data(11);
  const m = model(d);
  const v = fullView(m);
  const regionOf = new Map(d.customers.map((c) => [c.cust, c.region]));
  const byRegion = (r: string) => d.orders.filter((o) => regionOf.get(o.cust) === r);
  const regions = [...new Set(d.customers.map((c) => c.region))];

  it('every aggregation function by a dimension of another table', () => {
    const measures = [
      'Sum(AMOUNT)',
      'Count(AMOUNT)',
      'Count(DISTINCT PRODID)',
      'Avg(AMOUNT)',
      'Min(AMOUNT)',
      'Max(AMOUNT)',
      'Median(AMOUNT)',
      'Stdev(AMOUNT)',
      'Sum(AMOUNT * QTY)',
      'FirstSortedValue(ORDERID, -AMOUNT * 1000 - ORDERID)',
      'Sum(AMOUNT) / Sum(TOTAL AMOUNT)',
      'Sum(TOTAL <REGION> AMOUNT)',
      'Max(Aggr(Sum(AMOUNT), CUSTID))',
      'Count(Aggr(Sum(AMOUNT), PRODID))',
    ];
    const got = cube(m, v, SelectionState.empty(), ['REGION'], measures);
    const total = sum(d.orders.map((o) => o.amount));
    for (const r of regions) {
      const os = byRegion(r);
      const a = os.map((o) => o.amount).sort((x, y) => x - y);
      const mean = sum(a) / a.length;
      const median = a.length % 2 ? a[a.length >> 1]! : (a[a.length / 2 - 1]! + a[a.length / 2]!) / 2;
      const stdev = Math.sqrt(sum(a.map((x) => (x - mean) ** 2)) / (a.length - 1));
      const top = [...os].sort((x, y) => y.amount * 1000 + y.id - (x.amount * 1000 + x.id))[0]!;
      const perCustomer = [...new Set(os.map((o) => o.cust))].map((c) => sum(os.filter((o) => o.cust === c).map((o) => o.amount)));
      const want = [sum(a), a.length, new Set(os.map((o) => o.prod)).size, mean, a[0]!, a[a.length - 1]!, median, stdev, sum(os.map((o) => o.amount * o.qty)), top.id, sum(a) / total, sum(a), Math.max(...perCustomer), new Set(os.map((o) => o.prod)).size];
      const row = got.get(r)!;
      want.forEach((w, k) => expect({ r, m: measures[k], v: row[k] as number }).toEqual({ r, m: measures[k], v: expect.closeTo(w, 9) }));
    }
  });

  it('text aggregations: Only, MinString, MaxString, Concat, Mode', () => {
    const got = cube(m, v, SelectionState.empty(), ['CUSTID'], ['Only(NAME)', 'MinString(REGION)', "Concat(DISTINCT NAME, ';')", 'Mode(REGION)']);
    for (const c of d.customers) expect(got.get(String(c.cust))).toEqual([c.name, c.region, c.name, c.region]);
    const all = cube(m, v, SelectionState.empty(), ['REGION'], ["Concat(DISTINCT NAME, ',')", 'MaxString(NAME)', 'Only(NAME)', 'Mode(REGION)']);
    for (const r of regions) {
      const names = d.customers.filter((c) => c.region === r).map((c) => c.name).sort();
      expect(all.get(r)).toEqual([names.join(','), names[names.length - 1], names.length === 1 ? names[0] : '-', r]);
    }
    // Outside an aggregation a field reads as Only(field).
    const one = select(m, v, SelectionState.empty(), 'CUSTID', [{ number: 3 }]).selections;
    expect(evaluate(m, v, computeState(m, v, one), 'NAME').qText).toBe('C03');
    expect(evaluate(m, v, computeState(m, v, SelectionState.empty()), 'NAME').qText).toBe('-');
  });

  it('qSuppressZero drops rows whose measures are all zero or null', () => {
    const c = hypercube(m, v, computeState(m, v, SelectionState.empty()), { dimensions: ['PRODID'], measures: [`Sum({<REGION={'North'}>} AMOUNT)`], pages: [page], suppressZero: true });
    const want = new Set(d.orders.filter((o) => regionOf.get(o.cust) === 'North').map((o) => String(o.prod)));
    expect(new Set(c.pages[0]!.matrix.map((r) => r[0]!.qText))).toEqual(want);
    expect(c.size.cy).toBe(want.size);
  });
});

describe('calculated dimensions', () => {
  const d = data(5);
  const m = model(d);
  const regionOf = new Map(d.customers.map((c) => [c.cust, c.region]));

  it('a record-level expression as a dimension groups like a field, under selections and set analysis', () => {
    const v = fullView(m);
    const sel = select(m, v, SelectionState.empty(), 'REGION', [{ text: 'West' }]).selections;
    const got = cube(m, v, sel, ['=QTY * 10 + 1'], ['Sum(AMOUNT)', 'Sum({1} AMOUNT)', 'Count(DISTINCT CUSTID)']);
    const west = d.orders.filter((o) => regionOf.get(o.cust) === 'West');
    const keys = [...new Set(west.map((o) => o.qty * 10 + 1))].sort((a, b) => a - b);
    expect([...got.keys()]).toEqual(keys.map(String));
    for (const k of keys) {
      const os = west.filter((o) => o.qty * 10 + 1 === k);
      expect(got.get(String(k))).toEqual([sum(os.map((o) => o.amount)), sum(d.orders.filter((o) => o.qty * 10 + 1 === k).map((o) => o.amount)), new Set(os.map((o) => o.cust)).size]);
    }
  });

  it('takes its values from the rows the view shows only', () => {
    const custRows = Bitset.of(d.customers.length, d.customers.flatMap((c, i) => (c.region === 'East' ? [i] : [])));
    const orderRows = Bitset.of(d.orders.length, d.orders.flatMap((o, i) => (regionOf.get(o.cust) === 'East' ? [i] : [])));
    const reduced = createView(m, m.tables.map((t) => (t.name === 'Orders' ? orderRows : custRows)), []);
    const got = cube(m, reduced, SelectionState.empty(), ['=AMOUNT * 1'], ['Count(ORDERID)']);
    const east = d.orders.filter((o) => regionOf.get(o.cust) === 'East');
    expect([...got.keys()].map(Number).sort((a, b) => a - b)).toEqual([...new Set(east.map((o) => o.amount))].sort((a, b) => a - b));
    expect(() => cube(m, reduced, SelectionState.empty(), ['=Sum(AMOUNT)'], ['Count(ORDERID)'])).toThrow(expect.objectContaining({ code: DataModelErrorCode.INVALID_EXPRESSION }));
    expect(() => cube(m, reduced, SelectionState.empty(), ['=AMOUNT + LEN'], ['Count(ORDERID)'])).toThrow(expect.objectContaining({ code: DataModelErrorCode.NOT_FOUND }));
  });
});

describe('chart expression bounds and errors', () => {
  const m = model(data());
  const v = fullView(m);
  const st = computeState(m, v, SelectionState.empty());
  it('refuses what does not parse, with Qlik-style messages and no data in them', () => {
    for (const bad of ['Sum({<REGION={North}> AMOUNT)', 'Sum({$1} AMOUNT)', 'Sum({BM01} AMOUNT)', 'Sum(Sum(AMOUNT))', 'Aggr(Sum(AMOUNT), CUSTID)', 'Sum(Aggr(Sum(AMOUNT)))', 'Sum({<AMOUNT={">abc"}>} AMOUNT)', "Sum('x", 'Sum(AMOUNT, 2)', 'Sum(AMOUNT + NAME)']) {
      expect(() => evaluate(m, v, st, bad)).toThrow(expect.objectContaining({ code: DataModelErrorCode.INVALID_EXPRESSION, message: expect.stringMatching(/^Error in expression: /) }));
    }
  });
  it('a long element list on a large field is one pass over its symbols, not one per value', () => {
    const n = 200_000;
    const big = buildDataModel(loadResult([{ name: 'T', fields: ['V'], columns: [Array.from({ length: n }, (_, i) => i + 1)] }]));
    const bv = fullView(big);
    const items = Array.from({ length: 1500 }, (_, i) => (i % 2 === 0 ? String(i + 1) : `'${i + 1}'`));
    const t0 = performance.now();
    const got = evaluate(big, bv, computeState(big, bv, SelectionState.empty()), `Sum({1<V={${items.join(',')}}>} V)`);
    expect(got.qNumber).toBe((1500 * 1501) / 2);
    expect(performance.now() - t0).toBeLessThan(5_000);
  });

  it('bounds nesting and length', () => {
    const deep = `${'('.repeat(MAX_EXPRESSION_DEPTH + 5)}1${')'.repeat(MAX_EXPRESSION_DEPTH + 5)}`;
    expect(() => evaluate(m, v, st, deep)).toThrow(expect.objectContaining({ code: DataModelErrorCode.INVALID_EXPRESSION }));
    const deepSet = `Sum({${'('.repeat(200)}1${')'.repeat(200)}} AMOUNT)`;
    expect(() => evaluate(m, v, st, deepSet)).toThrow(expect.objectContaining({ code: DataModelErrorCode.INVALID_EXPRESSION }));
    expect(() => evaluate(m, v, st, `1${'+1'.repeat(6000)}`)).toThrow(expect.objectContaining({ code: DataModelErrorCode.INVALID_EXPRESSION }));
    const many = Array.from({ length: 70 }, () => 'Sum(AMOUNT)').join('+');
    expect(() => evaluate(m, v, st, many)).toThrow(expect.objectContaining({ code: DataModelErrorCode.INVALID_EXPRESSION }));
  });
});
