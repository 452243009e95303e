import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { computeState } from './associative-state';
import { Bitset } from './bitset';
import { buildDataModel } from './model-builder';
import type { DataModel } from './model-types';
import { select } from './selection-ops';
import { SelectionState } from './selection-state';
import { inline, loadResult } from './test-support/inline-table';
import { naiveKey } from './test-support/naive-engine';
import { randomScenario, scenarioModels } from './test-support/random-scenario';
import { fullView } from './view';

function rowsOf(model: DataModel, state: ReturnType<typeof computeState>, table: string): number[] {
  const t = model.tableByName.get(table)!;
  const rows = state.tableRows(t) ?? state.view.rowSet(t);
  return rows === null ? [...Array(model.tables[t]!.rowCount).keys()] : rows.toArray();
}

const chain = () =>
  buildDataModel(
    loadResult([
      inline('Orders', 'ORDERID, CUSTID, PRODID, AMOUNT\n1, C1, P1, 10\n2, C1, P2, 20\n3, C2, P2, 30\n4, C3, P3, 40\n5, , P1, 50'),
      inline('Customers', 'CUSTID, REGION\nC1, EAST\nC2, WEST\nC3, WEST\nC4, EAST'),
      inline('Products', 'PRODID, CATEGORY\nP1, FOOD\nP2, TOOLS\nP3, FOOD\nP4, TOYS'),
      inline('Island', 'COLOR\nRED\nBLUE'),
    ]),
  );

describe('associative propagation', () => {
  it('with no selection every row is possible, including orphans and null keys', () => {
    const m = chain();
    const st = computeState(m, fullView(m), SelectionState.empty());
    for (const t of m.tables) expect(st.tableRows(m.tableByName.get(t.name)!)).toBeNull();
  });

  it('a selection in a dimension table restricts the fact table and, through it, the other dimension', () => {
    const m = chain();
    const v = fullView(m);
    const sel = select(m, v, SelectionState.empty(), 'REGION', [{ text: 'EAST' }]).selections;
    const st = computeState(m, v, sel);
    expect(rowsOf(m, st, 'Customers')).toEqual([0, 3]); // C1, C4 (C4 has no orders but is in EAST)
    expect(rowsOf(m, st, 'Orders')).toEqual([0, 1]); // orders of C1; the null-CUSTID order is excluded
    expect(rowsOf(m, st, 'Products')).toEqual([0, 1]); // P1, P2 bought by C1
    expect(st.tableRows(m.tableByName.get('Island')!)).toBeNull(); // islands keep all rows
  });

  it('a selection in the fact table restricts both dimension tables (the other direction)', () => {
    const m = chain();
    const v = fullView(m);
    const sel = select(m, v, SelectionState.empty(), 'AMOUNT', [{ number: 30 }, { number: 50 }]).selections;
    const st = computeState(m, v, sel);
    expect(rowsOf(m, st, 'Orders')).toEqual([2, 4]); // the selected order with a null key stays possible
    expect(rowsOf(m, st, 'Customers')).toEqual([1]);
    expect(rowsOf(m, st, 'Products')).toEqual([0, 1]);
  });

  it('chains of three tables propagate end to end, and selections in two places intersect', () => {
    const m = chain();
    const v = fullView(m);
    let sel = select(m, v, SelectionState.empty(), 'CATEGORY', [{ text: 'FOOD' }]).selections;
    let st = computeState(m, v, sel);
    expect(rowsOf(m, st, 'Customers')).toEqual([0, 2]); // C1 (P1) and C3 (P3)
    sel = select(m, v, sel, 'REGION', [{ text: 'WEST' }]).selections;
    st = computeState(m, v, sel);
    expect(rowsOf(m, st, 'Orders')).toEqual([3]);
    expect(rowsOf(m, st, 'Products')).toEqual([2]);
    expect(st.possibleSymbols(m.fieldByName.get('CUSTID')!)!.toArray().map((s) => m.fields[m.fieldByName.get('CUSTID')!]!.symbols.text(s))).toEqual(['C3']);
  });

  it('alternatives are the values possible without the field\'s own selection', () => {
    const m = chain();
    const v = fullView(m);
    let sel = select(m, v, SelectionState.empty(), 'REGION', [{ text: 'EAST' }]).selections;
    sel = select(m, v, sel, 'CATEGORY', [{ text: 'TOOLS' }]).selections;
    const st = computeState(m, v, sel);
    const region = m.fieldByName.get('REGION')!;
    const alt = st.alternativeSymbols(region)!.toArray().map((s) => m.fields[region]!.symbols.text(s));
    expect(alt.sort()).toEqual(['EAST', 'WEST']); // C1 and C2 bought TOOLS
  });
});

describe('propagation matches the naive oracle on random models', () => {
  it('possible rows and possible values agree', () => {
    fc.assert(
      fc.property(randomScenario, (s) => {
        const { model, view, sel, naive } = scenarioModels(s);
        const st = computeState(model, view, sel);
        model.tables.forEach((t, ti) => {
          expect(rowsOf(model, st, t.name)).toEqual(naive.possibleRows(ti));
        });
        for (const f of model.fields) {
          const fid = model.fieldByName.get(f.name)!;
          const set = st.possibleSymbols(fid) ?? view.fieldSymbols(fid) ?? Bitset.full(f.symbols.size);
          const ours = new Set(set.toArray().map((x) => naiveKey(f.symbols.text(x))));
          expect(ours).toEqual(naive.possibleValues(f.name));
        }
      }),
      { numRuns: 300 },
    );
  });
});
