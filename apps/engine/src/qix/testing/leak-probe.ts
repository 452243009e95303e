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

// A number standing on its own (not digits inside a word such as a hex id: a GUID's "5e2f…" once
// read as 5e2 = 500, a forbidden amount), and GUIDs (qGenericId, object ids) left out entirely:
// identifiers are random, and a segment of decimal digits would match a value by chance.
const NUMBER_TOKEN = /(?<![\w.])-?\d+(?:\.\d+)?(?:[eE][+-]?\d+)?(?!\w|\.\d)/g;
const GUID = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/gi;

/** Every occurrence of a forbidden text (as a substring) or number (any numeric token within 1e-6) in the frames. */
export function findLeaks(frames: readonly string[], forbidden: Forbidden): { token: string; frame: string }[] {
  const hits: { token: string; frame: string }[] = [];
  for (const frame of frames) {
    for (const t of forbidden.texts) if (frame.includes(t)) hits.push({ token: t, frame: frame.slice(0, 300) });
    for (const m of frame.replace(GUID, '').matchAll(NUMBER_TOKEN)) {
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
  await exerciseObjects(doc);
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

interface ObjectApi {
  createObject(p: object): Promise<{ createChild(p: object): Promise<unknown> }>;
  getObject(id: string): Promise<EnigmaGenericObject & { getFullPropertyTree(): Promise<unknown> }>;
  createMeasure(p: object): Promise<unknown>;
  createDimension(p: object): Promise<unknown>;
  getMeasure(id: string): Promise<{ getLayout(): Promise<unknown> }>;
  createBookmark(p: object): Promise<unknown>;
  getBookmark(id: string): Promise<{ getLayout(): Promise<unknown> }>;
  applyBookmark(id: string): Promise<boolean>;
  getBookmarks(o: object): Promise<unknown>;
  getAllInfos(): Promise<unknown>;
}

/**
 * Persisted objects made by whoever ran first (ROOT, who may update the app; the reduced runs'
 * creations are refused): a sheet whose charts measure every probe, master items a chart uses by
 * qLibraryId, and a bookmark holding every value of every field. A reduced user reads the layouts,
 * the bookmark's layout and list, applies it and aggregates: all inside the view.
 */
async function exerciseObjects(doc: EnigmaDoc): Promise<void> {
  const objs = doc as unknown as ObjectApi;
  const sheet = await settle(objs.createObject({ qInfo: { qId: 'leak-sheet', qType: 'sheet' }, qChildListDef: { qData: {} } }));
  await settle(objs.createDimension({ qInfo: { qId: 'leak-dim' }, qDim: { qFieldDefs: ['NAME'] } }));
  for (const [i, e] of [...DOLLAR_PROBES, ...SET_ANALYSIS_PROBES.slice(0, 6)].entries()) {
    await settle(objs.createMeasure({ qInfo: { qId: `leak-m${i}` }, qMeasure: { qDef: e } }));
    if (sheet !== null) await settle(sheet.createChild({ qInfo: { qId: `leak-chart${i}`, qType: 'table' }, qHyperCubeDef: { qDimensions: [{ qLibraryId: 'leak-dim' }], qMeasures: [{ qLibraryId: `leak-m${i}`, qDef: { qLabel: `m${i}` } }, { qDef: { qDef: e, qLabel: `e${i}` } }], qInitialDataFetch: PAGE } }));
    const chart = await settle(objs.getObject(`leak-chart${i}`));
    if (chart !== null) {
      await settle(chart.getLayout());
      await settle(chart.getHyperCubeData('/qHyperCubeDef', PAGE));
    }
    // A master measure's layout echoes its definition (as GetProperties does), and the set-analysis
    // probes name hidden values on purpose: only the dollar probes (which name none) are read back.
    const m = i < DOLLAR_PROBES.length ? await settle(objs.getMeasure(`leak-m${i}`)) : null;
    if (m !== null) await settle(m.getLayout());
  }
  for (const f of ALL_FIELDS) {
    const field = await settle(doc.getField(f));
    if (field !== null) await settle(field.select('*'));
  }
  await settle(objs.createBookmark({ qInfo: { qId: 'leak-bookmark' } }));
  await settle(doc.clearAll());
  const bm = await settle(objs.getBookmark('leak-bookmark'));
  if (bm !== null) await settle(bm.getLayout());
  await settle(objs.getBookmarks({ qData: {} }));
  await settle(objs.applyBookmark('leak-bookmark'));
  for (const f of ALL_FIELDS) await settle(doc.evaluateEx(`Concat(DISTINCT ${f}, ',')`));
  await settle(doc.clearAll());
  const lists = await settle(doc.createSessionObject({ qInfo: { qType: 'lists' }, qAppObjectListDef: { qType: 'table', qData: {} }, qBookmarkListDef: { qType: 'bookmark' }, qFieldListDef: { qShowSrcTables: true }, qMeasureListDef: { qType: 'measure' }, qDimensionListDef: { qType: 'dimension' } }));
  if (lists !== null) await settle(lists.getLayout());
  await settle(objs.getAllInfos());
  // Navigation and copies: a reduced user's clone of the owner's sheet (refused without Update, made by
  // ROOT's run), its charts read through GetChild/GetParent/GetLinkedObjects, a session object CopyFrom.
  type Nav = EnigmaGenericObject & { getChild(id: string): Promise<EnigmaGenericObject>; getParent(): Promise<EnigmaGenericObject>; getLinkedObjects(): Promise<unknown>; copyFrom(id: string): Promise<void>; getChildInfos(): Promise<{ qId: string }[]> };
  const cloneId = await settle((doc as unknown as { cloneObject(id: string): Promise<string> }).cloneObject('leak-sheet'));
  for (const id of ['leak-sheet', ...(cloneId === null ? [] : [cloneId])]) {
    const s = (await settle(objs.getObject(id))) as Nav | null;
    if (s === null) continue;
    for (const c of (await settle(s.getChildInfos())) ?? []) {
      const child = (await settle(s.getChild(c.qId))) as Nav | null;
      if (child === null) continue;
      await settle(child.getLayout());
      await settle(child.getLinkedObjects());
      const parent = await settle(child.getParent());
      if (parent !== null) await settle(parent.getLayout());
    }
  }
  const scratch = (await settle(doc.createSessionObject({ qInfo: { qType: 'scratch' } }))) as Nav | null;
  if (scratch !== null) {
    await settle(scratch.copyFrom('leak-chart0'));
    await settle(scratch.getLayout());
  }
}

interface SearchApi {
  searchSuggest(o: object, t: string[]): Promise<unknown>;
  searchAssociations(o: object, t: string[], p: object): Promise<unknown>;
  selectAssociations(o: object, t: string[], ix: number): Promise<void>;
  searchObjects(o: object, t: string[], p: object): Promise<unknown>;
}

/**
 * The other searches (SearchSuggest, SearchAssociations, SelectAssociations, SearchObjects): a
 * suggestion for every prefix of every raw text, association searches echoing the same terms as
 * SearchResults, selecting every match combination and reading what it selected.
 */
async function exerciseSearches(doc: EnigmaDoc, globs: readonly string[]): Promise<void> {
  const s = doc as unknown as SearchApi;
  const PAGE_ALL = { qOffset: 0, qCount: 100, qMaxNbrFieldMatches: 100 };
  for (const glob of globs) {
    const prefix = glob.slice(0, -1);
    for (const qContext of ['Cleared', 'CurrentSelections']) {
      await settle(s.searchSuggest({ qContext }, [prefix.slice(0, 1)]));
      await settle(s.searchSuggest({ qContext }, ['x', prefix]));
      await settle(s.searchAssociations({ qContext }, [glob], PAGE_ALL));
    }
  }
  for (const term of ['*', 'a', 'e', '1', '0']) {
    for (let ix = 0; ix < 4; ix++) {
      await settle(s.selectAssociations({ qContext: 'Cleared' }, [term], ix));
      for (const f of ALL_FIELDS) await settle(doc.evaluateEx(`Concat(DISTINCT ${f}, ',')`));
      await settle(doc.evaluateEx('Sum(AMOUNT) + Sum(MARGIN)'));
    }
  }
  await settle(doc.clearAll());
  await settle(s.searchObjects({ qAttributes: ['qProperty'] }, ['leak', 'table', 'a', 'e'], PAGE_ALL));
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
  const pivot = await settle(doc.createSessionObject({ qHyperCubeDef: { qMode: 'P', qAlwaysFullyExpanded: true, qNoOfLeftDims: 2, qDimensions: ['REGION', 'NAME', 'PRODUCT'].map((f) => ({ qDef: { qFieldDefs: [f] } })), qMeasures: measures.map((m, i) => ({ qDef: { qDef: m, qLabel: `p${i}` } })), qInitialDataFetch: PAGE } }));
  if (pivot !== null) {
    await settle(pivot.getLayout());
    await settle((pivot as unknown as { getHyperCubePivotData(p: string, pages: object[]): Promise<unknown> }).getHyperCubePivotData('/qHyperCubeDef', PAGE));
  }
  // A pivot with subtotals, walked by ExpandLeft/ExpandTop node by node and with qAll, then collapsed,
  // plain and indented (qIndentMode, where a parent's own row is its subtotal): every subtotal, total
  // node and node position is scanned.
  type Expander = { expandLeft(p: string, r: number, c: number, a: boolean): Promise<void>; expandTop(p: string, r: number, c: number, a: boolean): Promise<void>; collapseLeft(p: string, r: number, c: number, a: boolean): Promise<void>; getHyperCubePivotData(p: string, pages: object[]): Promise<unknown> };
  const totals = { qOtherTotalSpec: { qTotalMode: 'TOTAL_EXPR' } };
  for (const qIndentMode of [false, true]) {
    const sub = (await settle(doc.createSessionObject({ qHyperCubeDef: { qMode: 'P', qNoOfLeftDims: 2, qShowTotalsAbove: true, qIndentMode, qDimensions: ['REGION', 'NAME', 'CATEGORY', 'PRODUCT'].map((f) => ({ qDef: { qFieldDefs: [f] }, ...totals })), qMeasures: measures.map((m, i) => ({ qDef: { qDef: m, qLabel: `s${i}` } })), qInitialDataFetch: PAGE } }))) as unknown as (Expander & EnigmaGenericObject) | null;
    if (sub !== null) {
      for (let r = 0; r < 8; r++) {
        await settle(sub.expandLeft('/qHyperCubeDef', r, 0, false));
        await settle(sub.expandTop('/qHyperCubeDef', 0, r, false));
        await settle(sub.getLayout());
      }
      await settle(sub.expandLeft('/qHyperCubeDef', 0, 0, true));
      await settle(sub.expandTop('/qHyperCubeDef', 0, 0, true));
      await settle(sub.getHyperCubePivotData('/qHyperCubeDef', PAGE));
      await settle(sub.collapseLeft('/qHyperCubeDef', 0, 0, true));
      await settle(sub.getLayout());
    }
  }
  // Search: a prefix pattern of every raw text (the answer echoes its terms, so not the text itself),
  // over all fields, in both contexts.
  const search = doc as unknown as { searchResults(o: object, t: string[], p: object): Promise<unknown> };
  const prefixes = rawValues.filter((v): v is string => typeof v === 'string').map((v) => `${v.slice(0, Math.max(1, v.length - 1))}*`);
  for (const term of [...new Set(prefixes), '*', 'a']) {
    for (const qContext of ['Cleared', 'CurrentSelections']) await settle(search.searchResults({ qContext }, [term], { qOffset: 0, qCount: 100, qMaxNbrFieldMatches: 100 }));
  }
  await exerciseSearches(doc, [...new Set(prefixes)]);
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
  await exerciseObjects(doc);
}
