import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type EnigmaDoc, enigmaSession } from './testing/enigma-client';
import { enigmaTestApp, inlineTable } from './testing/enigma-test-app';

/**
 * Variables as the real enigma.js drives them (Doc.CreateVariableEx … GenericVariable.*) on an app
 * built by a load script that also sets variables (SET/LET). Expected values computed here from the
 * rows. The persisted store is the test server's in-memory one; the real store (app file, rules,
 * section access, engine restart) is tested in apps/security-tests (variables-over-qix.spec.ts).
 */
const REGIONS = ['North', 'South', 'East'];
const orders = Array.from({ length: 30 }, (_, i) => ({ id: i + 1, region: REGIONS[i % 3]!, amount: 5 + ((i * 37) % 61) }));
const sumOf = (rows: typeof orders) => rows.reduce((a, r) => a + r.amount, 0);
const SCRIPT = [
  "SET vRegion = 'South';",
  "SET HidePrefix = '%';",
  'LET vThree = 1 + 2;',
  'Orders:',
  ...inlineTable('ID, REGION, AMOUNT', orders.map((o) => `${o.id}, ${o.region}, ${o.amount}`)),
].join('\n');

interface VarLayout { qInfo: { qId: string }; qText: string; qNum: number | 'NaN'; qIsScriptCreated: boolean }
interface EnigmaVariable {
  id: string;
  getLayout(): Promise<VarLayout>;
  getProperties(): Promise<Record<string, unknown>>;
  setProperties(p: object): Promise<void>;
  setStringValue(v: string): Promise<void>;
  setNumValue(v: number): Promise<void>;
  getRawContent(): Promise<string>;
}
interface VarDoc {
  createVariableEx(p: object): Promise<{ qId: string; qType: string }>;
  getVariableById(id: string): Promise<EnigmaVariable>;
  getVariableByName(name: string): Promise<EnigmaVariable>;
  destroyVariableById(id: string): Promise<boolean>;
  destroyVariableByName(name: string): Promise<boolean>;
}

const app = enigmaTestApp({ appId: 'vars', title: 'Vars', script: SCRIPT }, { variables: new Map() });
let doc: EnigmaDoc;
let vars: VarDoc;

beforeAll(async () => {
  await app.start();
  doc = await app.open<EnigmaDoc>('CORP\\ROOT');
  vars = doc as unknown as VarDoc;
}, 60_000);
afterAll(() => app.close());

const failure = (p: Promise<unknown>): Promise<{ code?: number }> => p.then(() => ({ code: undefined }), (e: { code?: number }) => e);

describe('variables through enigma.js', () => {
  it('the script’s SET/LET variables are there, read-only, qIsScriptCreated', async () => {
    const region = await vars.getVariableByName('vRegion');
    expect(await region.getLayout()).toMatchObject({ qText: 'South', qIsScriptCreated: true });
    expect(await region.getRawContent()).toBe('South');
    expect((await (await vars.getVariableByName('vThree')).getLayout()).qNum).toBe(3);
    expect((await failure(region.setStringValue('North'))).code).toBe(5);
    expect((await failure(vars.destroyVariableByName('vRegion'))).code).toBe(5);
    const south = sumOf(orders.filter((o) => o.region === 'South'));
    expect(await doc.evaluate("Sum({<REGION={'$(vRegion)'}>} AMOUNT)")).toBe(String(south));
  });

  it('create, read by id and name, change by string, number and properties, destroy', async () => {
    const info = await vars.createVariableEx({ qInfo: { qType: 'variable' }, qName: 'vField', qDefinition: 'AMOUNT', qComment: 'the measure field' });
    expect(info.qType).toBe('variable');
    const byId = await vars.getVariableById(info.qId);
    const props = await byId.getProperties();
    expect(props).toMatchObject({ qInfo: { qId: info.qId, qType: 'variable' }, qName: 'vField', qDefinition: 'AMOUNT', qComment: 'the measure field' });
    expect(await doc.evaluate('Sum($(vField))')).toBe(String(sumOf(orders)));

    // A cube whose measure and dimension come from variables, computed anew as they change.
    await vars.createVariableEx({ qName: 'vDim', qDefinition: 'REGION' });
    const cube = await doc.createSessionObject({ qInfo: { qType: 'table' }, qHyperCubeDef: { qDimensions: [{ qDef: { qFieldDefs: ['$(vDim)'] } }], qMeasures: [{ qDef: { qDef: '=Sum($(vField)) * $(vFactor)' } }], qInitialDataFetch: [{ qTop: 0, qLeft: 0, qHeight: 10, qWidth: 2 }] } }).catch((e: unknown) => e);
    // vFactor does not exist yet: it expands to nothing and the measure does not parse (Qlik's error shape).
    expect((cube as { code?: number }).code).toBe(7000);
    await vars.createVariableEx({ qName: 'vFactor', qDefinition: '2' });
    const obj = await doc.createSessionObject({ qInfo: { qType: 'table' }, qHyperCubeDef: { qDimensions: [{ qDef: { qFieldDefs: ['$(vDim)'] } }], qMeasures: [{ qDef: { qDef: '=Sum($(vField)) * $(vFactor)' } }], qInitialDataFetch: [{ qTop: 0, qLeft: 0, qHeight: 10, qWidth: 2 }] } });
    const rows = async () => (await obj.getLayout()).qHyperCube!.qDataPages[0]!.qMatrix.map((r) => [r[0]!.qText, r[1]!.qNum]).sort();
    const expected = (factor: number) => REGIONS.map((r) => [r, sumOf(orders.filter((o) => o.region === r)) * factor]).sort();
    expect(await rows()).toEqual(expected(2));
    const factor = await vars.getVariableByName('vFactor');
    await factor.setNumValue(3);
    expect(await rows()).toEqual(expected(3));
    expect(await factor.getLayout()).toMatchObject({ qText: '3', qNum: 3, qIsScriptCreated: false });
    await factor.setStringValue('=Count(ID) / $(vThree)');
    expect(await factor.getRawContent()).toBe('=Count(ID) / $(vThree)');
    expect((await factor.getLayout()).qNum).toBe(orders.length / 3);
    expect(await rows()).toEqual(expected(orders.length / 3));
    await factor.setProperties({ ...(await factor.getProperties()), qDefinition: '1', qComment: 'one' });
    expect(await factor.getProperties()).toMatchObject({ qDefinition: '1', qComment: 'one', qName: 'vFactor' });
    // Selecting in a `$(vDim)` dimension selects in the field it expands to.
    const first = (await obj.getLayout()).qHyperCube!.qDataPages[0]!.qMatrix[0]![0]!;
    await obj.selectHyperCubeValues('/qHyperCubeDef', 0, [first.qElemNumber], false);
    expect(await doc.evaluate('Sum(AMOUNT)')).toBe(String(sumOf(orders.filter((o) => o.region === first.qText))));
    await doc.clearAll();

    // $(=…) and nesting.
    expect(await doc.evaluate('$(=Max(AMOUNT)) - Min(AMOUNT)')).toBe(String(Math.max(...orders.map((o) => o.amount)) - Math.min(...orders.map((o) => o.amount))));

    expect(await vars.destroyVariableById(info.qId)).toBe(true);
    expect((await failure(vars.getVariableById(info.qId))).code).toBe(2);
    expect(await vars.destroyVariableByName('vField')).toBe(false);
    for (const n of ['vDim', 'vFactor']) expect(await vars.destroyVariableByName(n)).toBe(true);
  });

  it('qVariableListDef lists both kinds', async () => {
    await vars.createVariableEx({ qName: 'vListed', qDefinition: '=Sum(AMOUNT)' });
    const list = await doc.createSessionObject({ qInfo: { qType: 'VariableList' }, qVariableListDef: { qType: 'variable', qData: { def: '/qDefinition' } } });
    const items = ((await list.getLayout()) as unknown as { qVariableList: { qItems: { qName: string; qDefinition: string; qIsScriptCreated: boolean; qData: { def: string } }[] } }).qVariableList.qItems;
    expect(items.map((i) => [i.qName, i.qIsScriptCreated]).sort()).toEqual([['vListed', false], ['vRegion', true], ['vThree', true]]);
    expect(items.find((i) => i.qName === 'vListed')!.qData.def).toBe('=Sum(AMOUNT)');
    // Reserved variables (HidePrefix, formats, ScriptError…) only with qShowReserved, marked so.
    const all = await doc.createSessionObject({ qInfo: { qType: 'VariableList' }, qVariableListDef: { qType: 'variable', qShowReserved: true } });
    const reserved = ((await all.getLayout()) as unknown as { qVariableList: { qItems: { qName: string; qIsReserved: boolean }[] } }).qVariableList.qItems.filter((i) => i.qIsReserved);
    expect(reserved.map((i) => i.qName)).toEqual(['HidePrefix']);
    expect(await vars.destroyVariableByName('vListed')).toBe(true);
  });

  it('refuses duplicates, bad names, oversized values, cycles and runaway nesting', async () => {
    await vars.createVariableEx({ qName: 'vA', qDefinition: '$(vB)' });
    await vars.createVariableEx({ qName: 'vB', qDefinition: '$(vA)' });
    expect((await failure(vars.createVariableEx({ qName: 'vA', qDefinition: '1' }))).code).toBe(3);
    expect((await failure(vars.createVariableEx({ qName: 'vRegion', qDefinition: '1' }))).code).toBe(3);
    for (const qName of ['', 'a$(b)', 'x'.repeat(257), '=v', 'a)b']) expect((await failure(vars.createVariableEx({ qName, qDefinition: '1' }))).code, qName).toBe(8);
    expect((await failure(vars.createVariableEx({ qName: 'vBig', qDefinition: 'x'.repeat(64 * 1024 + 1) }))).code).toBe(8);
    expect((await failure(doc.evaluate('$(vA)'))).code).toBe(7000);
    let chain = '1';
    for (let i = 0; i < 20; i++) chain = `$(=${chain})`;
    expect((await failure(doc.evaluate(chain))).code).toBe(7000);
    for (const n of ['vA', 'vB']) await vars.destroyVariableByName(n);
  });

  it('a change made in another session is what the next call of this one expands', async () => {
    const other = enigmaSession(app.server.url('vars'), 'CORP\\ROOT');
    try {
      const otherDoc = (await (await other.open()).openDoc('vars')) as unknown as VarDoc & EnigmaDoc;
      expect(await otherDoc.evaluate("'[$(vShared)]'")).toBe('[]');
      await vars.createVariableEx({ qName: 'vShared', qDefinition: 'one' });
      expect(await otherDoc.evaluate("'[$(vShared)]'")).toBe('[one]');
      const handle = await otherDoc.getVariableByName('vShared');
      await (await vars.getVariableByName('vShared')).setStringValue('two');
      expect((await handle.getLayout()).qText).toBe('two');
      expect(await vars.destroyVariableByName('vShared')).toBe(true);
      expect(await otherDoc.evaluate("'[$(vShared)]'")).toBe('[]');
    } finally {
      await other.close();
    }
  });

  it('bounds the number of variables per app', async () => {
    // In batches: a session queues at most 32 requests.
    for (let i = 0; i < 1000; i += 25) await Promise.all(Array.from({ length: 25 }, (_, k) => vars.createVariableEx({ qName: `vMany${i + k}`, qDefinition: String(i + k) })));
    expect((await failure(vars.createVariableEx({ qName: 'vOneTooMany', qDefinition: '1' }))).code).toBe(15);
    expect(await doc.evaluate('$(vMany999) + 1')).toBe('1000');
    expect(await vars.destroyVariableByName('vMany0')).toBe(true);
    await vars.createVariableEx({ qName: 'vOneTooMany', qDefinition: '1' });
  }, 60_000);
});
