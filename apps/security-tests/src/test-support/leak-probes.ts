import type { EnigmaDoc } from './qix-client';
import { SET_ANALYSIS_ATTACKS } from './set-analysis-attacks';

/**
 * Ways a QIX client can ask for data: every one is an attempt to see past section access. Probes
 * are data, so the attack suite runs a fixed list and the fuzzer runs random sequences of them.
 * Errors are part of the answer (their frames are searched too), so a failing probe is swallowed.
 */
export type Probe =
  | { kind: 'tables' }
  | { kind: 'list'; field: string }
  | { kind: 'describe'; field: string }
  | { kind: 'cube'; dims: string[]; measures: string[] }
  | { kind: 'evaluate'; expr: string }
  | { kind: 'tableData'; table: string }
  | { kind: 'selectText'; field: string; value: string }
  | { kind: 'selectElems'; dim: string; elems: number[] }
  | { kind: 'clear' };

export const FIELDS = ['ORDERID', 'CUSTID', 'AMOUNT', 'MARGIN', 'NAME', 'REGION', 'NOSUCH'];
export const TABLES = ['Orders', 'Customers', 'SA', 'NoSuch'];
export const MEASURES = ['Sum(AMOUNT)', 'Sum(MARGIN)', 'Count(ORDERID)', 'Count(DISTINCT CUSTID)', 'Avg(AMOUNT)', 'Min(AMOUNT)', 'Max(AMOUNT)', 'Max(MARGIN)', 'Sum(AMOUNT)/Count(ORDERID)', 'Sum(AMOUNT)*2'];
export const EXPRESSIONS = [...MEASURES, 'Sum({1} AMOUNT)', 'Sum(ALL AMOUNT)', 'Sum(TOTAL AMOUNT)', 'Only(REGION)', 'Concat(NAME)', 'MaxString(NAME)', 'FieldValue(\'REGION\', 1)', 'NoOfRows(\'Orders\')', '=Sum(AMOUNT)'];
/** The expression-language constructs (set analysis, searches, P()/E(), Aggr, text aggregations) as probes too. */
export const EXPRESSIONS_WITH_SETS = [...EXPRESSIONS, ...SET_ANALYSIS_ATTACKS.map((x) => x.expression)];
export const SELECT_VALUES = ['EAST', 'WEST', 'NORTH', 'SOUTH', 'Acme', 'Bolt', 'Dyne', 'C-DYNE', '*'];

export const FIXED_PROBES: Probe[] = [
  { kind: 'tables' },
  ...FIELDS.map((field): Probe => ({ kind: 'list', field })),
  ...FIELDS.map((field): Probe => ({ kind: 'describe', field })),
  { kind: 'cube', dims: ['REGION'], measures: ['Sum(AMOUNT)', 'Sum(MARGIN)', 'Count(ORDERID)'] },
  { kind: 'cube', dims: ['NAME', 'ORDERID'], measures: ['Sum(AMOUNT)'] },
  { kind: 'cube', dims: [], measures: MEASURES },
  ...EXPRESSIONS_WITH_SETS.map((expr): Probe => ({ kind: 'evaluate', expr })),
  { kind: 'cube', dims: ['REGION'], measures: SET_ANALYSIS_ATTACKS.slice(0, 8).map((x) => x.expression) },
  ...TABLES.map((table): Probe => ({ kind: 'tableData', table })),
  ...SELECT_VALUES.map((value): Probe => ({ kind: 'selectText', field: 'REGION', value })),
  { kind: 'cube', dims: ['REGION'], measures: ['Sum(AMOUNT)'] },
  { kind: 'clear' },
  { kind: 'selectElems', dim: 'REGION', elems: Array.from({ length: 12 }, (_, i) => i) },
  { kind: 'selectElems', dim: 'NAME', elems: Array.from({ length: 12 }, (_, i) => i) },
  { kind: 'cube', dims: ['CUSTID'], measures: ['Sum(AMOUNT)', 'Max(MARGIN)'] },
  { kind: 'clear' },
];

const PAGE = [{ qTop: 0, qLeft: 0, qHeight: 100, qWidth: 20 }];

async function run(doc: EnigmaDoc, p: Probe): Promise<void> {
  switch (p.kind) {
    case 'tables':
      await doc.getTablesAndKeys({ qcx: 1000, qcy: 1000 }, { qcx: 0, qcy: 0 }, 30, false, false);
      return;
    case 'list': {
      const o = await doc.createSessionObject({ qInfo: { qType: 'lb' }, qListObjectDef: { qDef: { qFieldDefs: [p.field] }, qInitialDataFetch: PAGE } });
      await o.getLayout();
      await o.getListObjectData('/qListObjectDef', PAGE);
      return;
    }
    case 'describe':
      await doc.getFieldDescription(p.field);
      await (await doc.getField(p.field)).getCardinal();
      return;
    case 'cube': {
      // Labelled: a measure's title would echo its expression, and set-analysis probes name hidden values on purpose.
      const o = await doc.createSessionObject({
        qInfo: { qType: 'cube' },
        qHyperCubeDef: { qDimensions: p.dims.map((d) => ({ qDef: { qFieldDefs: [d] } })), qMeasures: p.measures.map((m, i) => ({ qDef: { qDef: m, qLabel: `m${i}` } })), qInitialDataFetch: PAGE },
      });
      await o.getLayout();
      await o.getHyperCubeData('/qHyperCubeDef', PAGE);
      return;
    }
    case 'evaluate':
      await doc.evaluate(p.expr);
      await doc.evaluateEx(p.expr);
      return;
    case 'tableData':
      await doc.getTableData(0, 1000, false, p.table);
      return;
    case 'selectText':
      await (await doc.getField(p.field)).selectValues([{ qText: p.value }]);
      return;
    case 'selectElems': {
      const o = await doc.createSessionObject({ qInfo: { qType: 'cube' }, qHyperCubeDef: { qDimensions: [{ qDef: { qFieldDefs: [p.dim] } }], qMeasures: [{ qDef: { qDef: 'Sum(AMOUNT)' } }], qInitialDataFetch: PAGE } });
      await o.selectHyperCubeValues('/qHyperCubeDef', 0, p.elems, false);
      await o.getLayout();
      return;
    }
    case 'clear':
      await doc.clearAll();
      return;
  }
}

/** Runs each probe, ignoring refusals (their frames still count). */
export async function runProbes(doc: EnigmaDoc, probes: readonly Probe[]): Promise<void> {
  for (const p of probes) await run(doc, p).catch(() => undefined);
}
