import type { EnigmaDoc, EnigmaGenericObject, EnigmaGlobal } from './enigma-client';
import { CUSTOMERS, PRODUCTS, SALES, sum, visibleRows } from './sales-fixture';

export const ALL_FIELDS = ['CUSTID', 'NAME', 'REGION', 'ORDERID', 'PRODID', 'AMOUNT', 'MARGIN', 'PRODUCT', 'CATEGORY', 'NOSUCHFIELD'];
const AGGREGATES = ['Sum', 'Count', 'Avg', 'Min', 'Max'];
const PAGE = [{ qTop: 0, qLeft: 0, qHeight: 200, qWidth: 20 }];
/** Element numbers to try: every symbol of every field of the fixture, and some beyond. */
const ELEMENTS = [...Array(16).keys()];

export interface Forbidden {
  texts: string[];
  numbers: number[];
}

/** What a user must never see: values of rows outside their regions, values of OMITted fields, totals over all data. */
export function forbiddenFor(regions: readonly string[], omitted: readonly string[]): Forbidden {
  const vis = visibleRows(regions);
  const texts = new Set<string>();
  const numbers = new Set<number>();
  for (const c of CUSTOMERS.filter((c) => !vis.customers.includes(c))) [c.custId, c.name].forEach((t) => texts.add(t));
  for (const r of new Set(CUSTOMERS.map((c) => c.region))) if (!vis.customers.some((c) => c.region === r)) texts.add(r);
  for (const p of PRODUCTS.filter((p) => !vis.products.includes(p))) [p.prodId, p.product].forEach((t) => texts.add(t));
  for (const k of new Set(PRODUCTS.map((p) => p.category))) if (!vis.products.some((p) => p.category === k)) texts.add(k);
  for (const s of SALES.filter((s) => !vis.sales.includes(s))) [s.orderId, s.amount, s.margin].forEach((n) => numbers.add(n));
  if (omitted.includes('MARGIN')) SALES.forEach((s) => numbers.add(s.margin));
  numbers.add(sum(SALES.map((s) => s.amount)));
  numbers.add(sum(SALES.map((s) => s.margin)));
  return { texts: [...texts], numbers: [...numbers] };
}

const NUMBER_TOKEN = /-?\d+(?:\.\d+)?(?:[eE][+-]?\d+)?/g;

/** Every occurrence of a forbidden text (as a substring) or number (any numeric token within 1e-6) in the frames. */
export function findLeaks(frames: readonly string[], forbidden: Forbidden): { token: string; frame: string }[] {
  const hits: { token: string; frame: string }[] = [];
  for (const frame of frames) {
    for (const t of forbidden.texts) if (frame.includes(t)) hits.push({ token: t, frame: frame.slice(0, 300) });
    for (const m of frame.matchAll(NUMBER_TOKEN)) {
      const n = Number(m[0]);
      const hit = forbidden.numbers.find((x) => Math.abs(x - n) < 1e-6);
      if (hit !== undefined) hits.push({ token: String(hit), frame: frame.slice(0, 300) });
    }
  }
  return hits;
}

async function settle<T>(p: Promise<T>): Promise<T | null> {
  return p.then(
    (v) => v,
    () => null,
  );
}

async function cubeRound(doc: EnigmaDoc, cube: EnigmaGenericObject | null, dims: number): Promise<void> {
  if (cube === null) return;
  await settle(cube.getLayout());
  await settle(cube.getProperties());
  await settle(cube.getHyperCubeData('/qHyperCubeDef', PAGE));
  for (let d = 0; d < dims; d++) {
    for (const e of ELEMENTS) {
      await settle(cube.selectHyperCubeValues('/qHyperCubeDef', d, [e], true));
      await settle(cube.getLayout());
    }
    await settle(doc.clearAll());
  }
  await exerciseVariables(doc);
}

/** Set analysis, searches, P()/E(), Aggr and text aggregations: each reaches for data beyond the selection. */
export const SET_ANALYSIS_PROBES = [
  'Sum({1} AMOUNT)',
  "Sum({1<REGION={'EAST','WEST','NORTH','SOUTH'}>} AMOUNT)",
  'Sum({1<REGION=>} AMOUNT)',
  'Sum({1<NAME={"*o*"}>} AMOUNT)',
  'Sum({1<AMOUNT={">100"}>} AMOUNT)',
  "Sum({1<REGION-={'EAST'}>} AMOUNT)",
  "Sum({<REGION+={'SOUTH'}>} AMOUNT)",
  "Sum({1<CUSTID=P({1<REGION={'WEST','SOUTH'}>} CUSTID)>} AMOUNT)",
  "Sum({1<CUSTID=E({1<REGION={'EAST'}>} CUSTID)>} AMOUNT)",
  "Sum({1 - 1<REGION={'EAST'}>} AMOUNT)",
  'Sum({1} TOTAL AMOUNT)',
  'Max({1} Aggr(Sum({1} AMOUNT), CUSTID))',
  "Concat({1} DISTINCT NAME, ',')",
  "Concat({1} DISTINCT PRODUCT, ',')",
  'MaxString({1} NAME)',
  'FirstSortedValue({1} ORDERID, -AMOUNT)',
  'Sum({1<MARGIN={">0"}>} MARGIN)',
];

/**
 * Make every kind of call a client can make: global calls, table listings and raw table data,
 * field descriptions, every aggregate over every field, list objects and cubes (with totals) on
 * every field, selections by every raw value of the data (visible or not) and by every element
 * number, for known, omitted and unknown fields alike. Failures are expected and ignored: their
 * error frames are scanned like the rest.
 */
/**
 * Dollar expansion and variables: each expression is reached as `$(=…)` in Evaluate, as an
 * `=`-variable (defined by whoever ran first: ROOT, so a reduced user evaluates the owner's
 * definition) through GetLayout, `$(var)` and a cube measure. Everything computes on the view.
 */
export const DOLLAR_PROBES = [
  "Concat({1} DISTINCT NAME, ',')",
  "Concat({1} DISTINCT ORDERID, ',')",
  "Concat({1} DISTINCT AMOUNT, ',')",
  "Concat({1} DISTINCT PRODUCT, ',')",
  "Concat({1} DISTINCT MARGIN, ',')",
  'Sum({1} AMOUNT)',
];

interface VariableApi {
  createVariableEx(p: object): Promise<unknown>;
  getVariableByName(n: string): Promise<{ getLayout(): Promise<unknown> }>;
}

async function exerciseVariables(doc: EnigmaDoc): Promise<void> {
  const vars = doc as unknown as VariableApi;
  for (const [i, e] of DOLLAR_PROBES.entries()) {
    await settle(vars.createVariableEx({ qInfo: { qId: `leak-${i}` }, qName: `vLeak${i}`, qDefinition: `=${e}` }));
    const v = await settle(vars.getVariableByName(`vLeak${i}`));
    if (v !== null) await settle(v.getLayout());
    await settle(doc.evaluateEx(`$(=${e})`));
    await settle(doc.evaluateEx(`'$(vLeak${i})'`));
    const cube = await settle(doc.createSessionObject({ qHyperCubeDef: { qDimensions: [{ qDef: { qFieldDefs: ['REGION'] } }], qMeasures: [{ qDef: { qDef: `Sum({1} AMOUNT) + Len('$(vLeak${i})') + Len('$(=${e})')`, qLabel: 'x' } }], qInitialDataFetch: PAGE } }));
    if (cube !== null) await settle(cube.getLayout());
  }
}

export async function exerciseEverything(global: EnigmaGlobal): Promise<void> {
  await global.getDocList();
  await global.engineVersion();
  await global.getAuthenticatedUser();
  const doc = await global.openDoc('sales');
  await doc.getTablesAndKeys({ qcx: 1000, qcy: 1000 }, { qcx: 0, qcy: 0 }, 30, false, false);
  for (const t of ['Customers', 'Sales', 'Products', 'NoTable']) await settle(doc.getTableData(0, 100, false, t));
  const rawValues = [...CUSTOMERS.flatMap((c) => Object.values(c)), ...SALES.flatMap((s) => Object.values(s)), ...PRODUCTS.flatMap((p) => Object.values(p))];
  const measures = ['Sum(AMOUNT)', 'Count(ORDERID)', 'Avg(AMOUNT)', 'Min(AMOUNT)', 'Max(AMOUNT)', 'Count(DISTINCT CUSTID)', 'Sum(MARGIN)'];
  const standing = await settle(doc.createSessionObject({ qHyperCubeDef: { qDimensions: [{ qDef: { qFieldDefs: ['REGION'] } }], qMeasures: measures.slice(0, 6).map((m) => ({ qDef: { qDef: m } })), qInitialDataFetch: PAGE } }));
  for (const f of ALL_FIELDS) {
    await settle(doc.getFieldDescription(f));
    for (const a of AGGREGATES) {
      await settle(doc.evaluate(`${a}(${f})`));
      await settle(doc.evaluateEx(`${a}(DISTINCT ${f}) + Sum(AMOUNT)`));
    }
    const list = await settle(doc.createSessionObject({ qListObjectDef: { qDef: { qFieldDefs: [f] }, qInitialDataFetch: PAGE } }));
    if (list !== null) {
      await list.getLayout();
      for (const e of ELEMENTS) {
        await settle(list.selectListObjectValues('/qListObjectDef', [e], false));
        await settle(list.getListObjectData('/qListObjectDef', PAGE));
        await settle(doc.evaluateEx('Sum(AMOUNT)'));
      }
      await doc.clearAll();
    }
    const field = await settle(doc.getField(f));
    if (field !== null) {
      await field.getCardinal();
      for (const v of rawValues) {
        await settle(field.selectValues([typeof v === 'number' ? { qNumber: v, qIsNumeric: true } : { qText: v }]));
        if (standing !== null) await settle(standing.getLayout());
      }
      await settle(field.select('*'));
      await settle(field.toggleSelect('*'));
      await settle(field.clear());
    }
    for (const ms of [measures, measures.slice(0, 6)]) {
      const cube = await settle(doc.createSessionObject({ qHyperCubeDef: { qDimensions: [{ qDef: { qFieldDefs: [f] } }], qMeasures: ms.map((m) => ({ qDef: { qDef: m } })), qInitialDataFetch: PAGE } }));
      await cubeRound(doc, cube, 1);
    }
  }
  const wide = ['CUSTID', 'NAME', 'REGION', 'ORDERID', 'PRODID', 'PRODUCT', 'CATEGORY'];
  const detail = await settle(doc.createSessionObject({ qHyperCubeDef: { qDimensions: wide.map((f) => ({ qDef: { qFieldDefs: [f] } })), qMeasures: measures.slice(0, 6).map((m) => ({ qDef: { qDef: m } })), qInitialDataFetch: PAGE } }));
  await cubeRound(doc, detail, wide.length);
  await settle(doc.createSessionObject({ qHyperCubeDef: { qMeasures: measures.map((m) => ({ qDef: { qDef: m } })), qInitialDataFetch: PAGE } }));
  for (const e of SET_ANALYSIS_PROBES) await settle(doc.evaluateEx(e));
  // Pivot: the same cube reshaped; every left/top node and data cell is scanned.
  const pivot = await settle(doc.createSessionObject({ qHyperCubeDef: { qMode: 'P', qNoOfLeftDims: 2, qDimensions: ['REGION', 'NAME', 'PRODUCT'].map((f) => ({ qDef: { qFieldDefs: [f] } })), qMeasures: measures.map((m, i) => ({ qDef: { qDef: m, qLabel: `p${i}` } })), qInitialDataFetch: PAGE } }));
  if (pivot !== null) {
    await settle(pivot.getLayout());
    await settle((pivot as unknown as { getHyperCubePivotData(p: string, pages: object[]): Promise<unknown> }).getHyperCubePivotData('/qHyperCubeDef', PAGE));
  }
  // Search: a prefix pattern of every raw text (the answer echoes its terms, so not the text itself),
  // over all fields, in both contexts.
  const search = doc as unknown as { searchResults(o: object, t: string[], p: object): Promise<unknown> };
  const prefixes = rawValues.filter((v): v is string => typeof v === 'string').map((v) => `${v.slice(0, Math.max(1, v.length - 1))}*`);
  for (const term of [...new Set(prefixes), '*', 'a']) {
    for (const qContext of ['Cleared', 'CurrentSelections']) await settle(search.searchResults({ qContext }, [term], { qOffset: 0, qCount: 100, qMaxNbrFieldMatches: 100 }));
  }
  // Labels: a measure's title echoes its expression, which names hidden values on purpose.
  // Calculated dimensions too: their values are computed per record, on visible records only.
  for (const dim of ['REGION', 'CUSTID', 'PRODID', "=NAME & '/' & REGION", '=Upper(PRODUCT)', '=ORDERID + 0']) {
    const cube = await settle(doc.createSessionObject({ qHyperCubeDef: { qDimensions: [{ qDef: { qFieldDefs: [dim] } }], qMeasures: SET_ANALYSIS_PROBES.map((m, i) => ({ qDef: { qDef: m, qLabel: `set ${i}` } })), qInitialDataFetch: PAGE } }));
    // Not GetProperties: it echoes the definition, which names hidden values on purpose.
    if (cube === null) continue;
    await settle(cube.getLayout());
    await settle(cube.getHyperCubeData('/qHyperCubeDef', PAGE));
    for (const e of ELEMENTS) {
      await settle(cube.selectHyperCubeValues('/qHyperCubeDef', 0, [e], true));
      await settle(cube.getLayout());
    }
    await settle(doc.clearAll());
  }
  await exerciseVariables(doc);
}
