import {
  buildDataModel,
  computeState,
  evaluate,
  fieldDescription,
  fieldNames,
  hypercube,
  listValues,
  type LoadedTable,
  select,
  selectElements,
  selectMatch,
  SelectionState,
  tableData,
  tablesAndKeys,
} from '@trustzone/data-model';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { reduce } from './reduction';

const REGIONS = ['NORTH', 'SOUTH', 'EAST', 'WEST'];

const scenario = fc.record({
  customers: fc.array(fc.option(fc.constantFrom(...REGIONS), { nil: null, freq: 5 }), { minLength: 1, maxLength: 8 }),
  orders: fc.array(fc.tuple(fc.nat({ max: 9 }), fc.integer({ min: 1, max: 500 })), { maxLength: 20 }),
  allowed: fc.subarray([...REGIONS, 'MARS'], { minLength: 1 }),
  omitName: fc.boolean(),
});

type Scenario = typeof scenario extends fc.Arbitrary<infer T> ? T : never;

/**
 * Every data value is a unique token ending in Z ("C3Z", "O12Z", "N3Z"), so a leak of any excluded
 * value shows up as a token in the serialized output. Orders may point at customers that do not
 * exist (dangling keys), which a reduction must also exclude.
 */
function build(s: Scenario) {
  const customers: LoadedTable = {
    name: 'Customers',
    fields: ['CUSTID', 'NAME', 'REGION'],
    columns: [s.customers.map((_, i) => `C${i}Z`), s.customers.map((_, i) => `N${i}Z`), s.customers.map((r) => r)],
  };
  const orders: LoadedTable = {
    name: 'Orders',
    fields: ['ORDERID', 'CUSTID', 'AMOUNT'],
    columns: [s.orders.map((_, j) => `O${j}Z`), s.orders.map(([c]) => `C${c}Z`), s.orders.map(([, a]) => a)],
  };
  const notes: LoadedTable = { name: 'Notes', fields: ['NOTE'], columns: [['VISIBLE1Z', 'VISIBLE2Z']] };
  const model = buildDataModel({ tables: [orders, customers, notes], sectionAccess: null, variables: {} });
  const security: LoadedTable = {
    name: 'SA',
    fields: ['ACCESS', 'USERID', 'REGION', 'OMIT'],
    columns: [s.allowed.map(() => 'USER'), s.allowed.map(() => 'D\\U'), s.allowed, s.allowed.map(() => (s.omitName ? 'NAME' : null))],
  };
  const allowedCustomer = (i: number) => i < s.customers.length && s.customers[i] !== null && s.allowed.includes(s.customers[i]!);
  const excluded: string[] = [];
  s.customers.forEach((_, i) => {
    if (!allowedCustomer(i)) excluded.push(`C${i}Z`, `N${i}Z`);
    else if (s.omitName) excluded.push(`N${i}Z`);
  });
  s.orders.forEach(([c], j) => {
    if (!allowedCustomer(c)) excluded.push(`O${j}Z`, `C${c}Z`);
  });
  for (const r of REGIONS) if (!s.allowed.includes(r)) excluded.push(r);
  const visibleOrders = s.orders.filter(([c]) => allowedCustomer(c));
  return { model, security, excluded: [...new Set(excluded)], visibleOrders, allowedCustomer };
}

function expectNoLeak(output: unknown, excluded: readonly string[]): void {
  const text = JSON.stringify(output);
  for (const token of excluded) {
    // Tokens are whole words: "C3Z" must not match inside "C13Z", region names are upper words.
    expect(new RegExp(`(^|[^A-Z0-9])${token}([^A-Z0-9]|$)`).test(text), `leaked ${token}`).toBe(false);
  }
}

function errorOf(fn: () => unknown): string {
  try {
    fn();
    return '';
  } catch (err) {
    return err instanceof Error ? err.message : String(err);
  }
}

describe('a reduced user never sees an excluded value', () => {
  it('in lists, cubes, table data, evaluate, selections and errors', () => {
    fc.assert(
      fc.property(scenario, (s) => {
        const { model: m, security, excluded, visibleOrders, allowedCustomer } = build(s);
        const r = reduce(m, security, { directory: 'D', userId: 'U', groups: [] });
        if (r.kind === 'denied') {
          // Denied only when nothing the user may see exists.
          expect(s.customers.some((_, i) => allowedCustomer(i))).toBe(false);
          expectNoLeak(r.reason, [...excluded, ...s.customers.map((_, i) => `C${i}Z`)]);
          return;
        }
        const v = r.view;
        const st = computeState(m, v, SelectionState.empty());
        const outputs: unknown[] = [tablesAndKeys(m, v)];
        for (const f of fieldNames(m, v)) {
          outputs.push(listValues(m, v, st, f, { top: 0, height: 1000 }), fieldDescription(m, v, f));
          const cube = hypercube(m, v, st, { dimensions: [f], measures: ['Sum(AMOUNT)', 'Count(ORDERID)', 'Count(DISTINCT CUSTID)'], pages: [{ top: 0, left: 0, height: 1000, width: 4 }] });
          outputs.push(cube);
          // Selecting every element number, visible or not, selects only visible values.
          const all = selectElements(m, v, SelectionState.empty(), f, [...Array(m.fields[m.fieldByName.get(f)!]!.symbols.size).keys()]);
          outputs.push(listValues(m, v, computeState(m, v, all.selections), f, { top: 0, height: 1000 }));
          const star = selectMatch(m, v, SelectionState.empty(), f, '*');
          expect(star.matched).toBe(all.matched);
        }
        for (const t of m.tables) outputs.push(tableData(m, v, t.name, 0, 1000));
        expectNoLeak(outputs, excluded);
        // Numbers: computed over exactly the visible orders.
        const expectedSum = visibleOrders.reduce((a, [, amount]) => a + amount, 0);
        expect(evaluate(m, v, st, 'Sum(AMOUNT)').qNumber).toBe(expectedSum);
        expect(evaluate(m, v, st, 'Count(ORDERID)').qNumber).toBe(visibleOrders.length);
        // Excluded values cannot be selected, and errors echo nothing of the data.
        for (const token of excluded) expect(select(m, v, SelectionState.empty(), token.startsWith('C') ? 'CUSTID' : 'ORDERID', [{ text: token }]).matched).toBe(0);
        const errors = [
          errorOf(() => evaluate(m, v, st, 'Sum(AMOUNT')),
          errorOf(() => evaluate(m, v, st, 'Sum(NAME) + CUSTID')),
          errorOf(() => fieldDescription(m, v, 'NAME')),
          errorOf(() => hypercube(m, v, st, { dimensions: ['REGION'], measures: ['Sum(NAME)'], pages: [{ top: 0, left: 0, height: 99999, width: 99 }] })),
          errorOf(() => tableData(m, v, 'Customers', 0, 1e9)),
        ];
        expectNoLeak(errors, excluded);
        if (s.omitName) expect(errors[2]).toMatch(/not found/i);
      }),
      { numRuns: 150 },
    );
  });
});
