/**
 * npm run bench:engine — the associative engine against DuckDB on the same generated app.
 *
 * App: Orders 1,000,000 (ORDERID, CUSTID, PRODID, AMOUNT), Customers 100,000 (CUSTID, REGION,
 * NAME), Products 10,000 (PRODID, CATEGORY); a security table of 1,000 users with 1–5 of 20
 * regions each. For each sampled user we measure
 *   (1) app open = section-access reduction (ours: reduce() → row bitsets; DuckDB: semi-join
 *       reduction into temp tables security → customers → orders → products),
 *   (2) Sum(AMOUNT) by REGION and by PRODID on the reduced data (ours: hypercube(); DuckDB:
 *       GROUP BY over the temp tables, results read into JS),
 *   (3) memory added per open reduced session (ours: heap + array buffers after GC, per session),
 *   (4) set analysis: Sum({<REGION={…}>} AMOUNT) by PRODID vs DuckDB's filtered group-by (join + WHERE),
 *   (5) memory per persisted generic object (sheets, charts, master measures, bookmarks): heap held
 *       by the decoded objects section plus a session's ObjectBook over it, and bytes in the app
 *       document (no peer: DuckDB has no such objects),
 *   (6) 100 concurrent QIX sessions on a real site, each selecting and fetching a 50-row cube page
 *       in a closed loop (bench/engine-concurrent-cube.ts: p50/p99, req/s; no peer), once with the
 *       engine's default cube cache and once with it off (every call computes its cube),
 *   (7) a selection inside the reduced view: one of the user's customers selected (SelectValues by
 *       number), then the first 50 rows of Sum(AMOUNT) by ORDERID (ours: select() → computeState →
 *       hypercube(); DuckDB: WHERE custid = … GROUP BY orderid ORDER BY orderid LIMIT 50 over the
 *       user's reduced orders).
 * Sums of both engines are compared for every sampled user. Medians are reported.
 */
import { DuckDBInstance, type DuckDBConnection } from '@duckdb/node-api';
import {
  buildDataModel,
  type Cell,
  computeState,
  type DataModel,
  decodeDataModel,
  encodeDataModel,
  hypercube,
  fullView,
  type LoadedTable,
  select,
  SelectionState,
  type View,
} from '@trustzone/data-model';
import { reduce } from '@trustzone/section-access';
import { loadavg } from 'node:os';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { encodeAppDocument } from '@trustzone/app-store';
import { median, RESULTS_DIR, rng, writeResult } from './bench-util';
import { benchConcurrentCube } from './engine-concurrent-cube';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { newStored, ObjectBook } from '../apps/engine/src/qix/objects/stored-object';

const ORDERS = 1_000_000;
const CUSTOMERS = 100_000;
const PRODUCTS = 10_000;
const USERS = 1_000;
const REGIONS = Array.from({ length: 20 }, (_, i) => `REGION${String(i).padStart(2, '0')}`);
const SAMPLED_USERS = 40;
const WARMUP = 5;
const SESSIONS_FOR_MEMORY = 50;

setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;

interface App {
  orders: { orderId: Int32Array; custId: Int32Array; prodId: Int32Array; amount: Float64Array };
  customerRegion: string[];
  productCategory: string[];
  userRegions: string[][];
}

function generate(): App {
  const rand = rng(42);
  const int = (n: number) => Math.floor(rand() * n);
  const orders = { orderId: new Int32Array(ORDERS), custId: new Int32Array(ORDERS), prodId: new Int32Array(ORDERS), amount: new Float64Array(ORDERS) };
  for (let i = 0; i < ORDERS; i++) {
    orders.orderId[i] = i + 1;
    orders.custId[i] = int(CUSTOMERS) + 1;
    orders.prodId[i] = int(PRODUCTS) + 1;
    orders.amount[i] = Math.round(rand() * 100_000) / 100;
  }
  const customerRegion = Array.from({ length: CUSTOMERS }, () => REGIONS[int(REGIONS.length)]!);
  const productCategory = Array.from({ length: PRODUCTS }, () => `CAT${int(50)}`);
  const userRegions = Array.from({ length: USERS }, () => {
    const set = new Set<string>();
    const want = 1 + int(5);
    while (set.size < want) set.add(REGIONS[int(REGIONS.length)]!);
    return [...set];
  });
  return { orders, customerRegion, productCategory, userRegions };
}

const userId = (u: number) => `CORP\\USER${String(u).padStart(4, '0')}`;

function securityTable(app: App): LoadedTable {
  const access: Cell[] = ['ADMIN'];
  const users: Cell[] = ['INTERNAL\\SA_SCHEDULER'];
  const regions: Cell[] = [null];
  app.userRegions.forEach((rs, u) => {
    for (const r of rs) {
      access.push('USER');
      users.push(userId(u));
      regions.push(r);
    }
  });
  return { name: 'SA', fields: ['ACCESS', 'USERID', 'REGION'], columns: [access, users, regions] };
}

function buildOurs(app: App): DataModel {
  const o = app.orders;
  const orders: LoadedTable = { name: 'Orders', fields: ['ORDERID', 'CUSTID', 'PRODID', 'AMOUNT'], columns: [Array.from(o.orderId), Array.from(o.custId), Array.from(o.prodId), Array.from(o.amount)] };
  const customers: LoadedTable = {
    name: 'Customers',
    fields: ['CUSTID', 'REGION', 'NAME'],
    columns: [Array.from({ length: CUSTOMERS }, (_, i) => i + 1), app.customerRegion, Array.from({ length: CUSTOMERS }, (_, i) => `Customer ${i + 1}`)],
  };
  const products: LoadedTable = { name: 'Products', fields: ['PRODID', 'CATEGORY'], columns: [Array.from({ length: PRODUCTS }, (_, i) => i + 1), app.productCategory] };
  return buildDataModel({ tables: [orders, customers, products], sectionAccess: securityTable(app), variables: {} });
}

async function buildDuck(app: App): Promise<DuckDBConnection> {
  const db = await DuckDBInstance.create(':memory:');
  const con = await db.connect();
  await con.run('CREATE TABLE orders (orderid INTEGER, custid INTEGER, prodid INTEGER, amount DOUBLE)');
  await con.run('CREATE TABLE customers (custid INTEGER, region VARCHAR, name VARCHAR)');
  await con.run('CREATE TABLE products (prodid INTEGER, category VARCHAR)');
  await con.run('CREATE TABLE security (userid VARCHAR, region VARCHAR)');
  const o = app.orders;
  let a = await con.createAppender('orders');
  for (let i = 0; i < ORDERS; i++) {
    a.appendInteger(o.orderId[i]!);
    a.appendInteger(o.custId[i]!);
    a.appendInteger(o.prodId[i]!);
    a.appendDouble(o.amount[i]!);
    a.endRow();
  }
  a.closeSync();
  a = await con.createAppender('customers');
  app.customerRegion.forEach((r, i) => {
    a.appendInteger(i + 1);
    a.appendVarchar(r);
    a.appendVarchar(`Customer ${i + 1}`);
    a.endRow();
  });
  a.closeSync();
  a = await con.createAppender('products');
  app.productCategory.forEach((c, i) => {
    a.appendInteger(i + 1);
    a.appendVarchar(c);
    a.endRow();
  });
  a.closeSync();
  a = await con.createAppender('security');
  app.userRegions.forEach((rs, u) => {
    for (const r of rs) {
      a.appendVarchar(userId(u));
      a.appendVarchar(r);
      a.endRow();
    }
  });
  a.closeSync();
  return con;
}

type Sums = Map<string, number>;

function ourSums(model: DataModel, view: View, dim: string): Sums {
  const state = computeState(model, view, SelectionState.empty());
  const out: Sums = new Map();
  for (let top = 0; ; top += 5000) {
    const cube = hypercube(model, view, state, { dimensions: [dim], measures: ['Sum(AMOUNT)'], pages: [{ top, left: 0, height: 5000, width: 2 }] });
    for (const [d, s] of cube.pages[0]!.matrix) out.set(d!.qText, s!.qNum === 'NaN' ? Number.NaN : s!.qNum);
    if (top + 5000 >= cube.size.cy) return out;
  }
}

async function duckSums(con: DuckDBConnection, sql: string): Promise<Sums> {
  const rows = (await con.runAndReadAll(sql)).getRowsJS();
  return new Map(rows.map((r) => [String(r[0]), Number(r[1])]));
}

function agree(a: Sums, b: Sums): { ok: boolean; maxRel: number } {
  let maxRel = 0;
  // Ours lists every possible dimension value (a product nobody ordered shows 0); DuckDB's GROUP BY
  // lists only groups with rows. Compare over the union with missing = 0.
  for (const k of new Set([...a.keys(), ...b.keys()])) {
    const x = a.get(k) ?? 0;
    const y = b.get(k) ?? 0;
    const rel = Math.abs(x - y) / Math.max(1, Math.abs(y));
    if (!(rel <= maxRel)) maxRel = rel;
  }
  return { ok: maxRel < 1e-9, maxRel };
}

const time = async <T>(fn: () => T | Promise<T>): Promise<{ ms: number; value: T }> => {
  const t0 = performance.now();
  const value = await fn();
  return { ms: performance.now() - t0, value };
};

interface Setup {
  model: DataModel;
  con: DuckDBConnection;
  timings: { build_model_ms: number; payload_bytes: number; encode_ms: number; decode_ms: number; duckdb_load_ms: number };
}

/** Generation, build, codec round trip and DuckDB load; everything but the model and the
 * connection is garbage once this returns, so it cannot blur the memory measurement. */
async function setUp(): Promise<Setup> {
  console.log('generating app…');
  const app = generate();
  const build = await time(() => buildOurs(app));
  const enc = await time(() => encodeDataModel(build.value));
  const dec = await time(() => decodeDataModel(enc.value));
  if (dec.value.tables[0]!.rowCount !== ORDERS) throw new Error('decode lost rows');
  console.log(`model built in ${build.ms.toFixed(0)} ms; payload ${(enc.value.length / 1e6).toFixed(1)} MB, encode ${enc.ms.toFixed(0)} ms, decode ${dec.ms.toFixed(0)} ms`);
  const duckLoad = await time(() => buildDuck(app));
  console.log(`duckdb loaded in ${duckLoad.ms.toFixed(0)} ms`);
  return {
    model: build.value,
    con: duckLoad.value,
    timings: { build_model_ms: round(build.ms), payload_bytes: enc.value.length, encode_ms: round(enc.ms), decode_ms: round(dec.ms), duckdb_load_ms: round(duckLoad.ms) },
  };
}

async function main(): Promise<void> {
  const loadBefore = loadavg()[0]!;
  const { model, con, timings } = await setUp();
  const security = model.securityTable!;

  const rand = rng(7);
  const users = Array.from({ length: WARMUP + SAMPLED_USERS }, () => Math.floor(rand() * USERS));
  const ours = { reduce: [] as number[], region: [] as number[], prod: [] as number[], select: [] as number[] };
  const duck = { reduce: [] as number[], region: [] as number[], prod: [] as number[], select: [] as number[] };
  let allAgree = true;
  let maxRel = 0;
  let reducedRows = 0;
  // Interleaved per user (ours, then DuckDB) so that load from other processes on the machine
  // hits both engines alike; the agreement check runs afterwards, outside the timings.
  const login = (u: number) => ({ directory: 'CORP', userId: `USER${String(u).padStart(4, '0')}`, groups: [] });
  const page = { top: 0, left: 0, height: 5000, width: 2 };
  const duckResults: { region: Sums; prod: Sums }[] = [];
  for (const [i, u] of users.entries()) {
    const r = await time(() => reduce(model, security, login(u)));
    if (r.value.kind !== 'granted') throw new Error(`user ${u} denied: ${r.value.reason}`);
    const view = r.value.view;
    const state = computeState(model, view, SelectionState.empty());
    const byRegion = await time(() => hypercube(model, view, state, { dimensions: ['REGION'], measures: ['Sum(AMOUNT)'], pages: [page] }));
    const byProd = await time(() => hypercube(model, view, state, { dimensions: ['PRODID'], measures: ['Sum(AMOUNT)'], pages: [page] }));

    const uid = userId(u).replace(/'/g, "''");
    const dr = await time(async () => {
      await con.run(`CREATE TEMP TABLE c_u AS SELECT * FROM customers WHERE region IN (SELECT region FROM security WHERE userid = '${uid}')`);
      await con.run('CREATE TEMP TABLE o_u AS SELECT * FROM orders WHERE custid IN (SELECT custid FROM c_u)');
      await con.run('CREATE TEMP TABLE p_u AS SELECT * FROM products WHERE prodid IN (SELECT prodid FROM o_u)');
    });
    const dRegion = await time(() => duckSums(con, 'SELECT c.region, SUM(o.amount) FROM o_u o JOIN c_u c USING (custid) GROUP BY c.region'));
    const dProd = await time(() => duckSums(con, 'SELECT prodid, SUM(amount) FROM o_u GROUP BY prodid'));
    // (7) One of the user's customers (picked outside the timings), then a 50-row page by order.
    const customers = Number((await con.runAndReadAll('SELECT count(*) FROM c_u')).getRowsJS()[0]![0]);
    const cust = Number((await con.runAndReadAll(`SELECT custid FROM c_u ORDER BY custid LIMIT 1 OFFSET ${(i * 7919) % customers}`)).getRowsJS()[0]![0]);
    const oSel = await time(() => {
      const picked = select(model, view, SelectionState.empty(), 'CUSTID', [{ number: cust }]);
      return hypercube(model, view, computeState(model, view, picked.selections), { dimensions: ['ORDERID'], measures: ['Sum(AMOUNT)'], pages: [{ top: 0, left: 0, height: 50, width: 2 }] });
    });
    const dSel = await time(() => duckSums(con, `SELECT orderid, SUM(amount) FROM o_u WHERE custid = ${cust} GROUP BY orderid ORDER BY orderid LIMIT 50`));
    const selAgree = agree(new Map(oSel.value.pages[0]!.matrix.map(([d, v]) => [d!.qText, v!.qNum === 'NaN' ? Number.NaN : v!.qNum])), dSel.value);
    if (!selAgree.ok || dSel.value.size === 0) throw new Error(`user ${u}, customer ${cust}: the selected customer's orders differ from DuckDB's (${oSel.value.pages[0]!.matrix.length} rows against ${dSel.value.size})`);
    await con.run('DROP TABLE c_u; DROP TABLE o_u; DROP TABLE p_u;');
    duckResults.push({ region: dRegion.value, prod: dProd.value });
    if (i < WARMUP) continue;
    reducedRows += view.rowCount(model.tableByName.get('Orders')!);
    ours.reduce.push(r.ms);
    ours.region.push(byRegion.ms);
    ours.prod.push(byProd.ms);
    duck.reduce.push(dr.ms);
    duck.region.push(dRegion.ms);
    duck.prod.push(dProd.ms);
    ours.select.push(oSel.ms);
    duck.select.push(dSel.ms);
  }
  for (const [i, u] of users.entries()) {
    const r = reduce(model, security, login(u));
    if (r.kind !== 'granted') throw new Error('denied');
    const a1 = agree(ourSums(model, r.view, 'REGION'), duckResults[i]!.region);
    const a2 = agree(ourSums(model, r.view, 'PRODID'), duckResults[i]!.prod);
    allAgree &&= a1.ok && a2.ok;
    maxRel = Math.max(maxRel, a1.maxRel, a2.maxRel);
  }
  console.log(`sums agree for all ${users.length} users (REGION and PRODID): ${allAgree} (max relative difference ${maxRel.toExponential(2)})`);
  console.log(`select one customer + 50-row cube by ORDERID: ours ${median(ours.select).toFixed(2)} ms, DuckDB ${median(duck.select).toFixed(2)} ms (median of ${ours.select.length}; every page agreed)`);

  const setAnalysis = await benchSetAnalysis(model, con);

  // Memory per open reduced session: the view (row bitsets) plus what a first cube caches in it.
  duckResults.length = 0;
  gc();
  gc();
  const before = process.memoryUsage();
  const sessions: unknown[] = [];
  for (let s = 0; s < SESSIONS_FOR_MEMORY; s++) {
    const r = reduce(model, security, login(s));
    if (r.kind !== 'granted') throw new Error('denied');
    const state = computeState(model, r.view, SelectionState.empty());
    hypercube(model, r.view, state, { dimensions: ['REGION'], measures: ['Sum(AMOUNT)'], pages: [{ top: 0, left: 0, height: 50, width: 2 }] });
    hypercube(model, r.view, state, { dimensions: ['PRODID'], measures: ['Sum(AMOUNT)'], pages: [{ top: 0, left: 0, height: 50, width: 2 }] });
    sessions.push({ view: r.view, state, selections: SelectionState.empty() });
  }
  gc();
  gc();
  const after = process.memoryUsage();
  const heldBytes = after.heapUsed - before.heapUsed + (after.arrayBuffers - before.arrayBuffers);
  const perSession = heldBytes / sessions.length;
  const viewBytes = sessions.map((s) => (s as { view: View }).view.byteLength());

  const objects = benchPersistedObjects();
  con.closeSync();
  const concurrent = await benchConcurrentCube();
  const uncached = await benchConcurrentCube(0);

  const summary = {
    bytes_per_persisted_object: objects.heapBytesPerObject,
    concurrent_cube_p99_ms: concurrent.p99_ms,
    concurrent_cube_p99_uncached_ms: uncached.p99_ms,
    reduction_ms: round(median(ours.reduce)),
    reduction_vs_duckdb_time_ratio: round(median(ours.reduce) / median(duck.reduce)),
    groupby_vs_duckdb_time_ratio: round((median(ours.region) + median(ours.prod)) / (median(duck.region) + median(duck.prod))),
    session_bytes_per_fact_row: round(perSession / ORDERS, 4),
    set_analysis_vs_duckdb_time_ratio: round(median(setAnalysis.ours) / median(setAnalysis.duck)),
    select_vs_duckdb_time_ratio: round(median(ours.select) / median(duck.select)),
  };
  writeResult('engine', summary, {
    data: { orders: ORDERS, customers: CUSTOMERS, products: PRODUCTS, users: USERS, regions: REGIONS.length, sampled_users: SAMPLED_USERS, warmup_users: WARMUP },
    mean_reduced_order_rows: Math.round(reducedRows / SAMPLED_USERS),
    setup: timings,
    ours_median_ms: { reduction: round(median(ours.reduce)), sum_by_region: round(median(ours.region)), sum_by_prodid: round(median(ours.prod)), select_one_customer: round(median(ours.select), 3) },
    duckdb_median_ms: { reduction: round(median(duck.reduce)), sum_by_region: round(median(duck.region)), sum_by_prodid: round(median(duck.prod)), select_one_customer: round(median(duck.select), 3) },
    select_one_customer: 'one of the user\'s customers (~10 orders of 1M) selected in the reduced view, then rows 0–49 of Sum(AMOUNT) by ORDERID; DuckDB: WHERE custid = … GROUP BY orderid ORDER BY orderid LIMIT 50 over the reduced orders; every page compared',
    memory: { sessions: sessions.length, bytes_per_session_measured: Math.round(perSession), view_bytes_per_session_accounted: Math.round(viewBytes.reduce((a, b) => a + b, 0) / viewBytes.length) },
    agreement: { users_checked: users.length, all_sums_agree: allAgree, max_relative_difference: maxRel },
    set_analysis: {
      expression: "Sum({<REGION={'…', '…', '…'}>} AMOUNT) by PRODID, no selection, full view; DuckDB: JOIN customers, WHERE region IN (…), GROUP BY prodid",
      runs: setAnalysis.ours.length,
      ours_median_ms: round(median(setAnalysis.ours)),
      duckdb_median_ms: round(median(setAnalysis.duck)),
      all_sums_agree: setAnalysis.agree,
      max_relative_difference: setAnalysis.maxRel,
    },
    persisted_objects: objects,
    concurrent_cube: concurrent,
    concurrent_cube_uncached: uncached,
    host_load_average_1m: { before: round(loadBefore), after: round(loadavg()[0]!), note: 'timings are wall-clock medians on a shared host; load inflates both engines' },
    targets: { reduction_ms: 100, reduction_vs_duckdb_time_ratio: 1.5, groupby_vs_duckdb_time_ratio: 2, session_bytes_per_fact_row: 8, set_analysis_vs_duckdb_time_ratio: 2, concurrent_cube_p99_ms: 50, concurrent_cube_p99_uncached_ms: 50 },
  });
}

const SET_ANALYSIS_RUNS = 30;

/**
 * Set analysis: Sum({<REGION={a,b,c}>} AMOUNT) by PRODID over the whole model (the set reaches the
 * Customers table through CUSTID, the dimension lives in Orders) against DuckDB's filtered
 * group-by with the join on the same rows. Three regions vary per run; runs interleave the two
 * engines, and every answer is compared (ours lists every PRODID, 0 where no row matched).
 */
async function benchSetAnalysis(model: DataModel, con: DuckDBConnection): Promise<{ ours: number[]; duck: number[]; agree: boolean; maxRel: number }> {
  const view = fullView(model);
  const state = computeState(model, view, SelectionState.empty());
  const rand = rng(11);
  const ours: number[] = [];
  const duck: number[] = [];
  let ok = true;
  let maxRel = 0;
  for (let i = 0; i < WARMUP + SET_ANALYSIS_RUNS; i++) {
    const regions = [...new Set(Array.from({ length: 3 }, () => REGIONS[Math.floor(rand() * REGIONS.length)]!))];
    const list = regions.map((r) => `'${r}'`).join(',');
    const measure = `Sum({<REGION={${list}}>} AMOUNT)`;
    const o = await time(() => {
      const out: Sums = new Map();
      for (let top = 0; ; top += 5000) {
        const cube = hypercube(model, view, state, { dimensions: ['PRODID'], measures: [measure], pages: [{ top, left: 0, height: 5000, width: 2 }] });
        for (const [d, v] of cube.pages[0]!.matrix) out.set(d!.qText, v!.qNum === 'NaN' ? Number.NaN : v!.qNum);
        if (top + 5000 >= cube.size.cy) return out;
      }
    });
    const d = await time(() => duckSums(con, `SELECT o.prodid, SUM(o.amount) FROM orders o JOIN customers c USING (custid) WHERE c.region IN (${list}) GROUP BY o.prodid`));
    const a = agree(o.value, d.value);
    ok &&= a.ok;
    maxRel = Math.max(maxRel, a.maxRel);
    if (i < WARMUP) continue;
    ours.push(o.ms);
    duck.push(d.ms);
  }
  console.log(`set analysis by PRODID: ours ${median(ours).toFixed(1)} ms, DuckDB ${median(duck).toFixed(1)} ms (median of ${ours.length}); sums agree: ${ok}`);
  return { ours, duck, agree: ok, maxRel };
}

const PERSISTED_OBJECTS = 4000;

/**
 * What an engine holds per persisted object of an open app: the decoded objects section (the app
 * library's cache) and one session's ObjectBook over it (validated records, maps). A realistic mix:
 * sheets with a grid of cells, charts with a hypercube definition, master measures, bookmarks with
 * selected values. Heap after GC, before and after; file bytes from the encoded app document.
 */
function benchPersistedObjects(): { objects: number; heapBytesPerObject: number; documentBytesPerObject: number; mix: string } {
  const objects = Array.from({ length: PERSISTED_OBJECTS }, (_, i) => {
    const owner = userId(i % USERS);
    switch (i % 8) {
      case 0:
      case 1:
        return newStored({ id: `sheet-${i}`, type: 'sheet', ownerId: owner, base: true, properties: { qInfo: { qId: `sheet-${i}`, qType: 'sheet' }, qMetaDef: { title: `Sheet ${i}`, description: '' }, rank: i, columns: 24, rows: 12, cells: Array.from({ length: 6 }, (_, c) => ({ name: `chart-${i}-${c}`, type: 'barchart', col: c * 4, row: 0, colspan: 4, rowspan: 6 })), qChildListDef: { qData: { title: '/title' } } } });
      case 7:
        return newStored({ id: `bm-${i}`, type: 'bookmark', ownerId: owner, base: false, properties: { qInfo: { qId: `bm-${i}`, qType: 'bookmark' }, qMetaDef: { title: `Bookmark ${i}` } }, selections: [{ field: 'REGION', values: REGIONS.slice(0, 3).map((text) => ({ text })) }] });
      case 6:
        return newStored({ id: `m-${i}`, type: 'measure', ownerId: owner, base: true, properties: { qInfo: { qId: `m-${i}`, qType: 'measure' }, qMeasure: { qDef: `Sum({<REGION={'${REGIONS[i % REGIONS.length]}'}>} AMOUNT)`, qLabel: `Amount ${i}` }, qMetaDef: { title: `Amount ${i}` } } });
      default:
        return newStored({ id: `chart-${i}`, type: 'barchart', ownerId: owner, base: true, parentId: `sheet-${i - (i % 8)}`, properties: { qInfo: { qId: `chart-${i}`, qType: 'barchart' }, title: `Chart ${i}`, qHyperCubeDef: { qDimensions: [{ qDef: { qFieldDefs: ['REGION'], qSortCriterias: [{ qSortByAscii: 1 }] } }], qMeasures: [{ qDef: { qDef: 'Sum(AMOUNT)', qLabel: 'Amount' }, qSortBy: { qSortByNumeric: -1 } }], qInitialDataFetch: [{ qTop: 0, qLeft: 0, qHeight: 50, qWidth: 2 }], qSuppressZero: false }, color: { auto: true } } });
    }
  }) as unknown as Record<string, unknown>[];
  const document = encodeAppDocument({ model: null, script: '', objects });
  const json = JSON.stringify(objects);
  gc();
  gc();
  const before = process.memoryUsage();
  // As an engine holds them: the parsed section (app library cache) and a session's book over it.
  const held = JSON.parse(json) as Record<string, unknown>[];
  const book = new ObjectBook(held);
  if (book.all().length !== PERSISTED_OBJECTS) throw new Error('objects lost');
  gc();
  gc();
  const after = process.memoryUsage();
  const heap = after.heapUsed - before.heapUsed + (after.arrayBuffers - before.arrayBuffers);
  const keep = [held, book];
  const result = { objects: keep.length === 2 ? PERSISTED_OBJECTS : 0, heapBytesPerObject: Math.round(heap / PERSISTED_OBJECTS), documentBytesPerObject: Math.round(document.length / PERSISTED_OBJECTS), mix: '2/8 sheets (6 cells), 4/8 charts (1-dim 1-measure hypercube), 1/8 master measures, 1/8 bookmarks (3 values)' };
  console.log(`persisted objects: ${result.heapBytesPerObject} heap bytes and ${result.documentBytesPerObject} document bytes per object (${PERSISTED_OBJECTS} objects)`);
  return result;
}

function round(n: number, digits = 2): number {
  const f = 10 ** digits;
  return Math.round(n * f) / f;
}

/**
 * BENCH_ENGINE_PART=concurrent measures only the concurrent sessions (cube cache on, then off) and
 * adds their keys and details to the existing bench/results/engine.json, leaving every other figure
 * of the last full run as it was.
 */
async function concurrentOnly(): Promise<void> {
  const concurrent = await benchConcurrentCube();
  const load = round(loadavg()[0]!);
  const uncached = await benchConcurrentCube(0);
  const file = join(RESULTS_DIR, 'engine.json');
  const out = JSON.parse(readFileSync(file, 'utf8')) as { summary: Record<string, number>; details: Record<string, unknown> & { targets?: Record<string, number> } };
  out.summary['concurrent_cube_p99_ms'] = concurrent.p99_ms;
  out.summary['concurrent_cube_p99_uncached_ms'] = uncached.p99_ms;
  out.details['concurrent_cube'] = { ...concurrent, measured_alone: new Date().toISOString(), host_load_average_1m: load };
  out.details['concurrent_cube_uncached'] = { ...uncached, measured_alone: new Date().toISOString(), host_load_average_1m: round(loadavg()[0]!) };
  out.details.targets = { ...out.details.targets, concurrent_cube_p99_ms: 50, concurrent_cube_p99_uncached_ms: 50 };
  writeFileSync(file, JSON.stringify(out, null, 2) + '\n');
  console.log(`concurrent_cube_p99_ms ${concurrent.p99_ms} (cube cache on), concurrent_cube_p99_uncached_ms ${uncached.p99_ms} (cube cache off) → bench/results/engine.json (other keys untouched)`);
}

// BENCH_ENGINE_PART=objects measures only the persisted objects (no result file written);
// BENCH_ENGINE_PART=concurrent only the concurrent QIX sessions (see concurrentOnly).
const part = process.env['BENCH_ENGINE_PART'];
(part === 'objects' ? Promise.resolve(void benchPersistedObjects()) : part === 'concurrent' ? concurrentOnly() : main()).catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
