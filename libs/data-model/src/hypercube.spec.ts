import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { computeState } from './associative-state';
import { DataModelErrorCode } from './data-model.error';
import { evaluate } from './evaluate';
import { hypercube } from './hypercube';
import type { LoadedTable } from './loaded-table';
import { buildDataModel } from './model-builder';
import { select } from './selection-ops';
import { SelectionState } from './selection-state';
import { inline, loadResult } from './test-support/inline-table';
import { type NaiveModel, naiveKey, type NaiveKey, naiveTuples } from './test-support/naive-engine';
import { randomScenario, scenarioModels } from './test-support/random-scenario';
import { fullView } from './view';

const page = { top: 0, left: 0, height: 1000, width: 10 };

/** Naive aggregate of `field` (read in its first table) over rows associated with dimension value d. */
function naiveAggregate(n: NaiveModel, tables: LoadedTable[], fn: string, distinct: boolean, field: string, dim: string | null, d: NaiveKey): number {
  const t = n.holders(field)[0]!;
  const col = tables[t]!.fields.indexOf(field);
  const keys: NaiveKey[] = [];
  for (const r of n.possibleRows(t)) {
    if (dim !== null) {
      const assoc = n.associatedValues(t, r, dim);
      if (assoc !== 'all' && !assoc.has(d)) continue;
    }
    const k = naiveKey(tables[t]!.columns[col]![r]!);
    if (k !== null) keys.push(k);
  }
  const values = distinct ? [...new Set(keys)] : keys;
  if (fn === 'Count') return values.length;
  const nums = values.filter((k) => k!.startsWith('n:')).map((k) => Number(k!.slice(2)));
  if (fn === 'Sum') return nums.reduce((a, b) => a + b, 0);
  if (nums.length === 0) return Number.NaN;
  if (fn === 'Avg') return nums.reduce((a, b) => a + b, 0) / nums.length;
  return fn === 'Min' ? Math.min(...nums) : Math.max(...nums);
}

const num = (q: number | 'NaN'): number => (q === 'NaN' ? Number.NaN : q);

/** Equal within float noise; null (NaN) only equals null. */
function expectSame(got: number | undefined, want: number): void {
  if (Number.isNaN(want)) expect(got).toBeNaN();
  else expect(got).toBeCloseTo(want, 9);
}

describe('hypercube numbers match a naive computation over the raw rows', () => {
  it('one dimension, every aggregation, measure and dimension in any tables', () => {
    const fields = ['K1', 'K2', 'VA', 'VB', 'VC', 'VD'];
    const fns = ['Sum', 'Count', 'Avg', 'Min', 'Max'];
    fc.assert(
      fc.property(randomScenario, fc.constantFrom(...fields), fc.constantFrom(...fields), fc.constantFrom(...fns), fc.boolean(), (s, dim, measure, fn, distinct) => {
        const { model, view, sel, naive } = scenarioModels(s);
        if (!model.fieldByName.has(dim) || !model.fieldByName.has(measure)) return;
        const st = computeState(model, view, sel);
        const expr = `${fn}(${distinct ? 'DISTINCT ' : ''}${measure})`;
        const cube = hypercube(model, view, st, { dimensions: [dim], measures: [expr], pages: [page] });
        const got = new Map(cube.pages[0]!.matrix.map((row) => [naiveKey(row[0]!.qText), num(row[1]!.qNum)]));
        const expected = new Map([...naive.possibleValues(dim)].map((d) => [d, naiveAggregate(naive, s.tables, fn, distinct, measure, dim, d)]));
        expect(cube.size.cy).toBe(expected.size);
        for (const [d, v] of expected) expectSame(got.get(d), v);
        // Evaluate is the same aggregation without a dimension.
        const total = naiveAggregate(naive, s.tables, fn, distinct, measure, null, null);
        expectSame(num(evaluate(model, view, st, expr).qNumber), total);
      }),
      { numRuns: 400 },
    );
  });
});

describe('two-dimension hypercubes match brute-force enumeration of associated rows', () => {
  it('rows and Sum/Count values agree on random models', () => {
    const fields = ['K1', 'K2', 'VA', 'VB', 'VC', 'VD'];
    fc.assert(
      fc.property(randomScenario, fc.uniqueArray(fc.constantFrom(...fields), { minLength: 2, maxLength: 2 }), fc.constantFrom(...fields), fc.constantFrom('Sum', 'Count'), (s, dims, measure, fn) => {
        const { model, view, sel, naive } = scenarioModels(s);
        if (![...dims, measure].every((f) => model.fieldByName.has(f))) return;
        const st = computeState(model, view, sel);
        const cube = hypercube(model, view, st, { dimensions: dims, measures: [`${fn}(${measure})`], pages: [page] });
        const got = new Map(cube.pages[0]!.matrix.map((row) => [JSON.stringify([naiveKey(row[0]!.qText), naiveKey(row[1]!.qText)]), num(row[2]!.qNum)]));
        // Expected rows: tuples of the first dimension's table, plus any the measure's table reaches.
        const expected = new Map<string, number>();
        const home = naive.holders(dims[0]!)[0]!;
        for (const r of naive.possibleRows(home)) for (const t of naiveTuples(naive, home, r, dims)) expected.set(t, 0);
        const mt = naive.holders(measure)[0]!;
        const col = s.tables[mt]!.fields.indexOf(measure);
        for (const r of naive.possibleRows(mt)) {
          const k = naiveKey(s.tables[mt]!.columns[col]![r]!);
          for (const t of naiveTuples(naive, mt, r, dims)) {
            const add = k === null ? 0 : fn === 'Count' ? 1 : k.startsWith('n:') ? Number(k.slice(2)) : 0;
            expected.set(t, (expected.get(t) ?? 0) + add);
          }
        }
        expect(new Set(got.keys())).toEqual(new Set(expected.keys()));
        for (const [t, v] of expected) expectSame(got.get(t), v);
      }),
      { numRuns: 300 },
    );
  });
});

const star = () =>
  buildDataModel(
    loadResult([
      inline('Orders', 'ORDERID, CUSTID, PRODID, AMOUNT\n1, C1, P1, 10\n2, C1, P2, 20.5\n3, C2, P2, 30\n4, C3, P3, 40\n5, C2, P1, 50\n6, C9, P1, 7'),
      inline('Customers', 'CUSTID, REGION\nC1, EAST\nC2, WEST\nC3, WEST\nC4, SOUTH'),
      inline('Products', 'PRODID, CATEGORY\nP1, FOOD\nP2, TOOLS\nP3, FOOD'),
      inline('Colors', 'COLOR\nRED\nBLUE'),
    ]),
  );

/** Star join by hand over the same inline text: (REGION, CATEGORY) → sum of AMOUNT. */
function naiveStarSums(): Map<string, number> {
  const orders = [
    [1, 'C1', 'P1', 10],
    [2, 'C1', 'P2', 20.5],
    [3, 'C2', 'P2', 30],
    [4, 'C3', 'P3', 40],
    [5, 'C2', 'P1', 50],
    [6, 'C9', 'P1', 7],
  ] as const;
  const region: Record<string, string> = { C1: 'EAST', C2: 'WEST', C3: 'WEST', C4: 'SOUTH' };
  const category: Record<string, string> = { P1: 'FOOD', P2: 'TOOLS', P3: 'FOOD' };
  const out = new Map<string, number>();
  for (const [, c, p, a] of orders) {
    if (region[c] === undefined || category[p] === undefined) continue;
    const key = `${region[c]}|${category[p]}`;
    out.set(key, (out.get(key) ?? 0) + a);
  }
  return out;
}

describe('hypercube', () => {
  it('two dimensions from two dimension tables aggregate the fact table through both keys', () => {
    const m = star();
    const v = fullView(m);
    const cube = hypercube(m, v, computeState(m, v, SelectionState.empty()), { dimensions: ['REGION', 'CATEGORY'], measures: ['Sum(AMOUNT)'], pages: [page] });
    const got = new Map(cube.pages[0]!.matrix.map((r) => [`${r[0]!.qText}|${r[1]!.qText}`, r[2]!.qNum]));
    expect(got).toEqual(naiveStarSums());
    // Default order: dimensions ascending.
    const keys = cube.pages[0]!.matrix.map((r) => `${r[0]!.qText}|${r[1]!.qText}`);
    expect(keys).toEqual([...keys].sort());
  });

  it('cells have the QIX shape: elem numbers and S/O states on dimensions, L on measures, "NaN" qNum for text', () => {
    const m = star();
    const v = fullView(m);
    const sel = select(m, v, SelectionState.empty(), 'REGION', [{ text: 'WEST' }]).selections;
    const cube = hypercube(m, v, computeState(m, v, sel), { dimensions: ['REGION', 'PRODID'], measures: ['Count(ORDERID)'], pages: [page] });
    const region = m.fields[m.fieldByName.get('REGION')!]!;
    for (const [d, p, c] of cube.pages[0]!.matrix) {
      expect(d!.qState).toBe('S');
      expect(d!.qNum).toBe('NaN');
      expect(region.symbols.text(d!.qElemNumber)).toBe(d!.qText);
      expect(p!.qState).toBe('O');
      expect(c!.qState).toBe('L');
      expect(typeof c!.qNum).toBe('number');
    }
  });

  it('a dimension value with no fact row shows Sum 0 and Avg null', () => {
    const m = star();
    const v = fullView(m);
    const cube = hypercube(m, v, computeState(m, v, SelectionState.empty()), { dimensions: ['REGION'], measures: ['Sum(AMOUNT)', 'Avg(AMOUNT)'], pages: [page] });
    const south = cube.pages[0]!.matrix.find((r) => r[0]!.qText === 'SOUTH')!;
    expect(south[1]!.qNum).toBe(0);
    expect(south[2]).toMatchObject({ qText: '-', qNum: 'NaN' });
  });

  it('arithmetic between aggregates and numbers, with division by zero as null', () => {
    const m = star();
    const v = fullView(m);
    const st = computeState(m, v, SelectionState.empty());
    const sum = num(evaluate(m, v, st, 'Sum(AMOUNT)').qNumber);
    const count = num(evaluate(m, v, st, 'Count(AMOUNT)').qNumber);
    expect(num(evaluate(m, v, st, '(Sum(AMOUNT) - 7) * 2 / Count(DISTINCT CUSTID) + -1').qNumber)).toBeCloseTo(((sum - 7) * 2) / 4 - 1, 12);
    expect(num(evaluate(m, v, st, 'Sum(AMOUNT) / Count(AMOUNT)').qNumber)).toBeCloseTo(sum / count, 12);
    expect(evaluate(m, v, st, 'Sum(AMOUNT) / 0')).toEqual({ qText: '-', qIsNumeric: false, qNumber: 'NaN' });
  });

  it('a dimension in a table not linked to the measure gets the whole total for every value', () => {
    const m = star();
    const v = fullView(m);
    const st = computeState(m, v, SelectionState.empty());
    const total = num(evaluate(m, v, st, 'Sum(AMOUNT)').qNumber);
    const cube = hypercube(m, v, st, { dimensions: ['COLOR'], measures: ['Sum(AMOUNT)'], pages: [page] });
    expect(cube.pages[0]!.matrix.map((r) => r[1]!.qNum)).toEqual([total, total]);
  });

  it('sorts by a measure descending and pages inside the cube', () => {
    const m = star();
    const v = fullView(m);
    const st = computeState(m, v, SelectionState.empty());
    const all = hypercube(m, v, st, { dimensions: ['PRODID'], measures: ['Sum(AMOUNT)'], pages: [page], sort: [{ column: 1, descending: true }] });
    const sums = all.pages[0]!.matrix.map((r) => num(r[1]!.qNum));
    expect(sums).toEqual([...sums].sort((a, b) => b - a));
    const part = hypercube(m, v, st, { dimensions: ['PRODID'], measures: ['Sum(AMOUNT)'], pages: [{ top: 1, left: 1, height: 5, width: 5 }], sort: [{ column: 1, descending: true }] });
    expect(part.pages[0]!.area).toEqual({ top: 1, left: 1, height: all.size.cy - 1, width: 1 });
    expect(part.pages[0]!.matrix.map((r) => r[0]!.qNum)).toEqual(sums.slice(1));
  });

  it('refuses pages over the cell limit and malformed pages with typed errors', () => {
    const m = star();
    const v = fullView(m);
    const st = computeState(m, v, SelectionState.empty());
    const ask = (pages: unknown) => () => hypercube(m, v, st, { dimensions: ['PRODID'], measures: ['Sum(AMOUNT)'], pages: pages as never });
    expect(ask([{ top: 0, left: 0, height: 1_000_000_000, width: 2 }])).toThrow(expect.objectContaining({ code: DataModelErrorCode.PAGE_TOO_LARGE }));
    expect(ask([{ top: 0, left: 0, height: 6000, width: 1 }, { top: 0, left: 0, height: 6000, width: 1 }])).toThrow(expect.objectContaining({ code: DataModelErrorCode.PAGE_TOO_LARGE }));
    expect(ask([{ top: -1, left: 0, height: 1, width: 1 }])).toThrow(expect.objectContaining({ code: DataModelErrorCode.INVALID_ARGUMENT }));
    expect(ask([{ top: 0, left: 0, height: 1.5, width: 1 }])).toThrow(expect.objectContaining({ code: DataModelErrorCode.INVALID_ARGUMENT }));
  });

  it('unknown fields are NOT_FOUND and bad syntax INVALID_EXPRESSION', () => {
    const m = star();
    const v = fullView(m);
    const st = computeState(m, v, SelectionState.empty());
    expect(() => hypercube(m, v, st, { dimensions: ['NOPE'], measures: [], pages: [] })).toThrow(expect.objectContaining({ code: DataModelErrorCode.NOT_FOUND }));
    expect(() => evaluate(m, v, st, 'Sum(NOPE)')).toThrow(expect.objectContaining({ code: DataModelErrorCode.NOT_FOUND }));
    // A bare field is valid (Qlik reads it as Only(field)); set expressions must close and name 1 or $.
    for (const bad of ['Sum(AMOUNT', 'Sum()', 'Sum({<AMOUNT={1}>', 'Sum({2} AMOUNT)', 'Sum({<AMOUNT={1}} AMOUNT)', 'Aggr(Sum(AMOUNT), REGION)', 'Foo(AMOUNT)', '1 +', 'Sum(Sum(AMOUNT))', '((((1', '1 ? 2', '']) {
      expect(() => evaluate(m, v, st, bad)).toThrow(expect.objectContaining({ code: DataModelErrorCode.INVALID_EXPRESSION }));
    }
  });
});
