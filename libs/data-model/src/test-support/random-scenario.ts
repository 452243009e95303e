import fc from 'fast-check';
import { Bitset } from '../bitset';
import type { Cell, LoadedTable } from '../loaded-table';
import { buildDataModel } from '../model-builder';
import { select } from '../selection-ops';
import { SelectionState } from '../selection-state';
import { createView } from '../view';
import { loadResult } from './inline-table';
import { NaiveModel, naiveKey, type NaiveKey } from './naive-engine';

// Random models of two shapes (a chain and a three-way key), random views and selections,
// compared with the naive oracle.
const cell = (domain: readonly string[]) => fc.option(fc.constantFrom(...domain), { nil: null, freq: 6 });
const rows = (width: number, domains: readonly (readonly string[])[]) =>
  fc.array(fc.tuple(...domains.slice(0, width).map((d) => cell(d))), { maxLength: 7 });

function table(name: string, fields: string[], data: (string | null)[][]): LoadedTable {
  return { name, fields, columns: fields.map((_, i) => data.map((r) => r[i] ?? null) as Cell[]) };
}

const K1 = ['1', '2', '3', '4'];
const K2 = ['x', 'y', 'z'];
const V = ['10', '20', '30', 'abc'];
const shapes = fc.oneof(
  fc.tuple(rows(2, [K1, V]), rows(3, [K1, K2, V]), rows(2, [K2, V]), rows(1, [V])).map(([a, b, c, d]) => [
    table('A', ['K1', 'VA'], a),
    table('B', ['K1', 'K2', 'VB'], b),
    table('C', ['K2', 'VC'], c),
    table('D', ['VD'], d),
  ]),
  fc.tuple(rows(2, [K1, V]), rows(2, [K1, V]), rows(3, [K1, K2, V]), rows(2, [K2, V])).map(([a, b, c, d]) => [
    table('A', ['K1', 'VA'], a),
    table('B', ['K1', 'VB'], b),
    table('C', ['K1', 'K2', 'VC'], c),
    table('D', ['K2', 'VD'], d),
  ]),
);

export const randomScenario = shapes.chain((tables) =>
  fc.record({
    tables: fc.constant(tables),
    views: fc.tuple(...tables.map((t) => fc.option(fc.subarray([...Array(t.columns[0]!.length).keys()]), { nil: null }))),
    selections: fc.array(fc.tuple(fc.constantFrom('K1', 'K2', 'VA', 'VB', 'VC', 'VD'), fc.subarray([...K1, ...K2, ...V], { minLength: 1 })), { maxLength: 3 }),
  }),
);

export function scenarioModels(s: { tables: LoadedTable[]; views: (number[] | null)[]; selections: [string, string[]][] }) {
  const model = buildDataModel(loadResult(s.tables));
  const view = createView(
    model,
    s.views.map((rowsInView, t) => (rowsInView === null ? null : Bitset.of(model.tables[t]!.rowCount, rowsInView))),
    [],
  );
  let sel = SelectionState.empty();
  const naiveSel = new Map<string, Set<NaiveKey>>();
  for (const [field, values] of s.selections) {
    if (!model.fieldByName.has(field)) continue;
    const r = select(model, view, sel, field, values.map((text) => ({ text })));
    sel = r.selections;
    // The naive side selects the same values, restricted to those present in the view.
    const visible = new Set<NaiveKey>();
    s.tables.forEach((t, ti) => {
      const i = t.fields.indexOf(field);
      if (i < 0) return;
      t.columns[i]!.forEach((c, row) => {
        if (s.views[ti] === null || s.views[ti]!.includes(row)) visible.add(naiveKey(c));
      });
    });
    const keys = new Set(values.map((v) => naiveKey(v)).filter((k) => visible.has(k)));
    if (keys.size === 0) naiveSel.delete(field);
    else naiveSel.set(field, keys);
  }
  const naive = new NaiveModel(
    s.tables,
    s.tables.map((t, ti) => new Set(s.views[ti] ?? [...Array(t.columns[0]!.length).keys()])),
    naiveSel,
  );
  return { model, view, sel, naive };
}

