import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { EnigmaDoc, EnigmaGenericObject } from './testing/enigma-client';
import { enigmaTestApp, inlineTable } from './testing/enigma-test-app';
import type { TestAppFacts } from './testing/qix-test-server';

/**
 * Persisted generic objects as the real enigma.js drives them (issue 18, item 1): sheets with child
 * charts, properties (plain, patches, full tree), master dimensions and measures, app properties,
 * object lists and bookmarks, under the engine's local ObjectAccess (Qlik's default semantics) on an
 * app built by a load script with section access. Expected values are computed here from the rows.
 * The store is the test server's in-memory one; the app file, restart and move are tested on the
 * real path (apps/security-tests objects-over-qix.spec.ts).
 */
const REGIONS = ['NORTH', 'SOUTH', 'EAST'];
const orders = Array.from({ length: 24 }, (_, i) => ({ id: i + 1, region: REGIONS[i % 3]!, amount: 10 + ((i * 29) % 53), margin: 1 + (i % 7) }));
const sumBy = (rows: typeof orders) => REGIONS.map((r) => [r, rows.filter((o) => o.region === r).reduce((a, o) => a + o.amount, 0)] as const).filter(([, s]) => s > 0);
const SCRIPT = [
  'Section Access;',
  'SA:',
  ...inlineTable('ACCESS, USERID, REGION, OMIT', ['ADMIN, CORP\\OWNER, , ', 'ADMIN, CORP\\EDITOR, , ', 'USER, CORP\\READER, NORTH, MARGIN', 'USER, CORP\\OTHER, NORTH, ']),
  'Section Application;',
  'Orders:',
  ...inlineTable('ID, REGION, AMOUNT, MARGIN', orders.map((o) => `${o.id}, ${o.region}, ${o.amount}, ${o.margin}`)),
].join('\n');

interface Obj extends EnigmaGenericObject {
  setProperties(p: object): Promise<void>;
  applyPatches(p: { qOp: string; qPath: string; qValue?: string }[], soft?: boolean): Promise<void>;
  getFullPropertyTree(): Promise<{ qProperty: Record<string, unknown>; qChildren: { qProperty: Record<string, unknown>; qChildren: unknown[] }[] }>;
  setFullPropertyTree(e: object): Promise<void>;
  createChild(p: object, forThis?: object): Promise<Obj>;
  destroyChild(id: string): Promise<boolean>;
  getChildInfos(): Promise<{ qId: string; qType: string }[]>;
  publish(): Promise<void>;
  unPublish(): Promise<void>;
  approve(): Promise<void>;
}
interface Item {
  id: string;
  getLayout(): Promise<Record<string, unknown>>;
  getProperties(): Promise<Record<string, unknown>>;
  setProperties(p: object): Promise<void>;
  applyPatches(p: { qOp: string; qPath: string; qValue?: string }[]): Promise<void>;
  publish(): Promise<void>;
  apply(): Promise<boolean>;
  on(event: 'changed', fn: () => void): void;
}
interface ObjDoc extends EnigmaDoc {
  createObject(p: object): Promise<Obj>;
  getObject(id: string): Promise<Obj>;
  destroyObject(id: string): Promise<boolean>;
  getObjects(o: object): Promise<{ qInfo: { qId: string; qType: string }; qMeta: Record<string, unknown>; qData: Record<string, unknown> }[]>;
  getAllInfos(): Promise<{ qId: string; qType: string }[]>;
  doSave(): Promise<void>;
  getAppProperties(): Promise<Record<string, unknown>>;
  setAppProperties(p: object): Promise<void>;
  createDimension(p: object): Promise<Item>;
  createMeasure(p: object): Promise<Item>;
  getDimension(id: string): Promise<Item>;
  getMeasure(id: string): Promise<Item>;
  destroyDimension(id: string): Promise<boolean>;
  destroyMeasure(id: string): Promise<boolean>;
  createBookmark(p: object): Promise<Item>;
  getBookmark(id: string): Promise<Item>;
  applyBookmark(id: string): Promise<boolean>;
  destroyBookmark(id: string): Promise<boolean>;
  getBookmarks(o: object): Promise<{ qInfo: { qId: string } }[]>;
}

const facts: TestAppFacts = { published: false, ownerId: 'CORP\\OWNER', updaters: ['CORP\\OWNER', 'CORP\\EDITOR'] };
const app = enigmaTestApp({ appId: 'objs', title: 'Objects', script: SCRIPT }, { objects: { store: new Map(), facts: () => facts } });
const open = (user: string) => app.open<ObjDoc>(user);
const code = (p: Promise<unknown>): Promise<number | undefined> => p.then(() => undefined, (e: { code?: number }) => e.code ?? -1);
const CHART = { qInfo: { qId: 'chart-1', qType: 'barchart' }, title: 'by region', qHyperCubeDef: { qDimensions: [{ qDef: { qFieldDefs: ['REGION'] } }], qMeasures: [{ qDef: { qDef: '=Sum(AMOUNT)' } }], qInitialDataFetch: [{ qTop: 0, qLeft: 0, qHeight: 10, qWidth: 2 }] } };
const rowsOf = async (o: { getLayout(): Promise<Record<string, unknown>> }) =>
  ((await o.getLayout()) as { qHyperCube: { qDataPages: { qMatrix: { qText: string; qNum: number }[][] }[] } }).qHyperCube.qDataPages[0]!.qMatrix.map((r) => [r[0]!.qText, r[1]!.qNum] as const).sort();

beforeAll(() => app.start(), 60_000);
afterAll(() => app.close());

describe('persisted objects in an unpublished app', () => {
  it('the owner builds a sheet with a chart; each user’s layout is computed on their own reduced view', async () => {
    const owner = await open('CORP\\OWNER');
    const sheet = await owner.createObject({ qInfo: { qId: 'sheet-1', qType: 'sheet' }, qMetaDef: { title: 'Overview' }, cells: [], qChildListDef: { qData: { title: '/title' } } });
    expect(sheet.id).toBe('sheet-1');
    const chart = await sheet.createChild(CHART);
    expect(chart.id).toBe('chart-1');
    expect(await rowsOf(chart)).toEqual(sumBy(orders).sort());
    const layout = await sheet.getLayout();
    expect(layout['qChildList']).toEqual({ qItems: [expect.objectContaining({ qInfo: { qId: 'chart-1', qType: 'barchart' }, qData: { title: 'by region' } })] });
    expect(layout['qMeta']).toMatchObject({ title: 'Overview', privileges: expect.arrayContaining(['read', 'update', 'delete']), owner: { userDirectory: 'CORP', userId: 'OWNER' } });
    expect(await sheet.getChildInfos()).toEqual([{ qId: 'chart-1', qType: 'barchart' }]);
    // A story with a slide and a slide item: generic objects and children like any other.
    const story = await owner.createObject({ qInfo: { qId: 'story-1', qType: 'story' }, qMetaDef: { title: 'Story' }, qChildListDef: { qData: {} } });
    const slide = await story.createChild({ qInfo: { qId: 'slide-1', qType: 'slide' }, qChildListDef: { qData: {} } });
    await slide.createChild({ qInfo: { qId: 'slideitem-1', qType: 'slideitem' }, visualization: 'barchart' });
    expect((await story.getFullPropertyTree()).qChildren.map((c) => [(c.qProperty['qInfo'] as { qId: string }).qId, (c.qChildren as unknown[]).length])).toEqual([['slide-1', 1]]);
    expect(await owner.destroyObject('story-1')).toBe(true);
    expect(await code(owner.getObject('slideitem-1'))).toBe(2);

    const reader = await open('CORP\\READER');
    const seen = await reader.getObject('chart-1');
    expect(await rowsOf(seen)).toEqual(sumBy(orders.filter((o) => o.region === 'NORTH')).sort());
    expect((await reader.getAllInfos()).map((i) => i.qId).sort()).toEqual(['chart-1', 'sheet-1']);
    // A reader the rules do not let update the app changes nothing.
    expect(await code(reader.createObject({ qInfo: { qType: 'sheet' } }))).toBe(5);
    expect(await code(seen.setProperties({ ...CHART, title: 'mine' }))).toBe(5);
    expect(await code(seen.applyPatches([{ qOp: 'replace', qPath: '/title', qValue: '"mine"' }]))).toBe(5);
    expect(await reader.destroyObject('sheet-1').catch((e: { code?: number }) => e.code)).toBe(5);
    expect(await code(reader.getObject('sheet-1'))).toBeUndefined();
  });

  it('properties: set, patch, full tree; lists and change notices follow', async () => {
    const owner = await open('CORP\\EDITOR');
    const list = await owner.createSessionObject({ qInfo: { qType: 'SheetList' }, qAppObjectListDef: { qType: 'sheet', qData: { title: '/qMetaDef/title' } } });
    const titles = async () => ((await list.getLayout())['qAppObjectList'] as { qItems: { qData: { title: string } }[] }).qItems.map((i) => i.qData.title).sort();
    expect(await titles()).toEqual(['Overview']);
    let changed = 0;
    list.on('changed', () => changed++);
    const second = await owner.createObject({ qInfo: { qType: 'sheet' }, qMetaDef: { title: 'Second' } });
    await new Promise((r) => setTimeout(r, 50));
    expect(changed).toBeGreaterThan(0);
    expect(await titles()).toEqual(['Overview', 'Second']);

    await second.applyPatches([{ qOp: 'replace', qPath: '/qMetaDef/title', qValue: '"Patched"' }, { qOp: 'add', qPath: '/cells', qValue: '[{"name":"x"}]' }, { qOp: 'add', qPath: '/cells/-', qValue: '{"name":"y"}' }]);
    expect(await second.getProperties()).toMatchObject({ qMetaDef: { title: 'Patched' }, cells: [{ name: 'x' }, { name: 'y' }] });
    await second.applyPatches([{ qOp: 'remove', qPath: '/cells/0' }]);
    expect((await second.getProperties())['cells']).toEqual([{ name: 'y' }]);
    expect(await code(second.applyPatches([{ qOp: 'add', qPath: '/__proto__/x', qValue: '1' }]))).toBe(8);
    expect(await code(second.applyPatches([{ qOp: 'replace', qPath: '/qInfo/qId', qValue: '"other"' }]))).toBe(8);

    const tree = await (await owner.getObject('sheet-1')).getFullPropertyTree();
    expect(tree.qProperty['qInfo']).toEqual({ qId: 'sheet-1', qType: 'sheet' });
    expect(tree.qChildren.map((c) => (c.qProperty['qInfo'] as { qId: string }).qId)).toEqual(['chart-1']);
    // Replace the tree: the chart's title changes, a KPI is added, nothing removed.
    const kpi = { qInfo: { qId: 'kpi-1', qType: 'kpi' }, qHyperCubeDef: { qDimensions: [], qMeasures: [{ qDef: { qDef: 'Count(ID)' } }], qInitialDataFetch: [{ qTop: 0, qLeft: 0, qHeight: 1, qWidth: 1 }] } };
    await second.setFullPropertyTree({ qProperty: { ...(await second.getProperties()), qMetaDef: { title: 'Tree' } }, qChildren: [{ qProperty: kpi, qChildren: [] }] });
    expect(await second.getChildInfos()).toEqual([{ qId: 'kpi-1', qType: 'kpi' }]);
    const k = await owner.getObject('kpi-1');
    expect(((await k.getLayout()) as { qHyperCube: { qDataPages: { qMatrix: { qNum: number }[][] }[] } }).qHyperCube.qDataPages[0]!.qMatrix[0]![0]!.qNum).toBe(orders.length);
    await second.setFullPropertyTree({ qProperty: await second.getProperties(), qChildren: [] });
    expect(await second.getChildInfos()).toEqual([]);
    expect(await code(owner.getObject('kpi-1'))).toBe(2);

    const objects = await owner.getObjects({ qTypes: ['sheet'], qData: { title: '/qMetaDef/title' } });
    expect(objects.map((o) => o.qData['title']).sort()).toEqual(['Overview', 'Tree']);
    await owner.doSave();
    expect(await owner.destroyObject(second.id)).toBe(true);
    expect(await titles()).toEqual(['Overview']);
    expect(await code(owner.getObject(second.id))).toBe(2);
  });

  it('a change in one session is pushed to the other sessions holding the object (change frame), and read there', async () => {
    const a = await open('CORP\\OWNER');
    const b = await open('CORP\\READER');
    const seenByB = await b.getObject('sheet-1');
    let changed = 0;
    seenByB.on('changed', () => changed++);
    await (await a.getObject('sheet-1')).applyPatches([{ qOp: 'replace', qPath: '/qMetaDef/title', qValue: '"Overview 2"' }]);
    for (let i = 0; i < 50 && changed === 0; i++) await new Promise((r) => setTimeout(r, 20));
    expect(changed).toBeGreaterThan(0);
    expect((await seenByB.getLayout())['qMeta']).toMatchObject({ title: 'Overview 2' });
    await (await a.getObject('sheet-1')).applyPatches([{ qOp: 'replace', qPath: '/qMetaDef/title', qValue: '"Overview"' }]);
  });

  it('master dimensions and measures, app properties and the field/dimension/measure/media lists', async () => {
    const owner = await open('CORP\\OWNER');
    const dim = await owner.createDimension({ qInfo: { qId: 'dim-region', qType: 'dimension' }, qDim: { qGrouping: 'N', qFieldDefs: ['REGION'], qFieldLabels: ['Region'] }, qMetaDef: { title: 'Region' } });
    const measure = await owner.createMeasure({ qInfo: { qId: 'm-amount' }, qMeasure: { qDef: 'Sum(AMOUNT)', qLabel: 'Amount' }, qMetaDef: { title: 'Amount' } });
    await owner.createMeasure({ qInfo: { qId: 'm-margin' }, qMeasure: { qDef: 'Sum(MARGIN)' }, qMetaDef: { title: 'Margin' } });
    expect(await dim.getLayout()).toMatchObject({ qInfo: { qId: 'dim-region', qType: 'dimension' }, qDim: { qFieldDefs: ['REGION'] }, qDimInfos: [{ qName: 'REGION' }] });
    expect(await measure.getLayout()).toMatchObject({ qMeasure: { qDef: 'Sum(AMOUNT)' }, qMeta: { title: 'Amount' } });
    await measure.setProperties({ ...(await measure.getProperties()), qMeasure: { qDef: 'Sum(AMOUNT) * 2', qLabel: 'Double' } });
    expect(((await (await owner.getMeasure('m-amount')).getLayout())['qMeasure'] as { qLabel: string }).qLabel).toBe('Double');
    // Charts use master items by qLibraryId: computed from the master's definition, on each user's view.
    const byLibrary = { qInfo: { qType: 'table' }, qHyperCubeDef: { qDimensions: [{ qLibraryId: 'dim-region' }], qMeasures: [{ qLibraryId: 'm-amount' }], qInitialDataFetch: [{ qTop: 0, qLeft: 0, qHeight: 10, qWidth: 2 }] } };
    const libChart = await owner.createObject({ ...byLibrary, qInfo: { qId: 'lib-chart', qType: 'table' } });
    expect(await rowsOf(libChart)).toEqual(sumBy(orders).map(([r, s]) => [r, s * 2]).sort());
    expect((await libChart.getProperties())['qHyperCubeDef']).toMatchObject({ qMeasures: [{ qLibraryId: 'm-amount' }] });
    expect(await code(owner.createSessionObject({ ...byLibrary, qHyperCubeDef: { ...byLibrary.qHyperCubeDef, qMeasures: [{ qLibraryId: 'nope' }] } }))).toBe(2);
    expect(await code(owner.createMeasure({ qMeasure: { qDef: 'Sum(' } }))).toBe(7000);
    expect(await code(owner.createDimension({ qDim: { qFieldDefs: ['NOPE'] } }))).toBe(2);

    const lists = await owner.createSessionObject({ qInfo: { qType: 'lists' }, qDimensionListDef: { qType: 'dimension', qData: { title: '/qMetaDef/title' } }, qMeasureListDef: { qType: 'measure', qData: { title: '/qMetaDef/title' } }, qFieldListDef: {}, qMediaListDef: {} });
    const l = await lists.getLayout() as Record<string, { qItems: { qData?: { title: string }; qName?: string }[] }>;
    expect(l['qDimensionList']!.qItems.map((i) => i.qData!.title)).toEqual(['Region']);
    expect(l['qMeasureList']!.qItems.map((i) => i.qData!.title).sort()).toEqual(['Amount', 'Margin']);
    expect(l['qFieldList']!.qItems.map((i) => i.qName).sort()).toEqual(['AMOUNT', 'ID', 'MARGIN', 'REGION']);
    expect(l['qMediaList']).toEqual({ qItems: [] });

    // The reader's view omits MARGIN: it is not in their field list, and the dimension describes their view.
    const reader = await open('CORP\\READER');
    const rl = await (await reader.createSessionObject({ qInfo: { qType: 'lists' }, qFieldListDef: {}, qMeasureListDef: { qType: 'measure' } })).getLayout() as Record<string, { qItems: { qName?: string }[] }>;
    expect(rl['qFieldList']!.qItems.map((i) => i.qName).sort()).toEqual(['AMOUNT', 'ID', 'REGION']);
    expect(rl['qMeasureList']!.qItems).toHaveLength(2);
    expect(await rowsOf(await reader.getObject('lib-chart'))).toEqual(sumBy(orders.filter((o) => o.region === 'NORTH')).map(([r, s]) => [r, s * 2]));
    expect(await code(reader.createDimension({ qDim: { qFieldDefs: ['REGION'] } }))).toBe(5);
    expect(await code((await reader.getMeasure('m-amount')).setProperties({ qMeasure: { qDef: '1' } }))).toBe(5);

    await owner.setAppProperties({ qTitle: 'Objects', sheetTitleBgColor: '#123456' });
    expect(await owner.getAppProperties()).toMatchObject({ qInfo: { qType: 'appprops' }, sheetTitleBgColor: '#123456' });
    expect(await reader.getAppProperties()).toMatchObject({ sheetTitleBgColor: '#123456' });
    expect(await code(reader.setAppProperties({ qTitle: 'x' }))).toBe(5);
    expect(await owner.destroyMeasure('m-margin')).toBe(true);
    expect(await owner.destroyObject('lib-chart')).toBe(true);
    expect(await code(owner.getMeasure('m-margin'))).toBe(2);
  });

  it('bookmarks store the creator’s selections and apply inside the applying user’s reduction', async () => {
    const owner = await open('CORP\\OWNER');
    await (await owner.getField('REGION')).selectValues([{ qText: 'SOUTH' }]);
    const bm = await owner.createBookmark({ qInfo: { qId: 'bm-south' }, qMetaDef: { title: 'South' } });
    expect(await bm.getLayout()).toMatchObject({ qBookmark: { qStateData: [{ qFieldItems: [{ qDef: { qName: 'REGION' }, qValues: [{ qText: 'SOUTH' }] }] }] } });
    await owner.clearAll();
    expect(await owner.applyBookmark('bm-south')).toBe(true);
    const south = orders.filter((o) => o.region === 'SOUTH').reduce((a, o) => a + o.amount, 0);
    expect(await owner.evaluate('Sum(AMOUNT)')).toBe(String(south));

    const reader = await open('CORP\\READER');
    expect((await reader.getBookmarks({ qTypes: ['bookmark'] })).map((b) => b.qInfo.qId)).toEqual(['bm-south']);
    const rb = await reader.getBookmark('bm-south');
    // The SOUTH value is outside the reader's reduction: the layout does not show it, applying selects nothing of it.
    expect(JSON.stringify(await rb.getLayout())).not.toContain('SOUTH');
    expect(await reader.applyBookmark('bm-south')).toBe(true);
    const north = orders.filter((o) => o.region === 'NORTH').reduce((a, o) => a + o.amount, 0);
    expect(await reader.evaluate('Sum(AMOUNT)')).toBe(String(north));
    expect(await reader.evaluate('Sum({1} AMOUNT)')).toBe(String(north));
    expect(await code(reader.createBookmark({ qMetaDef: { title: 'mine' } }))).toBe(5);
    expect(await owner.destroyBookmark('bm-south')).toBe(true);
  });
});

describe('persisted objects in a published app (Qlik’s default rules)', () => {
  it('base objects are read-only; private objects are their owner’s alone until published; approval needs Update', async () => {
    facts.published = true;
    const owner = await open('CORP\\OWNER');
    const base = await owner.getObject('sheet-1');
    expect(await code(base.setProperties({ qInfo: { qType: 'sheet' }, qMetaDef: { title: 'changed' } }))).toBe(5);
    expect(await owner.destroyObject('sheet-1').catch((e: { code?: number }) => e.code)).toBe(5);
    // The owner keeps Update on the app (approval), but the base sheet itself is read-only.
    expect((await base.getLayout())['qMeta']).toMatchObject({ published: true, approved: true, privileges: ['read', 'approve'] });

    const reader = await open('CORP\\READER');
    const mine = await reader.createObject({ qInfo: { qId: 'private-1', qType: 'sheet' }, qMetaDef: { title: 'Mine' } });
    await mine.createChild({ qInfo: { qId: 'private-chart', qType: 'table' }, qHyperCubeDef: CHART.qHyperCubeDef });
    await mine.applyPatches([{ qOp: 'replace', qPath: '/qMetaDef/title', qValue: '"Still mine"' }]);
    expect((await mine.getLayout())['qMeta']).toMatchObject({ published: false, approved: false, owner: { userId: 'READER' } });
    // A private object cannot be hung under a base object.
    expect(await code(base.createChild({ qInfo: { qType: 'table' } }))).toBe(5);

    const other = await open('CORP\\OTHER');
    expect(((await (await other.getObject('sheet-1')).getLayout())['qMeta'] as { privileges: string[] }).privileges).toEqual(['read']);
    expect(await code(other.getObject('private-1'))).toBe(2);
    expect(await code(other.getObject('private-chart'))).toBe(2);
    expect((await other.getAllInfos()).map((i) => i.qId)).not.toContain('private-1');
    expect(await other.destroyObject('private-1')).toBe(false);

    // Publishing is the owner's; then others read it (still not change it); approval needs Update on the app.
    const asOwnerOfApp = await owner.getObject('private-1').then(() => true, () => false);
    expect(asOwnerOfApp).toBe(false);
    await mine.publish();
    const seen = await other.getObject('private-1');
    expect((await seen.getLayout())['qMeta']).toMatchObject({ published: true, approved: false, title: 'Still mine' });
    expect(await code(seen.setProperties({ qInfo: { qType: 'sheet' } }))).toBe(5);
    expect(await code(seen.approve())).toBe(5);
    expect(await code(mine.approve())).toBe(5);
    await (await owner.getObject('private-1')).approve();
    expect(await code(mine.unPublish())).toBe(5);
    facts.published = false;
  });
});
