import { runScript } from '@trustzone/load-script';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type EnigmaDoc, enigmaSession, type EnigmaSession } from './testing/enigma-client';
import { type QixTestServer, startQixTestServer } from './testing/qix-test-server';

/**
 * The expression language and the hypercube options as the real enigma.js drives them, on an app
 * built by a load script. Expected values are computed here from the same rows (plain JS).
 */
const REGIONS = ['North', 'South', 'East', 'West'];
const customers = Array.from({ length: 12 }, (_, i) => ({ cust: i + 1, name: `Cust${String.fromCharCode(65 + i)}`, region: REGIONS[i % 4]! }));
const orders = Array.from({ length: 80 }, (_, i) => ({ id: 1000 + i, cust: 1 + ((i * 5) % 12), prod: `P${1 + ((i * 7) % 9)}`, amount: 10 + ((i * 53) % 97) }));
const regionOf = (cust: number) => customers.find((c) => c.cust === cust)!.region;
const sum = (xs: number[]) => xs.reduce((a, b) => a + b, 0);
const SCRIPT = [
  'Customers:',
  'LOAD * INLINE [',
  'CUSTID, NAME, REGION',
  ...customers.map((c) => `${c.cust}, ${c.name}, ${c.region}`),
  '];',
  'Orders:',
  'LOAD * INLINE [',
  'ORDERID, CUSTID, PRODID, AMOUNT',
  ...orders.map((o) => `${o.id}, ${o.cust}, ${o.prod}, ${o.amount}`),
  '];',
].join('\n');

let server: QixTestServer;
let session: EnigmaSession;
let doc: EnigmaDoc;
const PAGE = [{ qTop: 0, qLeft: 0, qHeight: 100, qWidth: 10 }];

beforeAll(async () => {
  server = await startQixTestServer([{ appId: 'sets', title: 'Sets', load: await runScript(SCRIPT) }]);
  session = enigmaSession(server.url('sets'), 'CORP\\ROOT');
  doc = await (await session.open()).openDoc('sets');
}, 60_000);
afterAll(async () => {
  await session?.close();
  await server?.close();
});

interface Cell {
  qText: string;
  qNum: number | 'NaN';
  qFrequency?: string;
}

async function cube(def: object): Promise<{ layout: Record<string, unknown>; rows: Cell[][] }> {
  const o = await doc.createSessionObject({ qInfo: { qType: 'table' }, qHyperCubeDef: { qInitialDataFetch: PAGE, ...def } });
  const layout = await o.getLayout();
  return { layout, rows: (layout.qHyperCube!.qDataPages[0]!.qMatrix as unknown as Cell[][]) ?? [] };
}

describe('set analysis through enigma.js', () => {
  it('a set-analysis cube by PRODID with a selection, TOTAL and a function, sorted by a measure descending', async () => {
    const field = await doc.getField('REGION');
    await field.selectValues([{ qText: 'South' }]);
    try {
      const { layout, rows } = await cube({
        qDimensions: [{ qDef: { qFieldDefs: ['PRODID'] } }],
        qMeasures: [
          { qDef: { qDef: "=Sum({<REGION={'North','East'}>} AMOUNT)" }, qSortBy: { qSortByNumeric: -1 } },
          { qDef: { qDef: 'Sum(AMOUNT) / Sum(TOTAL AMOUNT)' } },
          { qDef: { qDef: "If(Sum({1} AMOUNT) > 500, 'big', 'small')" } },
        ],
        qInterColumnSortOrder: [1, 0, 2, 3],
      });
      const south = orders.filter((o) => regionOf(o.cust) === 'South');
      const prods = [...new Set(south.map((o) => o.prod))];
      const want = prods
        .map((p) => ({ p, ne: sum(orders.filter((o) => o.prod === p && ['North', 'East'].includes(regionOf(o.cust))).map((o) => o.amount)) }))
        .sort((a, b) => b.ne - a.ne || Number(a.p.slice(1)) - Number(b.p.slice(1)));
      expect(rows.map((r) => [r[0]!.qText, r[1]!.qNum])).toEqual(want.map((w) => [w.p, w.ne]));
      const southTotal = sum(south.map((o) => o.amount));
      for (const r of rows) {
        expect(r[2]!.qNum).toBeCloseTo(sum(south.filter((o) => o.prod === r[0]!.qText).map((o) => o.amount)) / southTotal, 12);
        expect(r[3]!.qText).toBe(sum(orders.filter((o) => o.prod === r[0]!.qText).map((o) => o.amount)) > 500 ? 'big' : 'small');
      }
      expect((layout.qHyperCube as { qGrandTotalRow: Cell[] }).qGrandTotalRow[0]!.qNum).toBe(sum(orders.filter((o) => ['North', 'East'].includes(regionOf(o.cust))).map((o) => o.amount)));
    } finally {
      await doc.clearAll();
    }
  });

  it('qSuppressZero drops the rows a set empties; Aggr and P() by REGION', async () => {
    const { rows } = await cube({
      qDimensions: [{ qDef: { qFieldDefs: ['REGION'] } }],
      qMeasures: [{ qDef: { qDef: 'Sum({<AMOUNT={">90"}>} AMOUNT)' } }, { qDef: { qDef: 'Max(Aggr(Sum(AMOUNT), CUSTID))' } }, { qDef: { qDef: "Count({1<CUSTID=P({1<NAME={'Cust*'}>} CUSTID)>} DISTINCT CUSTID)" } }],
      qSuppressZero: true,
    });
    const want = REGIONS.filter((r) => orders.some((o) => regionOf(o.cust) === r && o.amount > 90)).sort();
    expect(rows.map((r) => r[0]!.qText)).toEqual(want);
    for (const r of rows) {
      const os = orders.filter((o) => regionOf(o.cust) === r[0]!.qText);
      expect(r[1]!.qNum).toBe(sum(os.filter((o) => o.amount > 90).map((o) => o.amount)));
      expect(r[2]!.qNum).toBe(Math.max(...customers.filter((c) => c.region === r[0]!.qText).map((c) => sum(os.filter((o) => o.cust === c.cust).map((o) => o.amount)))));
      expect(r[3]!.qNum).toBe(customers.filter((c) => c.region === r[0]!.qText).length);
    }
  });

  it('a calculated dimension (script functions over one table) groups the cube', async () => {
    const { rows } = await cube({
      qDimensions: [{ qDef: { qFieldDefs: ["=If(AMOUNT >= 50, 'high', 'low') & '-' & Left(PRODID, 1)"] } }],
      qMeasures: [{ qDef: { qDef: 'Sum(AMOUNT)' } }, { qDef: { qDef: "Sum({<REGION={'North'}>} AMOUNT)" } }],
    });
    const key = (o: (typeof orders)[number]) => `${o.amount >= 50 ? 'high' : 'low'}-${o.prod.slice(0, 1)}`;
    const keys = [...new Set(orders.map(key))].sort();
    expect(rows.map((r) => r[0]!.qText)).toEqual(keys);
    for (const r of rows) {
      const os = orders.filter((o) => key(o) === r[0]!.qText);
      expect([r[1]!.qNum, r[2]!.qNum]).toEqual([sum(os.map((o) => o.amount)), sum(os.filter((o) => regionOf(o.cust) === 'North').map((o) => o.amount))]);
    }
  });

  it('a measure that does not parse is refused with the QIX calculation error', async () => {
    await expect(doc.createSessionObject({ qHyperCubeDef: { qDimensions: [], qMeasures: [{ qDef: { qDef: 'Sum({<REGION={North}> AMOUNT)' } }] } })).rejects.toMatchObject({ code: 7000 });
    await expect(doc.evaluate('Sum({$1} AMOUNT)')).rejects.toMatchObject({ code: 7000, message: expect.stringContaining('Error in expression') });
  });
});

describe('pivot hypercubes (qMode "P")', () => {
  it('GetHyperCubePivotData: left REGION, top PRODID × two measures, paged', async () => {
    const o = await doc.createSessionObject({
      qInfo: { qType: 'pivot' },
      qHyperCubeDef: {
        qMode: 'P',
        qAlwaysFullyExpanded: true,
        qNoOfLeftDims: 1,
        qDimensions: [{ qDef: { qFieldDefs: ['REGION'] } }, { qDef: { qFieldDefs: ['PRODID'] } }],
        qMeasures: [{ qDef: { qDef: 'Sum(AMOUNT)', qLabel: 'Amount' } }, { qDef: { qDef: 'Count(ORDERID)', qLabel: 'Orders' } }],
        qInitialDataFetch: [{ qTop: 0, qLeft: 0, qHeight: 10, qWidth: 40 }],
      },
    });
    const regions = [...REGIONS].sort();
    const prods = [...new Set(orders.map((x) => x.prod))].sort();
    const value = (r: string, p: string, m: number) => {
      const os = orders.filter((x) => regionOf(x.cust) === r && x.prod === p);
      if (os.length === 0) return 'NaN';
      return m === 0 ? sum(os.map((x) => x.amount)) : os.length;
    };
    const layout = (await o.getLayout()) as unknown as { qHyperCube: { qSize: { qcx: number; qcy: number }; qMode: string; qPivotDataPages: { qLeft: { qText: string }[]; qTop: { qText: string; qSubNodes: { qText: string }[] }[]; qData: { qNum: number | 'NaN' }[][] }[] } };
    expect(layout.qHyperCube.qMode).toBe('P');
    expect(layout.qHyperCube.qSize).toEqual({ qcx: prods.length * 2, qcy: regions.length });
    const page = layout.qHyperCube.qPivotDataPages[0]!;
    expect(page.qLeft.map((n) => n.qText)).toEqual(regions);
    expect(page.qTop.map((n) => [n.qText, n.qSubNodes.map((s) => s.qText)])).toEqual(prods.map((p) => [p, ['Amount', 'Orders']]));
    expect(page.qData.map((row) => row.map((c) => c.qNum))).toEqual(regions.map((r) => prods.flatMap((p) => [value(r, p, 0), value(r, p, 1)])));
    // A page in the middle: rows 1–2, columns 3–6 (the second measure of the second product onwards).
    const [mid] = (await (o as unknown as { getHyperCubePivotData(p: string, pages: object[]): Promise<typeof page[]> }).getHyperCubePivotData('/qHyperCubeDef', [{ qTop: 1, qLeft: 3, qHeight: 2, qWidth: 4 }]))!;
    expect(mid!.qLeft.map((n) => n.qText)).toEqual(regions.slice(1, 3));
    expect(mid!.qTop.map((n) => [n.qText, n.qSubNodes.map((s) => s.qText)])).toEqual([[prods[1], ['Orders']], [prods[2], ['Amount', 'Orders']], [prods[3], ['Amount']]]);
    expect(mid!.qData.map((row) => row.map((c) => c.qNum))).toEqual(regions.slice(1, 3).map((r) => [value(r, prods[1]!, 1), value(r, prods[2]!, 0), value(r, prods[2]!, 1), value(r, prods[3]!, 0)]));
  });
});

describe('list objects and search as clients use them', () => {
  it('qStateCounts and qFrequencyMode on a list object', async () => {
    const field = await doc.getField('REGION');
    await field.selectValues([{ qText: 'North' }, { qText: 'East' }]);
    try {
      const list = await doc.createSessionObject({ qInfo: { qType: 'lb' }, qListObjectDef: { qDef: { qFieldDefs: ['CUSTID'] }, qFrequencyMode: 'V', qInitialDataFetch: PAGE } });
      const layout = (await list.getLayout()) as unknown as { qListObject: { qDimensionInfo: { qStateCounts: Record<string, number> }; qDataPages: { qMatrix: Cell[][] }[] } };
      const inSel = customers.filter((c) => ['North', 'East'].includes(c.region));
      expect(layout.qListObject.qDimensionInfo.qStateCounts).toMatchObject({ qSelected: 0, qOption: inSel.length, qExcluded: customers.length - inSel.length, qAlternative: 0 });
      for (const [cell] of layout.qListObject.qDataPages[0]!.qMatrix) {
        const c = Number(cell!.qText);
        // Frequency counts the possible rows of the first table holding CUSTID (Customers): 1, or 0 when excluded.
        expect(cell!.qFrequency).toBe(String(inSel.some((x) => x.cust === c) ? 1 : 0));
      }
      const regions = await doc.createSessionObject({ qInfo: { qType: 'lb' }, qListObjectDef: { qDef: { qFieldDefs: ['REGION'] }, qInitialDataFetch: PAGE } });
      const rl = (await regions.getLayout()) as unknown as { qListObject: { qDimensionInfo: { qStateCounts: Record<string, number> } } };
      expect(rl.qListObject.qDimensionInfo.qStateCounts).toMatchObject({ qSelected: 2, qAlternative: 2, qOption: 0, qExcluded: 0 });
    } finally {
      await doc.clearAll();
    }
  });

  it('SearchResults finds field values, grouped by the terms they match', async () => {
    const search = (doc as unknown as { searchResults(o: object, t: string[], p: object): Promise<{ qTotalNumberOfGroups: number; qSearchGroupArray: { qSearchTermsMatched: number[]; qItems: { qIdentifier: string; qTotalNumberOfMatches: number; qItemMatches: { qText: string }[] }[] }[] }> }).searchResults;
    const result = await search.call(doc, { qSearchFields: ['NAME', 'REGION'] }, ['custa', 'th'], { qOffset: 0, qCount: 10, qMaxNbrFieldMatches: 50 });
    const items = result.qSearchGroupArray.flatMap((g) => g.qItems.map((i) => ({ field: i.qIdentifier, terms: g.qSearchTermsMatched, texts: i.qItemMatches.map((m) => m.qText).sort() })));
    const terms = ['custa', 'th'];
    const expected = (field: string, values: string[]) => {
      const hits = values.filter((v) => terms.some((t) => v.toLowerCase().includes(t))).sort();
      return { field, terms: terms.flatMap((t, k) => (hits.some((v) => v.toLowerCase().includes(t)) ? [k] : [])), texts: hits };
    };
    expect(items.sort((a, b) => a.field.localeCompare(b.field))).toEqual([expected('NAME', customers.map((c) => c.name)), expected('REGION', REGIONS)]);
  });
});
