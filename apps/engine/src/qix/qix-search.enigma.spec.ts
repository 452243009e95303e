import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { EnigmaDoc } from './testing/enigma-client';
import { enigmaTestApp, inlineTable } from './testing/enigma-test-app';
import type { TestAppFacts } from './testing/qix-test-server';

/**
 * Search over field values and objects as the real enigma.js drives it (issue 18, item 1):
 * SearchSuggest, SearchAssociations, SelectAssociations and SearchObjects, on an app built by a load
 * script with section access. Expected answers are computed here from the raw rows a user may see
 * (plain JS); the reduced user's answers must equal them, and differ from the unreduced owner's.
 */
const REGIONS = ['NORTH', 'SOUTH', 'EAST'];
const METALS = ['Copper', 'Cobalt', 'Zinc', 'Coral', 'Iron', 'Comet'];
const customers = Array.from({ length: 12 }, (_, i) => ({ id: 100 + i, name: `${METALS[i % 6]} ${String.fromCharCode(65 + i)}`, region: REGIONS[i % 3]! }));
const orders = Array.from({ length: 30 }, (_, i) => ({ id: 5000 + i, cust: 100 + ((i * 7) % 12), amount: 10 + ((i * 31) % 71) }));
const SCRIPT = [
  'Section Access;',
  'SA:',
  ...inlineTable('ACCESS, USERID, REGION', ['ADMIN, CORP\\OWNER, ', 'USER, CORP\\READER, NORTH', 'USER, CORP\\OTHER, NORTH']),
  'Section Application;',
  'Customers:',
  ...inlineTable('CUSTID, NAME, REGION', customers.map((c) => `${c.id}, ${c.name}, ${c.region}`)),
  'Orders:',
  ...inlineTable('ORDERID, CUSTID, AMOUNT', orders.map((o) => `${o.id}, ${o.cust}, ${o.amount}`)),
].join('\n');

/** The oracle: customers (and so names, regions) a user may see. `null` = everything. */
const visible = (region: string | null) => customers.filter((c) => region === null || c.region === region);
/** Text values of the visible rows, by field (the numeric fields hold no letters, so they never match a letter term). */
const textValues = (region: string | null): Record<string, string[]> => ({ NAME: visible(region).map((c) => c.name), REGION: [...new Set(visible(region).map((c) => c.region))] });

interface SearchDoc extends EnigmaDoc {
  searchSuggest(o: object, terms: string[]): Promise<{ qSuggestions: { qValue: string; qTerm: number }[]; qFieldNames: string[] }>;
  searchAssociations(o: object, terms: string[], page: object): Promise<{
    qFieldNames: string[];
    qSearchTerms: string[];
    qFieldDictionaries: { qField: number; qResult: { qText: string; qElemNumber: number; qRanges: { qCharPos: number; qCharCount: number; qTerm: number }[] }[] }[];
    qSearchTermsMatched: { qSearchMatchCombinations: { qId: number; qFieldMatches: { qField: number; qValues: number[]; qTerms: number[]; qNoOfMatches: number }[] }[] }[];
    qTotalSearchResults: number;
  }>;
  selectAssociations(o: object, terms: string[], ix: number): Promise<void>;
  searchObjects(o: object, terms: string[], page: object): Promise<{ qTotalNumberOfGroups: number; qSearchGroupArray: { qGroupType: string; qItems: { qItemType: string; qIdentifier: string; qItemMatches: { qText: string; qAttributes: { qKey: string; qValue: string }[] }[] }[] }[] }>;
  createObject(p: object): Promise<{ id: string; createChild(p: object): Promise<{ id: string; publish(): Promise<void> }>; publish(): Promise<void> }>;
}

const facts: TestAppFacts = { published: true, ownerId: 'CORP\\OWNER', updaters: ['CORP\\OWNER'] };
const app = enigmaTestApp({ appId: 'search', title: 'Search', script: SCRIPT }, { objects: { store: new Map(), facts: () => facts } });
const docs: Record<string, SearchDoc> = {};
const REGION_OF: Record<string, string | null> = { 'CORP\\OWNER': null, 'CORP\\READER': 'NORTH', 'CORP\\OTHER': 'NORTH' };

beforeAll(async () => {
  await app.start();
  for (const user of Object.keys(REGION_OF)) docs[user] = await app.open<SearchDoc>(user);
}, 60_000);
afterAll(() => app.close());

describe('SearchSuggest', () => {
  it('completes the last term with values inside the user’s view only', async () => {
    const term = 'co';
    const answers: Record<string, string[]> = {};
    for (const [user, region] of Object.entries(REGION_OF)) {
      const all = Object.values(textValues(region)).flat();
      const expected = [...new Set(all.filter((v) => v.toLowerCase().split(/\s+/).some((w) => w.startsWith(term))))].sort((a, b) => a.length - b.length || a.localeCompare(b)).slice(0, 20);
      const r = await docs[user]!.searchSuggest({ qSearchFields: ['NAME', 'REGION'] }, ['zinc', term]);
      answers[user] = r.qSuggestions.map((s) => s.qValue);
      expect({ user, got: answers[user] }).toEqual({ user, got: expected });
      expect(r.qSuggestions.every((s) => s.qTerm === 1)).toBe(true);
      expect(r.qFieldNames).toEqual(expected.length > 0 ? ['NAME'] : []);
    }
    // The reduction bites: the owner sees completions the reader must not.
    expect(answers['CORP\\OWNER']!.length).toBeGreaterThan(answers['CORP\\READER']!.length);
  });

  it('respects the current selections under the CurrentSelections context', async () => {
    const doc = docs['CORP\\OWNER']!;
    await (await doc.getField('REGION')).selectValues([{ qText: 'SOUTH' }]);
    try {
      const r = await doc.searchSuggest({ qContext: 'CurrentSelections', qSearchFields: ['NAME'] }, ['co']);
      const expected = visible('SOUTH').map((c) => c.name).filter((n) => n.toLowerCase().startsWith('co')).sort((a, b) => a.length - b.length || a.localeCompare(b));
      expect(r.qSuggestions.map((s) => s.qValue)).toEqual(expected);
      const cleared = await doc.searchSuggest({ qContext: 'Cleared', qSearchFields: ['NAME'] }, ['co']);
      expect(cleared.qSuggestions.length).toBeGreaterThan(expected.length);
    } finally {
      await doc.clearAll();
    }
  });
});

describe('SearchAssociations and SelectAssociations', () => {
  it('field dictionaries, ranges and combinations are the matches in the user’s view', async () => {
    const terms = ['zinc', 'co'];
    for (const [user, region] of Object.entries(REGION_OF)) {
      const r = await docs[user]!.searchAssociations({ qSearchFields: ['NAME', 'REGION'] }, terms, { qOffset: 0, qCount: 10, qMaxNbrFieldMatches: 100 });
      const names = visible(region).map((c) => c.name);
      const hits = names.filter((n) => terms.some((t) => n.toLowerCase().includes(t)));
      expect(r.qSearchTerms).toEqual(terms);
      expect(r.qFieldNames).toEqual(hits.length > 0 ? ['NAME'] : []);
      const dict = r.qFieldDictionaries[0]!;
      expect(dict.qResult.map((m) => m.qText).sort()).toEqual([...hits].sort());
      for (const m of dict.qResult) {
        const expectedRanges = terms.flatMap((t, k) => {
          const at = m.qText.toLowerCase().indexOf(t);
          return at < 0 ? [] : [{ qCharPos: at, qCharCount: t.length, qTerm: k }];
        });
        expect(m.qRanges).toEqual(expectedRanges);
      }
      const combos = r.qSearchTermsMatched[0]!.qSearchMatchCombinations;
      expect(r.qTotalSearchResults).toBe(combos.length);
      expect(combos[0]!.qFieldMatches[0]).toEqual({ qField: 0, qValues: hits.map((_, i) => i), qTerms: terms.flatMap((t, k) => (hits.some((n) => n.toLowerCase().includes(t)) ? [k] : [])), qNoOfMatches: hits.length });
    }
  });

  it('SelectAssociations selects the matched values, inside the view, clearing first unless told to keep the selections', async () => {
    for (const [user, region] of Object.entries(REGION_OF)) {
      const doc = docs[user]!;
      await doc.selectAssociations({ qSearchFields: ['NAME'] }, ['co'], 0);
      const expected = visible(region).filter((c) => c.name.toLowerCase().includes('co'));
      expect({ user, got: await doc.evaluate("Concat(DISTINCT NAME, '|')") }).toEqual({ user, got: expected.map((c) => c.name).sort().join('|') });
      const custSet = new Set(expected.map((c) => c.id));
      expect(Number(await doc.evaluate('Sum(AMOUNT)'))).toBeCloseTo(orders.filter((o) => custSet.has(o.cust)).reduce((a, o) => a + o.amount, 0), 6);
      // Within the current selections: "Copper" among the "co" names.
      await doc.selectAssociations({ qContext: 'CurrentSelections', qSearchFields: ['NAME'] }, ['copper'], 0);
      expect(await doc.evaluate("Concat(DISTINCT NAME, '|')")).toBe(expected.filter((c) => c.name.startsWith('Copper')).map((c) => c.name).sort().join('|'));
      // Cleared: the earlier selection goes, "coral" alone is selected.
      await doc.selectAssociations({ qContext: 'Cleared', qSearchFields: ['NAME'] }, ['coral'], 0);
      expect(await doc.evaluate("Concat(DISTINCT NAME, '|')")).toBe(visible(region).filter((c) => c.name.startsWith('Coral')).map((c) => c.name).sort().join('|'));
      await doc.clearAll();
    }
    // A combination that does not exist (here: "zinc" names only customers outside the reader's view) is a named parameter error.
    await expect(docs['CORP\\READER']!.selectAssociations({ qSearchFields: ['NAME'] }, ['zinc'], 0)).rejects.toMatchObject({ message: expect.stringContaining('qMatchIx') });
    await expect(docs['CORP\\READER']!.selectAssociations({ qSearchFields: ['NAME'] }, ['co'], 7)).rejects.toMatchObject({ message: expect.stringContaining('qMatchIx') });
  });
});

describe('SearchObjects under the object rules', () => {
  it('finds objects by title only where the caller may read them; a private chart stays private until its sheet is published', async () => {
    const reader = docs['CORP\\READER']!;
    const other = docs['CORP\\OTHER']!;
    const sheet = await reader.createObject({ qInfo: { qId: 'reader-sheet', qType: 'sheet' }, qMetaDef: { title: 'Reader plan' }, qChildListDef: { qData: {} } });
    const chart = await sheet.createChild({ qInfo: { qId: 'reader-chart', qType: 'barchart' }, title: 'Copper by region', footnote: 'draft' });
    const ids = async (doc: SearchDoc, terms: string[]) =>
      (await doc.searchObjects({ qAttributes: ['qProperty'] }, terms, { qOffset: 0, qCount: 10, qMaxNbrFieldMatches: 5 })).qSearchGroupArray.flatMap((g) => g.qItems.map((i) => i.qIdentifier));
    const found = await reader.searchObjects({ qAttributes: ['qProperty'] }, ['copper'], { qOffset: 0, qCount: 10, qMaxNbrFieldMatches: 5 });
    expect(found.qSearchGroupArray).toEqual([
      expect.objectContaining({ qGroupType: 'GenericObjectsType', qItems: [expect.objectContaining({ qItemType: 'GenericObject', qIdentifier: 'reader-chart', qItemMatches: [{ qText: 'Copper by region', qAttributes: [{ qKey: 'qProperty', qValue: 'title' }] }] })] }),
    ]);
    // Sheets are never search results (as in Qlik), whatever their title.
    expect(await ids(reader, ['reader plan'])).toEqual([]);
    // Another user does not find the private chart, by title, footnote or type.
    expect(await ids(other, ['copper'])).toEqual([]);
    expect(await ids(other, ['draft', 'barchart'])).toEqual([]);
    expect(await ids(docs['CORP\\OWNER']!, ['copper'])).toEqual([]);
    // trustzone's rules judge each object by its own flags (and its parent's): the chart is published with the sheet.
    await sheet.publish();
    await chart.publish();
    expect(await ids(other, ['copper'])).toEqual(['reader-chart']);
  });
});
