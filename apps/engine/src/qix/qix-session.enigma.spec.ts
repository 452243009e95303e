import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { type DataPageT, type EnigmaGenericObject, type EnigmaGlobal, type EnigmaSession, enigmaSession } from './testing/enigma-client';
import { type QixTestServer, startQixTestServer } from './testing/qix-test-server';
import { PRODUCTS, regionOf, type Sale, salesLoadResult, sum, visibleRows } from './testing/sales-fixture';

/**
 * The real enigma.js client (newest schema, delta protocol on) against the session over a real
 * websocket, as users of the section-access worked example. Every expected number is computed here
 * from the raw rows of the fixture (visibleRows is a plain-JS join), never typed in.
 */
let server: QixTestServer;
const sessions: EnigmaSession[] = [];

beforeAll(async () => {
  server = await startQixTestServer([{ appId: 'sales', title: 'Sales analysis', load: salesLoadResult() }]);
});
afterEach(async () => {
  await Promise.all(sessions.splice(0).map((s) => s.close()));
});
afterAll(async () => {
  await server.close();
});

async function connect(user: string): Promise<EnigmaGlobal> {
  const session = enigmaSession(server.url('sales'), user);
  sessions.push(session);
  return session.open();
}

const num = (v: number | 'NaN'): number => (v === 'NaN' ? Number.NaN : v);
const rows = (pages: DataPageT[]) => pages.flatMap((p) => p.qMatrix);
const byText = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/** Sum / Count / Avg of AMOUNT per REGION over the given sales, sorted as the cube sorts text. */
function expectedByRegion(sales: readonly Sale[]): { region: string; sum: number; count: number; avg: number }[] {
  const groups = new Map<string, Sale[]>();
  for (const s of sales) groups.set(regionOf(s.custId), [...(groups.get(regionOf(s.custId)) ?? []), s]);
  return [...groups.entries()]
    .sort(([a], [b]) => byText(a, b))
    .map(([region, g]) => ({ region, sum: sum(g.map((s) => s.amount)), count: g.length, avg: sum(g.map((s) => s.amount)) / g.length }));
}

const REGION_CUBE = {
  qInfo: { qType: 'region-cube' },
  qHyperCubeDef: {
    qDimensions: [{ qDef: { qFieldDefs: ['REGION'] } }],
    qMeasures: [{ qDef: { qDef: 'Sum(AMOUNT)', qLabel: 'Amount' } }, { qDef: { qDef: '=Count(ORDERID)' } }, { qDef: { qDef: 'Avg(AMOUNT)' } }],
    qInitialDataFetch: [{ qTop: 0, qLeft: 0, qHeight: 50, qWidth: 4 }],
  },
};

async function expectRegionCube(cube: EnigmaGenericObject, sales: readonly Sale[]): Promise<void> {
  const layout = await cube.getLayout();
  const hc = layout.qHyperCube!;
  const expected = expectedByRegion(sales);
  expect(hc.qSize).toEqual({ qcx: 4, qcy: expected.length });
  expect(hc.qDimensionInfo[0]!.qFallbackTitle).toBe('REGION');
  expect(hc.qMeasureInfo.map((m) => m.qFallbackTitle)).toEqual(['Amount', 'Count(ORDERID)', 'Avg(AMOUNT)']);
  const matrix = rows(hc.qDataPages);
  expect(matrix.map((r) => r[0]!.qText)).toEqual(expected.map((e) => e.region));
  matrix.forEach((r, i) => {
    expect(num(r[1]!.qNum)).toBeCloseTo(expected[i]!.sum, 9);
    expect(num(r[2]!.qNum)).toBe(expected[i]!.count);
    expect(num(r[3]!.qNum)).toBeCloseTo(expected[i]!.avg, 9);
    expect(r[1]!.qState).toBe('L');
  });
  const amounts = sales.map((s) => s.amount);
  expect(num(hc.qGrandTotalRow[0]!.qNum)).toBeCloseTo(sum(amounts), 9);
  expect(num(hc.qGrandTotalRow[1]!.qNum)).toBe(sales.length);
  expect(num(hc.qGrandTotalRow[2]!.qNum)).toBeCloseTo(sum(amounts) / sales.length, 9);
}

const USERS = [
  { user: 'CORP\\ROOT', regions: null, omitted: [] as string[] },
  { user: 'CORP\\ALICE', regions: ['EAST'], omitted: [] as string[] },
  { user: 'corp\\bob', regions: ['WEST', 'NORTH'], omitted: ['MARGIN'] },
];

describe.each(USERS)('enigma.js as $user', ({ user, regions, omitted }) => {
  const vis = visibleRows(regions);

  it('opens the doc and lists tables, fields and keys of its view', async () => {
    const global = await connect(user);
    const doc = await global.openDoc('sales');
    expect(doc.handle).toBeGreaterThan(0);
    expect((await global.getActiveDoc()).handle).toBe(doc.handle);
    const { qtr, qk } = await doc.getTablesAndKeys({ qcx: 1000, qcy: 1000 }, { qcx: 0, qcy: 0 }, 30, false, false);
    expect(qtr.map((t) => [t.qName, t.qNoOfRows])).toEqual([
      ['Customers', vis.customers.length],
      ['Sales', vis.sales.length],
      ['Products', vis.products.length],
    ]);
    const salesFields = ['ORDERID', 'CUSTID', 'PRODID', 'AMOUNT', 'MARGIN'].filter((f) => !omitted.includes(f));
    expect(qtr[1]!.qFields.map((f) => f.qName)).toEqual(salesFields);
    const custIds = new Set([...vis.customers.map((c) => c.custId), ...vis.sales.map((s) => s.custId)]);
    expect(qtr[0]!.qFields.find((f) => f.qName === 'CUSTID')!.qnTotalDistinctValues).toBe(custIds.size);
    expect(qk.map((k) => [k.qKeyFields, k.qTables])).toEqual([
      [['CUSTID'], ['Customers', 'Sales']],
      [['PRODID'], ['Sales', 'Products']],
    ]);
    const region = await doc.getFieldDescription('REGION');
    expect(region.qCardinal).toBe(new Set(vis.customers.map((c) => c.region)).size);
    expect(region.qSrcTables).toEqual(['Customers']);
  });

  it('answers a Sum/Count/Avg hypercube by REGION from the visible rows only', async () => {
    const doc = await (await connect(user)).openDoc('sales');
    const cube = await doc.createSessionObject(REGION_CUBE);
    expect(cube.handle).toBeGreaterThan(0);
    expect(cube.genericType).toBe('region-cube');
    await expectRegionCube(cube, vis.sales);
  });

  it('pages through a cube with getHyperCubeData', async () => {
    const doc = await (await connect(user)).openDoc('sales');
    const cube = await doc.createSessionObject({
      qInfo: { qType: 'orders' },
      qHyperCubeDef: { qDimensions: [{ qDef: { qFieldDefs: ['ORDERID'] } }, { qDef: { qFieldDefs: ['PRODUCT'] } }], qMeasures: [{ qDef: { qDef: 'Sum(AMOUNT)' } }] },
    });
    const expected = [...vis.sales].sort((a, b) => a.orderId - b.orderId);
    const got: DataPageT['qMatrix'] = [];
    for (let top = 0; top < expected.length; top += 3) {
      const pages = await cube.getHyperCubeData('/qHyperCubeDef', [{ qTop: top, qLeft: 0, qHeight: 3, qWidth: 3 }]);
      expect(pages[0]!.qArea).toEqual({ qTop: top, qLeft: 0, qWidth: 3, qHeight: Math.min(3, expected.length - top) });
      got.push(...pages[0]!.qMatrix);
    }
    expect(got.map((r) => num(r[0]!.qNum))).toEqual(expected.map((s) => s.orderId));
    expect(got.map((r) => r[1]!.qText)).toEqual(expected.map((s) => PRODUCTS.find((p) => p.prodId === s.prodId)!.product));
    got.forEach((r, i) => expect(num(r[2]!.qNum)).toBeCloseTo(expected[i]!.amount, 9));
  });

  it('selectValues narrows the cube (with a change notification), clearAll restores it', async () => {
    const doc = await (await connect(user)).openDoc('sales');
    const cube = await doc.createSessionObject(REGION_CUBE);
    await cube.getLayout();
    const changed = new Promise<void>((resolve) => cube.on('changed', resolve));
    const field = await doc.getField('PRODUCT');
    expect(field.handle).toBeGreaterThan(0);
    expect(await field.selectValues([{ qText: 'Gizmo' }])).toBe(vis.products.some((p) => p.product === 'Gizmo'));
    await changed;
    const gizmo = vis.sales.filter((s) => s.prodId === 'P3');
    await expectRegionCube(cube, gizmo);
    expect((await doc.evaluateEx('Sum(AMOUNT)')).qNumber).toBeCloseTo(sum(gizmo.map((s) => s.amount)), 9);
    await doc.clearAll();
    await expectRegionCube(cube, vis.sales);
    expect((await doc.evaluateEx('Sum(AMOUNT)')).qNumber).toBeCloseTo(sum(vis.sales.map((s) => s.amount)), 9);
    // Back to a state whose cube is kept: its grand totals come with it, and must be that state's;
    // an Evaluate kept for that state too.
    await field.selectValues([{ qText: 'Gizmo' }]);
    await expectRegionCube(cube, gizmo);
    expect((await doc.evaluateEx('Sum(AMOUNT)')).qNumber).toBeCloseTo(sum(gizmo.map((s) => s.amount)), 9);
  });

  it('a value outside the view selects nothing', async () => {
    const doc = await (await connect(user)).openDoc('sales');
    const outside = PRODUCTS.filter((p) => !vis.products.includes(p));
    const field = await doc.getField('PRODUCT');
    for (const p of outside) expect(await field.selectValues([{ qText: p.product }])).toBe(false);
    expect(await field.getCardinal()).toBe(vis.products.length);
    expect(await doc.evaluate('Count(ORDERID)')).toBe(String(vis.sales.length));
  });

  it('evaluates aggregates and arithmetic over the visible rows', async () => {
    const doc = await (await connect(user)).openDoc('sales');
    const amounts = vis.sales.map((s) => s.amount);
    const cases: [string, number][] = [
      ['Sum(AMOUNT)', sum(amounts)],
      ['Count(DISTINCT CUSTID)', new Set(vis.sales.map((s) => s.custId)).size],
      ['Avg(AMOUNT)', sum(amounts) / amounts.length],
      ['Max(AMOUNT) - Min(AMOUNT)', Math.max(...amounts) - Math.min(...amounts)],
      ['Sum(AMOUNT) / Count(ORDERID) * 2', (sum(amounts) / amounts.length) * 2],
    ];
    for (const [expression, expected] of cases) {
      const v = await doc.evaluateEx(expression);
      expect(v.qIsNumeric).toBe(true);
      expect(num(v.qNumber)).toBeCloseTo(expected, 9);
      expect(Number(await doc.evaluate(`=${expression}`))).toBeCloseTo(expected, 2);
    }
  });

  it('returns raw table rows of the view with getTableData', async () => {
    const doc = await (await connect(user)).openDoc('sales');
    const data = await doc.getTableData(0, 100, false, 'Sales');
    const expected = vis.sales.map((s) => [s.orderId, s.custId, s.prodId, s.amount, ...(omitted.includes('MARGIN') ? [] : [s.margin])]);
    expect(data.map((r) => r.qValue.map((v) => (v.qIsNumeric ? v.qNumber : v.qText)))).toEqual(expected);
  });
});

describe('enigma.js: list objects, hypercube selections, OMIT, object lifecycle', () => {
  it('a list object shows the visible values with states and selects by element number', async () => {
    const doc = await (await connect('CORP\\BOB')).openDoc('sales');
    const vis = visibleRows(['WEST', 'NORTH']);
    const list = await doc.createSessionObject({ qInfo: { qType: 'filter' }, qListObjectDef: { qDef: { qFieldDefs: ['NAME'] }, qInitialDataFetch: [{ qTop: 0, qLeft: 0, qHeight: 20, qWidth: 1 }] } });
    const layout = await list.getLayout();
    const names = vis.customers.map((c) => c.name);
    expect(layout.qListObject!.qSize).toEqual({ qcx: 1, qcy: names.length });
    const cells = rows(layout.qListObject!.qDataPages).map((r) => r[0]!);
    expect(cells.map((c) => c.qText).sort()).toEqual([...names].sort());
    expect(cells.every((c) => c.qState === 'O')).toBe(true);
    const bolt = cells.find((c) => c.qText === 'Bolt')!;
    expect(await list.selectListObjectValues('/qListObjectDef', [bolt.qElemNumber], false)).toBe(true);
    const after = rows(await list.getListObjectData('/qListObjectDef', [{ qTop: 0, qLeft: 0, qHeight: 20, qWidth: 1 }])).map((r) => r[0]!);
    expect(after.find((c) => c.qText === 'Bolt')!.qState).toBe('S');
    const boltSales = vis.sales.filter((s) => s.custId === 'C2');
    expect((await doc.evaluateEx('Sum(AMOUNT)')).qNumber).toBeCloseTo(sum(boltSales.map((s) => s.amount)), 9);
  });

  it('selectHyperCubeValues selects a dimension value by qElemNumber', async () => {
    const doc = await (await connect('CORP\\ROOT')).openDoc('sales');
    const cube = await doc.createSessionObject(REGION_CUBE);
    const first = rows((await cube.getLayout()).qHyperCube!.qDataPages)[0]!;
    expect(await cube.selectHyperCubeValues('/qHyperCubeDef', 0, [first[0]!.qElemNumber], false)).toBe(true);
    const selected = visibleRows(null).sales.filter((s) => regionOf(s.custId) === first[0]!.qText);
    await expectRegionCube(cube, selected);
    const again = rows((await cube.getLayout()).qHyperCube!.qDataPages);
    expect(again[0]![0]!.qState).toBe('S');
  });

  it('an OMITted field does not exist for BOB, with the very error of a field that never existed', async () => {
    const bob = await (await connect('CORP\\BOB')).openDoc('sales');
    const failure = async (p: Promise<unknown>) => p.then(() => null, (e: { code: number; message: string }) => ({ code: e.code, message: e.message }));
    const omitted = await failure(bob.getFieldDescription('MARGIN'));
    const missing = await failure(bob.getFieldDescription('NOSUCHFIELD'));
    expect(omitted?.code).toBe(2);
    expect(omitted?.message.replace('MARGIN', 'X')).toBe(missing?.message.replace('NOSUCHFIELD', 'X'));
    expect((await failure(bob.getField('MARGIN')))?.code).toBe(2);
    expect((await failure(bob.evaluate('Sum(MARGIN)')))?.code).toBe(2);
    const cube = { qHyperCubeDef: { qDimensions: [{ qDef: { qFieldDefs: ['REGION'] } }], qMeasures: [{ qDef: { qDef: 'Sum(MARGIN)' } }] } };
    expect((await failure(bob.createSessionObject(cube)))?.code).toBe(2);
    const dimCube = { qHyperCubeDef: { qDimensions: [{ qDef: { qFieldDefs: ['MARGIN'] } }] } };
    expect((await failure(bob.createSessionObject(dimCube)))?.code).toBe(2);
    expect((await failure(bob.createSessionObject({ qHyperCubeDef: { qMeasures: [{ qDef: { qDef: 'Sum(AMOUNT' } }] } })))?.code).toBe(7000);
    const root = await (await connect('CORP\\ROOT')).openDoc('sales');
    expect((await root.getFieldDescription('MARGIN')).qName).toBe('MARGIN');
    expect((await root.createSessionObject(cube)).handle).toBeGreaterThan(0);
  });

  it('session objects: properties round-trip, getObject, destroy closes the handle', async () => {
    const doc = await (await connect('CORP\\ALICE')).openDoc('sales');
    const obj = await doc.createSessionObject({ ...REGION_CUBE, qInfo: { qId: 'kpi-1', qType: 'kpi' }, custom: { color: 'red' } });
    expect(obj.id).toBe('kpi-1');
    expect((await obj.getProperties())['custom']).toEqual({ color: 'red' });
    expect((await obj.getLayout())['custom']).toEqual({ color: 'red' });
    expect((await doc.getObject('kpi-1')).handle).toBe(obj.handle);
    await expect(doc.createSessionObject({ qInfo: { qId: 'kpi-1' } })).rejects.toMatchObject({ code: 3 });
    const closed = new Promise<void>((resolve) => obj.on('closed', resolve));
    expect(await doc.destroySessionObject('kpi-1')).toBe(true);
    await closed;
    await expect(doc.getObject('kpi-1')).rejects.toMatchObject({ code: 2 });
    expect(await doc.destroySessionObject('kpi-1')).toBe(false);
  });
});

describe('enigma.js: global methods and opening', () => {
  it('reports the authenticated user, the version and the doc list', async () => {
    const global = await connect('CORP\\alice');
    expect(await global.getAuthenticatedUser()).toBe('UserDirectory=CORP; UserId=alice');
    expect((await global.engineVersion()).qComponentVersion).toMatch(/^12\./);
    expect((await global.getDocList()).map((d) => [d.qDocId, d.qTitle])).toEqual([['sales', 'Sales analysis']]);
    await expect(global.getActiveDoc()).rejects.toMatchObject({ code: 1007 });
  });

  it('a user no security row admits is denied (5) and the denial is audited with its reason', async () => {
    const global = await connect('CORP\\EVE');
    const before = server.audits.length;
    await expect(global.openDoc('sales')).rejects.toMatchObject({ code: 5, message: 'Access denied' });
    const events = server.audits.slice(before);
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({ action: 'OpenDoc', outcome: 'denied', appId: 'sales', code: 5, user: { userDirectory: 'CORP', userId: 'EVE' } });
    expect(events[0]!.reason).toMatch(/NO_MATCHING_ROW/);
    await expect(global.getActiveDoc()).rejects.toMatchObject({ code: 1007 });
  });

  it('an unknown app is 1003, a second OpenDoc is 1002, and a grant is audited', async () => {
    const global = await connect('CORP\\ALICE');
    await expect(global.openDoc('no-such-app')).rejects.toMatchObject({ code: 1003 });
    const before = server.audits.length;
    await global.openDoc('sales');
    expect(server.audits.slice(before)).toEqual([{ action: 'OpenDoc', outcome: 'granted', appId: 'sales', user: { userDirectory: 'CORP', userId: 'ALICE' } }]);
    await expect(global.openDoc('sales')).rejects.toMatchObject({ code: 1002 });
  });
});
