import fc from 'fast-check';
import { buildDataModel, computeState, DataModelError, evaluate, fullView, SelectionState, type Cell } from '@trustzone/data-model';
import { chartScalarCompiler } from '@trustzone/load-script';
import { SET_ANALYSIS_ATTACKS } from '../set-analysis-attacks';
import { mutated, timed, tokenSoup, toResult, type FuzzTarget } from './fuzz-target';

/** A chart expression, however hostile, answers or fails with a DataModelError within this. */
const MAX_EVAL_MS = 500;

const TOKENS = ['Sum(', 'Count(', 'Aggr(', 'Concat(', 'FirstSortedValue(', 'If(', 'Left(', 'Num(', ')', '(', ',', '{', '}', '<', '>', '=', '-=', '+=', '*=', '/=', '1', '$', '$1', 'P(', 'E(', 'TOTAL', 'DISTINCT', 'ALL', 'AMOUNT', 'REGION', 'CUSTID', 'NAME', '[NAME]', '"*"', '">1<9"', "'EAST'", "'", '"', '[', ']', '+', '-', '*', '/', '&', 'and', 'not', '=', '<>', '-1e308', '0'];
const valid = fc.constantFrom(...SET_ANALYSIS_ATTACKS.map((x) => x.expression));
const anyExpression = fc.oneof(valid, mutated(valid), tokenSoup(TOKENS, 60), fc.string({ maxLength: 120 }), fc.nat({ max: 3000 }).map((n) => `Sum({${'('.repeat(n)}1} AMOUNT)`));

const rows = Array.from({ length: 200 }, (_, i) => i);
const model = buildDataModel({
  tables: [
    { name: 'Orders', fields: ['ORDERID', 'CUSTID', 'AMOUNT'], columns: [rows, rows.map((i) => `C${i % 7}`), rows.map((i) => 10_000 + i * 37)] as Cell[][] },
    { name: 'Customers', fields: ['CUSTID', 'NAME', 'REGION'], columns: [[0, 1, 2, 3, 4, 5, 6].map((c) => `C${c}`), ['Acme', 'Bolt', 'Core', 'Dyne', 'Epic', 'Fizz', 'Gust'], ['EAST', 'WEST', 'NORTH', 'SOUTH', 'EAST', 'WEST', 'NORTH']] },
  ],
  sectionAccess: null,
  variables: {},
});
const view = fullView(model);
const state = computeState(model, view, SelectionState.empty());
const scalars = chartScalarCompiler({ now: () => 0 });

export const chartExpressionTargets: FuzzTarget[] = [
  {
    name: 'chart-expression',
    stride: 'Denial of service',
    claim: 'any chart expression (set analysis, Aggr, functions) evaluates or fails with a DataModelError (→ QIX error), within 500 ms',
    testRuns: 300,
    live: false,
    async check(seed, numRuns) {
      return toResult(fc.check(fc.property(anyExpression, (text) => {
        const r = timed(() => evaluate(model, view, state, text, scalars));
        if (r.error !== undefined && !(r.error instanceof DataModelError)) throw new Error(`unexpected ${String(r.error)} for ${text.slice(0, 80)}`);
        return r.ms < MAX_EVAL_MS;
      }), { seed, numRuns }));
    },
  },
];
