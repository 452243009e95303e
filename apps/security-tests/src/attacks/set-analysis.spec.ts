import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startAttackSite, type AttackSite } from '../test-support/attack-site';
import { connectQix, type EnigmaDoc, type QixConnection } from '../test-support/qix-client';
import { ACCESS, CUSTOMERS, findLeaks, forbiddenFor, SALES_SCRIPT, visibleTo } from '../test-support/sales-data';
import { SET_ANALYSIS_ATTACKS } from '../test-support/set-analysis-attacks';
import { createApp, everyoneStream, publish } from '../test-support/site-content';

// Information disclosure through the expression language: set analysis, searches, P()/E(), Aggr and
// the text aggregations all compute on the user's reduced view. Each construct is evaluated over
// QIX (real proxy, real engine, an app built by its load script) as both reduced users and as
// ADMIN; every expected value is computed from the raw rows in sales-data.ts.
let a: AttackSite;
let sales: string;
const sessions = new Map<string, { q: QixConnection; doc: EnigmaDoc }>();

async function evaluateAs(user: keyof typeof ACCESS, expression: string): Promise<string> {
  let s = sessions.get(user);
  if (s === undefined) {
    const q = await connectQix(a, await a.login(user), sales);
    s = { q, doc: await q.global.openDoc(sales) };
    sessions.set(user, s);
  }
  return s.doc.evaluate(expression);
}

beforeAll(async () => {
  a = await startAttackSite();
  sales = await createApp(a, 'Sales', SALES_SCRIPT);
  await publish(a, sales, await everyoneStream(a));
}, 120_000);

afterAll(async () => {
  for (const s of sessions.values()) await s.q.close();
  await a?.stop();
});

/** The construct as ADMIN and both reduced users, each against the raw-row oracle for what they may see. */
async function attack(construct: string): Promise<void> {
  const a = SET_ANALYSIS_ATTACKS.find((x) => x.construct === construct)!;
  for (const user of ['CORP\\ADMIN', 'CORP\\ALICE', 'CORP\\BOB'] as const) {
    const want = a.expected(visibleTo(ACCESS[user].regions));
    expect({ user, got: await evaluateAs(user, a.expression) }).toEqual({ user, got: want });
  }
  // The construct reaches hidden data when it is allowed to: ADMIN's answer differs from a
  // reduced user's (otherwise this attack would prove nothing).
  const all = a.expected(visibleTo('all'));
  expect([a.expected(visibleTo(ACCESS['CORP\\ALICE'].regions)), a.expected(visibleTo(ACCESS['CORP\\BOB'].regions))].some((x) => x !== all)).toBe(true);
}

describe('Information disclosure › set analysis', () => {
  it('every construct of the attack list has its own test below', () => {
    expect(SET_ANALYSIS_ATTACKS.map((x) => x.construct)).toEqual(['identifier 1', 'a modifier listing hidden values', 'a modifier clearing a field', 'a wildcard search', 'a numeric search', 'the -= modifier', 'the += modifier', 'the *= modifier', 'the /= modifier', 'P()', 'E()', 'set difference', 'set union', 'TOTAL', 'Aggr', 'Concat', 'MaxString', 'FirstSortedValue', 'Count DISTINCT', 'a scalar function around a set']);
  });
  it('identifier 1 computes on the reduced view only', () => attack('identifier 1'));
  it('a modifier listing hidden values computes on the reduced view only', () => attack('a modifier listing hidden values'));
  it('a modifier clearing a field computes on the reduced view only', () => attack('a modifier clearing a field'));
  it('a wildcard search computes on the reduced view only', () => attack('a wildcard search'));
  it('a numeric search computes on the reduced view only', () => attack('a numeric search'));
  it('the -= modifier computes on the reduced view only', () => attack('the -= modifier'));
  it('the += modifier computes on the reduced view only', () => attack('the += modifier'));
  it('the *= modifier computes on the reduced view only', () => attack('the *= modifier'));
  it('the /= modifier computes on the reduced view only', () => attack('the /= modifier'));
  it('P() computes on the reduced view only', () => attack('P()'));
  it('E() computes on the reduced view only', () => attack('E()'));
  it('set difference computes on the reduced view only', () => attack('set difference'));
  it('set union computes on the reduced view only', () => attack('set union'));
  it('TOTAL computes on the reduced view only', () => attack('TOTAL'));
  it('Aggr computes on the reduced view only', () => attack('Aggr'));
  it('Concat computes on the reduced view only', () => attack('Concat'));
  it('MaxString computes on the reduced view only', () => attack('MaxString'));
  it('FirstSortedValue computes on the reduced view only', () => attack('FirstSortedValue'));
  it('Count DISTINCT computes on the reduced view only', () => attack('Count DISTINCT'));
  it('a scalar function around a set computes on the reduced view only', () => attack('a scalar function around a set'));

  it('SearchResults finds only values the user may see: a hidden name or region is not found, not even counted', async () => {
    type Search = { searchResults(o: object, t: string[], p: object): Promise<{ qTotalNumberOfGroups: number; qSearchGroupArray: { qItems: { qIdentifier: string; qTotalNumberOfMatches: number; qItemMatches: { qText: string }[] }[] }[] }> };
    // Prefix patterns rather than the values themselves: the answer echoes its terms (qSearchTerms),
    // and the frame scan below must only find a hidden value if the engine sent it.
    const prefixes = [...new Set(CUSTOMERS.flatMap((c) => [c[1], c[2]]).map((v) => v.slice(0, -1)))];
    const terms = [...prefixes.map((p) => `${p}*`), '*'];
    for (const user of ['CORP\\ADMIN', 'CORP\\ALICE', 'CORP\\BOB'] as const) {
      await evaluateAs(user, '1');
      const doc = sessions.get(user)!.doc as unknown as Search;
      const visible = visibleTo(ACCESS[user].regions).customers;
      for (const term of terms) {
        const r = await doc.searchResults({ qSearchFields: ['NAME', 'REGION'] }, [term], { qOffset: 0, qCount: 10, qMaxNbrFieldMatches: 100 });
        const found = r.qSearchGroupArray.flatMap((g) => g.qItems.flatMap((i) => i.qItemMatches.map((m) => `${i.qIdentifier}:${m.qText}`))).sort();
        const match = (v: string) => v.toLowerCase().startsWith(term.slice(0, -1).toLowerCase());
        const want = [...new Set([...visible.map((c) => `NAME:${c[1]}`).filter((x) => match(x.slice(5))), ...visible.map((c) => `REGION:${c[2]}`).filter((x) => match(x.slice(7)))])].sort();
        expect({ user, term, found }).toEqual({ user, term, found: want });
      }
    }
  });

  it('no frame a reduced user received while attacking holds an excluded value, and an omitted field cannot be named in a set', async () => {
    for (const user of ['CORP\\ALICE', 'CORP\\BOB'] as const) {
      const q = sessions.get(user)!.q;
      expect(q.frames.length).toBeGreaterThan(SET_ANALYSIS_ATTACKS.length);
      // The app id (a random GUID, echoed by OpenDoc) is no data: its digit runs could equal a hidden number by chance.
      expect(findLeaks(q.frames.map((f) => f.replaceAll(sales, '<app>')), forbiddenFor(user))).toEqual([]);
    }
    // MARGIN is omitted for BOB: naming it in a modifier, P() or Aggr is "not found", like a field that does not exist.
    for (const e of ['Sum({1<MARGIN={">0"}>} AMOUNT)', 'Sum({1<ORDERID=P({1} MARGIN)>} AMOUNT)', 'Sum(Aggr(Sum(AMOUNT), MARGIN))', 'Sum({1<NOSUCH={">0"}>} AMOUNT)']) {
      await expect(evaluateAs('CORP\\BOB', e)).rejects.toMatchObject({ code: 2 });
    }
  });
});
