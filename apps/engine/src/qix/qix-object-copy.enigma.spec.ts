import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { EnigmaDoc } from './testing/enigma-client';
import { enigmaTestApp, inlineTable } from './testing/enigma-test-app';
import type { TestAppFacts } from './testing/qix-test-server';

/**
 * Navigating and copying persisted objects as the real enigma.js drives them (issue 18, item 3):
 * GetParent, GetChild, GetLinkedObjects, CopyFrom, CloneObject — under the App.Object rules (the
 * engine's local ObjectAccess: Qlik's defaults) on an app built by a load script with section
 * access. A stranger cannot copy from, clone or reach an object they cannot read; a copied chart
 * computes on the reader's own reduced view (expected values from the raw rows).
 */
const REGIONS = ['NORTH', 'SOUTH', 'EAST'];
const orders = Array.from({ length: 18 }, (_, i) => ({ id: i + 1, region: REGIONS[i % 3]!, amount: 7 + ((i * 23) % 41) }));
const sumBy = (region: string | null) => REGIONS.filter((r) => region === null || r === region).map((r) => [r, orders.filter((o) => o.region === r).reduce((a, o) => a + o.amount, 0)] as const).sort();
const SCRIPT = [
  'Section Access;',
  ...inlineTable('ACCESS, USERID, REGION', ['ADMIN, CORP\\OWNER, ', 'USER, CORP\\READER, NORTH', 'USER, CORP\\OTHER, NORTH']),
  'Section Application;',
  'Orders:',
  ...inlineTable('ID, REGION, AMOUNT', orders.map((o) => `${o.id}, ${o.region}, ${o.amount}`)),
].join('\n');

interface Obj {
  id: string;
  getLayout(): Promise<Record<string, unknown>>;
  getProperties(): Promise<Record<string, unknown>>;
  getChildInfos(): Promise<{ qId: string; qType: string }[]>;
  createChild(p: object): Promise<Obj>;
  getChild(id: string): Promise<Obj>;
  getParent(): Promise<Obj>;
  getLinkedObjects(): Promise<{ qRootId: string; qInfo: { qId: string; qType: string } }[]>;
  copyFrom(id: string): Promise<void>;
  publish(): Promise<void>;
}
interface Doc extends Omit<EnigmaDoc, 'getObject'> {
  createObject(p: object): Promise<Obj>;
  getObject(id: string): Promise<Obj>;
  cloneObject(id: string): Promise<string>;
}

const facts: TestAppFacts = { published: false, ownerId: 'CORP\\OWNER', updaters: ['CORP\\OWNER'] };
const app = enigmaTestApp({ appId: 'copy', title: 'Copy', script: SCRIPT }, { objects: { store: new Map(), facts: () => facts } });
const open = (user: string) => app.open<Doc>(user);
const code = (p: Promise<unknown>): Promise<number | undefined> => p.then(() => undefined, (e: { code?: number }) => e.code ?? -1);
const chart = (id: string, title: string) => ({ qInfo: { qId: id, qType: 'barchart' }, title, qHyperCubeDef: { qDimensions: [{ qDef: { qFieldDefs: ['REGION'] } }], qMeasures: [{ qDef: { qDef: 'Sum(AMOUNT)' } }], qInitialDataFetch: [{ qTop: 0, qLeft: 0, qHeight: 10, qWidth: 2 }] } });
const rowsOf = async (o: Obj) => ((await o.getLayout()) as { qHyperCube: { qDataPages: { qMatrix: { qText: string; qNum: number }[][] }[] } }).qHyperCube.qDataPages[0]!.qMatrix.map((r) => [r[0]!.qText, r[1]!.qNum] as const).sort();

beforeAll(() => app.start(), 60_000);
afterAll(() => app.close());

describe('navigating and copying objects', () => {
  it('GetChild, GetParent, GetLinkedObjects, CloneObject and CopyFrom in an unpublished app', async () => {
    const owner = await open('CORP\\OWNER');
    const sheet = await owner.createObject({ qInfo: { qId: 'sheet-a', qType: 'sheet' }, qMetaDef: { title: 'Base' }, cells: [{ name: 'chart-a', col: 0 }, { name: 'chart-b', col: 12 }], qChildListDef: { qData: {} } });
    await sheet.createChild(chart('chart-a', 'Amount by region'));
    await sheet.createChild({ qInfo: { qId: 'chart-b', qType: 'text' }, markdown: 'notes' });
    const a = await sheet.getChild('chart-a');
    expect(a.id).toBe('chart-a');
    expect(await rowsOf(a)).toEqual(sumBy(null));
    expect((await a.getParent()).id).toBe('sheet-a');
    expect(await code(sheet.getChild('nope'))).toBe(2);
    expect(await code(sheet.getChild('chart-a-not-mine'))).toBe(2);
    expect(await code(sheet.getParent())).toBe(2);
    // A top-level object is not a child of the sheet, even by id.
    await owner.createObject({ qInfo: { qId: 'ext-1', qType: 'barchart' }, qExtendsId: 'chart-a' });
    expect(await code(sheet.getChild('ext-1'))).toBe(2);
    expect(await a.getLinkedObjects()).toEqual([{ qRootId: 'ext-1', qInfo: { qId: 'ext-1', qType: 'barchart' } }]);

    const cloneId = await owner.cloneObject('sheet-a');
    expect(cloneId).not.toBe('sheet-a');
    const clone = await owner.getObject(cloneId);
    const kids = await clone.getChildInfos();
    expect(kids.map((k) => k.qType).sort()).toEqual(['barchart', 'text']);
    expect(kids.every((k) => !['chart-a', 'chart-b'].includes(k.qId))).toBe(true);
    // The clone's cells name its own children, not the originals.
    const cells = (await clone.getProperties())['cells'] as { name: string }[];
    expect(cells.map((c) => c.name).sort()).toEqual(kids.map((k) => k.qId).sort());
    expect((await clone.getProperties())['qMetaDef']).toEqual({ title: 'Base' });
    const copiedChart = kids.find((k) => k.qType === 'barchart')!.qId;

    // A reader reads the copied chart computed on their own reduced view; without Update they cannot clone.
    const reader = await open('CORP\\READER');
    expect(await rowsOf(await reader.getObject(copiedChart))).toEqual(sumBy('NORTH'));
    expect(await code(reader.cloneObject('sheet-a'))).toBe(5);

    // CopyFrom: an empty sheet takes the base sheet's properties and copies of its children.
    const target = await owner.createObject({ qInfo: { qId: 'sheet-b', qType: 'sheet' }, qMetaDef: { title: 'Empty' }, qChildListDef: { qData: {} } });
    await target.createChild({ qInfo: { qId: 'old-child', qType: 'text' } });
    await target.copyFrom('sheet-a');
    const props = await target.getProperties();
    expect(props['qInfo']).toEqual({ qId: 'sheet-b', qType: 'sheet' });
    expect(props['qMetaDef']).toEqual({ title: 'Base' });
    const copied = await target.getChildInfos();
    expect(copied.map((k) => k.qType).sort()).toEqual(['barchart', 'text']);
    expect(copied.some((k) => ['chart-a', 'chart-b', 'old-child'].includes(k.qId))).toBe(false);
    expect(await code(owner.getObject('old-child'))).toBe(2);
    expect(await code(target.copyFrom('nope'))).toBe(2);
    expect(await code(reader.getObject('sheet-b').then((s) => s.copyFrom('sheet-a')))).toBe(5);
  });

  it('in a published app a stranger cannot clone, copy from or reach another user’s private objects', async () => {
    facts.published = true;
    try {
      const reader = await open('CORP\\READER');
      const other = await open('CORP\\OTHER');
      const mine = await reader.createObject({ qInfo: { qId: 'private-r', qType: 'sheet' }, qMetaDef: { title: 'Mine' }, qChildListDef: { qData: {} } });
      await mine.createChild(chart('private-chart', 'secret'));
      await reader.createObject({ qInfo: { qId: 'private-ext', qType: 'barchart' }, qExtendsId: 'chart-a' });

      expect(await code(other.cloneObject('private-r'))).toBe(2);
      expect(await code(other.cloneObject('private-chart'))).toBe(2);
      const theirs = await other.createObject({ qInfo: { qId: 'private-o', qType: 'sheet' }, qChildListDef: { qData: {} } });
      expect(await code(theirs.copyFrom('private-r'))).toBe(2);
      expect(await code(theirs.copyFrom('private-chart'))).toBe(2);
      expect(await code(theirs.getChild('private-chart'))).toBe(2);
      expect(await theirs.getChildInfos()).toEqual([]);
      // The base chart's linked objects: each user sees only the extensions they may read.
      expect((await (await other.getObject('chart-a')).getLinkedObjects()).map((l) => l.qInfo.qId)).toEqual(['ext-1']);
      expect((await (await reader.getObject('chart-a')).getLinkedObjects()).map((l) => l.qInfo.qId).sort()).toEqual(['ext-1', 'private-ext']);

      // A base sheet of a published app is read-only: no CopyFrom into it, by anyone.
      expect(await code((await other.getObject('sheet-a')).copyFrom('private-o'))).toBe(5);
      // Cloning a base sheet makes a private copy: the cloner's own, invisible to others, computing on each view.
      const copyId = await other.cloneObject('sheet-a');
      expect(await code(reader.getObject(copyId))).toBe(2);
      const copyKids = await (await other.getObject(copyId)).getChildInfos();
      expect(await rowsOf(await other.getObject(copyKids.find((k) => k.qType === 'barchart')!.qId))).toEqual(sumBy('NORTH'));
      // The owner of the private sheet copies into it from the base sheet.
      await theirs.copyFrom('sheet-a');
      expect((await theirs.getChildInfos()).map((k) => k.qType).sort()).toEqual(['barchart', 'text']);
    } finally {
      facts.published = false;
    }
  });
});
