import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { enigmaSession } from './testing/enigma-client';
import { exerciseEverything, findLeaks, forbiddenFor } from './testing/leak-probe';
import { type QixTestServer, startQixTestServer } from './testing/qix-test-server';
import { CUSTOMERS, PRODUCTS, regionOf, SALES, salesLoadResult, sum, visibleRows } from './testing/sales-fixture';

/**
 * Threat: a reduced user learns data section access excludes, through any answer of the protocol
 * (values, lists, totals, table data, evaluate, error messages). A reduced session makes every kind
 * of call and every frame the server sent it is scanned for the excluded values. The same calls as
 * ROOT must surface every one of those values — proof the probe reaches them and the scan sees them.
 */
let server: QixTestServer;
let rootFrames: string[] = [];

async function framesOf(user: string): Promise<string[]> {
  const index = server.sent.length;
  const session = enigmaSession(server.url('sales'), user);
  await exerciseEverything(await session.open());
  await session.close();
  return server.sent[index]!;
}

beforeAll(async () => {
  // Persisted variables shared by every session: ROOT's run defines them first (see DOLLAR_PROBES).
  // Persisted objects too: ROOT may update the app, so ROOT's run makes them (see exerciseObjects).
  server = await startQixTestServer([{ appId: 'sales', title: 'Sales', load: salesLoadResult() }], { variables: new Map(), objects: { store: new Map(), facts: () => ({ published: false, ownerId: 'CORP\\ROOT', updaters: ['CORP\\ROOT'] }) } });
  rootFrames = await framesOf('CORP\\ROOT');
}, 60_000);
afterAll(() => server.close());

describe.each([
  { user: 'CORP\\ALICE', regions: ['EAST'], omitted: [] as string[] },
  { user: 'CORP\\BOB', regions: ['WEST', 'NORTH'], omitted: ['MARGIN'] },
])('no excluded value reaches $user', ({ user, regions, omitted }) => {
  const forbidden = forbiddenFor(regions, omitted);

  it('the probe reaches every forbidden value when nothing is excluded (ROOT)', () => {
    const seen = new Set(findLeaks(rootFrames, forbidden).map((h) => h.token));
    expect(forbidden.texts.filter((t) => !seen.has(t))).toEqual([]);
    expect(forbidden.numbers.map(String).filter((n) => !seen.has(n))).toEqual([]);
  });

  it('not one frame sent to the reduced session holds one of them', async () => {
    const frames = await framesOf(user);
    expect(frames.length).toBeGreaterThan(1000);
    expect(frames.some((f) => f.includes('"error"'))).toBe(true);
    expect(findLeaks(frames, forbidden)).toEqual([]);
  }, 60_000);
});

/**
 * The expression language cannot step outside the reduction: each construct, evaluated through
 * enigma.js as a reduced user, equals the answer over the rows that user may see (computed here
 * from the raw rows), and ROOT's answer over all rows is different for at least one reduced user —
 * so a construct that escaped the view would fail here.
 */
describe('set analysis over the reduced view', () => {
  type Rows = ReturnType<typeof visibleRows>;
  const amounts = (ss: Rows['sales']): string => String(Number(sum(ss.map((s) => s.amount)).toPrecision(14)));
  const nameOf = (custId: string): string => CUSTOMERS.find((c) => c.custId === custId)!.name;
  const cases: [string, (v: Rows) => string][] = [
    ['Sum({1} AMOUNT)', (v) => amounts(v.sales)],
    ["Sum({1<REGION={'EAST','WEST','NORTH','SOUTH'}>} AMOUNT)", (v) => amounts(v.sales)],
    ['Sum({1<NAME={"*o*"}>} AMOUNT)', (v) => amounts(v.sales.filter((s) => /o/i.test(nameOf(s.custId))))],
    ['Sum({1<AMOUNT={">100"}>} AMOUNT)', (v) => amounts(v.sales.filter((s) => s.amount > 100))],
    ["Sum({1<REGION-={'EAST'}>} AMOUNT)", (v) => amounts(v.sales.filter((s) => regionOf(s.custId) !== 'EAST'))],
    ["Sum({1<CUSTID=P({1<REGION={'WEST','SOUTH'}>} CUSTID)>} AMOUNT)", (v) => amounts(v.sales.filter((s) => ['WEST', 'SOUTH'].includes(regionOf(s.custId))))],
    ["Sum({1<CUSTID=E({1<REGION={'EAST'}>} CUSTID)>} AMOUNT)", (v) => amounts(v.sales.filter((s) => regionOf(s.custId) !== 'EAST'))],
    ["Sum({1 - 1<REGION={'EAST'}>} AMOUNT)", (v) => amounts(v.sales.filter((s) => regionOf(s.custId) !== 'EAST'))],
    ['Max({1} Aggr(Sum({1} AMOUNT), CUSTID))', (v) => String(Math.max(...v.customers.map((c) => Number(amounts(v.sales.filter((s) => s.custId === c.custId)))))) ],
    ["Concat({1} DISTINCT PRODUCT, ',')", (v) => v.products.map((p) => p.product).sort().join(',')],
    ['MaxString({1} NAME)', (v) => v.customers.map((c) => c.name).sort().at(-1)!],
    ['FirstSortedValue({1} ORDERID, -AMOUNT)', (v) => String([...v.sales].sort((a, b) => b.amount - a.amount)[0]!.orderId)],
    // Dollar expansion: `$(=…)` and ROOT's `=`-variables (DOLLAR_PROBES, defined in beforeAll) compute on the caller's view.
    ['$(=Sum({1} AMOUNT))', (v) => amounts(v.sales)],
    ['$(vLeak5)', (v) => amounts(v.sales)],
    ['$(vLeak5) + 0 * Sum(AMOUNT)', (v) => amounts(v.sales)],
    ["'$(=Concat({1} DISTINCT PRODUCT, ','))'", (v) => v.products.map((p) => p.product).sort().join(',')],
    ["'$(vLeak3)'", (v) => v.products.map((p) => p.product).sort().join(',')],
  ];

  it('every set-analysis construct answers over the reduced rows only', async () => {
    const sessions = await Promise.all(
      (['CORP\\ROOT', 'CORP\\ALICE', 'CORP\\BOB'] as const).map(async (user) => {
        const s = enigmaSession(server.url('sales'), user);
        return { user, s, doc: await (await s.open()).openDoc('sales') };
      }),
    );
    const regions: Record<string, string[] | null> = { 'CORP\\ROOT': null, 'CORP\\ALICE': ['EAST'], 'CORP\\BOB': ['WEST', 'NORTH'] };
    try {
      for (const [expression, oracle] of cases) {
        const answers = new Map<string, string>();
        for (const { user, doc } of sessions) {
          const got = await doc.evaluate(expression);
          answers.set(user, got);
          expect({ expression, user, got }).toEqual({ expression, user, got: oracle(visibleRows(regions[user]!)) });
        }
        expect([answers.get('CORP\\ALICE'), answers.get('CORP\\BOB')].some((x) => x !== answers.get('CORP\\ROOT')), expression).toBe(true);
      }
      // The owner's variable `=Sum({1} AMOUNT)`, read through its handle: its value is the caller's sum.
      for (const { user, doc } of sessions) {
        const v = await (doc as unknown as { getVariableByName(n: string): Promise<{ getLayout(): Promise<{ qText: string; qIsScriptCreated: boolean }> }> }).getVariableByName('vLeak5');
        const layout = await v.getLayout();
        expect({ user, qText: layout.qText, script: layout.qIsScriptCreated }).toEqual({ user, qText: amounts(visibleRows(regions[user]!).sales), script: false });
      }
    } finally {
      for (const { s } of sessions) await s.close();
    }
    // Sanity of the fixture: the data behind the cases is there.
    expect(SALES.length + PRODUCTS.length).toBeGreaterThan(10);
  }, 60_000);
});
