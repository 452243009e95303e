import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN, eventually, ok, startAttackSite, type AttackSite } from '../test-support/attack-site';
import { type EnigmaDoc, withQixDoc } from '../test-support/qix-client';
import { createApp, dataConnection, everyoneStream, publish, PAY, payScript, payTotal } from '../test-support/site-content';

// Persisted generic objects over QIX (issue 18, items 1 and 3) on the real site. Threats: a reduced
// user reads through another user's sheet, master item or bookmark what section access hides
// (information disclosure); a reader changes the published base objects or another user's private
// sheet (tampering); a user sees or probes another user's private objects (information disclosure);
// a user section access reduces approves, or changes base objects of an unpublished app through an
// Update rule (elevation). Objects live in the encrypted app file: they survive an engine restart and
// never reach the repository database.
const MARKER = 'object-marker-7f3a';
const SCRIPT = payScript();
const total = payTotal;
const SOUTH_VALUES = ['SOUTH', 'Sam', '98765', '98 765', String(total())];

type Patch = { qOp: string; qPath: string; qValue?: string };
interface Obj {
  id: string;
  getLayout(): Promise<Record<string, unknown>>;
  getProperties(): Promise<Record<string, unknown>>;
  setProperties(p: object): Promise<void>;
  applyPatches(p: Patch[], soft?: boolean): Promise<void>;
  createChild(p: object): Promise<Obj>;
  getFullPropertyTree(): Promise<unknown>;
  setFullPropertyTree(e: object): Promise<void>;
  getChildInfos(): Promise<{ qId: string }[]>;
  publish(): Promise<void>;
  approve(): Promise<void>;
}
interface ObjDoc extends EnigmaDoc {
  createObject(p: object): Promise<Obj>;
  getObject(id: string): Promise<Obj>;
  destroyObject(id: string): Promise<boolean>;
  getAllInfos(): Promise<{ qId: string; qType: string }[]>;
  getObjects(o: object): Promise<{ qInfo: { qId: string } }[]>;
  createMeasure(p: object): Promise<Obj>;
  getMeasure(id: string): Promise<Obj>;
  destroyMeasure(id: string): Promise<boolean>;
  createBookmark(p: object): Promise<Obj>;
  getBookmark(id: string): Promise<Obj>;
  applyBookmark(id: string): Promise<boolean>;
  destroyBookmark(id: string): Promise<boolean>;
  getBookmarks(o: object): Promise<{ qInfo: { qId: string } }[]>;
  setAppProperties(p: object): Promise<void>;
  getConnections(): Promise<Record<string, unknown>[]>;
  getConnection(id: string): Promise<Record<string, unknown>>;
}

let a: AttackSite;
let app: string;
let draft: string;

const withDoc = <T>(user: string, appId: string, run: (doc: ObjDoc) => Promise<T>): Promise<T> => withQixDoc(a, user, appId, run);

const code = (p: Promise<unknown>): Promise<number | undefined> => p.then(() => undefined, (e: { code?: number }) => e.code);
const CHART = { qInfo: { qId: 'pay-chart', qType: 'table' }, qHyperCubeDef: { qDimensions: [{ qDef: { qFieldDefs: ['NAME'] } }], qMeasures: [{ qDef: { qDef: '=Sum({1} SALARY)' } }], qInitialDataFetch: [{ qTop: 0, qLeft: 0, qHeight: 10, qWidth: 2 }] } };

beforeAll(async () => {
  a = await startAttackSite();
  app = await createApp(a, 'Salaries', SCRIPT);
  draft = await createApp(a, 'Draft', SCRIPT);
  // Mallory and Rita may update every app: the rules alone would let both change base objects.
  ok(await a.as(ADMIN, 'POST', '/qrs/systemrule', { name: 'mallory and rita update apps', resourceFilter: 'App_*', actions: 6, ruleContext: 0, rule: 'user.userId = "mallory" or user.userId = "rita"' }), 'rule');
  // Rita (whole view) builds the app before it is published: a sheet with a chart, a master measure, a bookmark on SOUTH.
  await withDoc('CORP\\rita', app, async (doc) => {
    const sheet = await doc.createObject({ qInfo: { qId: 'pay-sheet', qType: 'sheet' }, qMetaDef: { title: `Pay ${MARKER}` }, qChildListDef: { qData: {} } });
    await sheet.createChild(CHART);
    await doc.createMeasure({ qInfo: { qId: 'm-top' }, qMeasure: { qDef: 'Sum({1} SALARY)' }, qMetaDef: { title: 'Top' } });
    await (await doc.getField('REGION')).selectValues([{ qText: 'SOUTH' }]);
    await doc.createBookmark({ qInfo: { qId: 'bm-south' }, qMetaDef: { title: 'South' } });
    // A variable in the same app file (the restart test reads all of them back).
    await (doc as unknown as { createVariableEx(p: object): Promise<unknown> }).createVariableEx({ qName: 'vRegion', qDefinition: 'SOUTH' });
  });
  await publish(a, app, await everyoneStream(a));
}, 180_000);

afterAll(async () => {
  await a?.stop();
});

describe('Information disclosure › objects, master items and bookmarks over QIX compute on the reader’s reduced view', () => {
  it('Rita’s chart, Sum({1}) master measure and SOUTH bookmark show Mallory only NORTH, in every answer', async () => {
    const frames: string[] = [];
    const seen = await withDoc('CORP\\mallory', app, async (doc) => {
      const chart = await doc.getObject('pay-chart');
      const layout = await chart.getLayout();
      frames.push(JSON.stringify(layout), JSON.stringify(await chart.getFullPropertyTree()));
      const bookmark = await doc.getBookmark('bm-south');
      frames.push(JSON.stringify(await bookmark.getLayout()), JSON.stringify(await doc.getBookmarks({ qData: {} })));
      const applied = await doc.applyBookmark('bm-south');
      const afterApply = [await doc.evaluate('Sum(SALARY)'), await doc.evaluate('Sum({1} SALARY)'), await doc.evaluate('Count(DISTINCT NAME)')];
      frames.push(JSON.stringify(await (await doc.getMeasure('m-top')).getLayout()));
      const rows = (layout as { qHyperCube: { qDataPages: { qMatrix: { qText: string; qNum: number }[][] }[] } }).qHyperCube.qDataPages[0]!.qMatrix.map((r) => [r[0]!.qText, r[1]!.qNum]);
      return { applied, afterApply, rows: rows.sort() };
    });
    const north = PAY.filter(([r]) => r === 'NORTH');
    expect(seen).toEqual({ applied: true, afterApply: [String(total('NORTH')), String(total('NORTH')), String(north.length)], rows: north.map(([, n, s]) => [n, s]).sort() });
    for (const v of SOUTH_VALUES) expect(frames.filter((f) => f.includes(v)), v).toEqual([]);
    // Control: Walter (whole view) applying the same bookmark gets SOUTH.
    expect(await withDoc('CORP\\walter', app, async (doc) => [await doc.applyBookmark('bm-south'), await doc.evaluate('Sum(SALARY)')])).toEqual([true, String(total('SOUTH'))]);
  });
});

describe('Tampering › the base objects of a published app are read-only, whatever the Update rules say', () => {
  it('neither Mallory (Update, reduced) nor Rita (Update) nor Walter (reader) changes or destroys them', async () => {
    for (const user of ['CORP\\mallory', 'CORP\\rita', 'CORP\\walter']) {
      await withDoc(user, app, async (doc) => {
        const sheet = await doc.getObject('pay-sheet');
        expect(await code(sheet.setProperties({ qInfo: { qType: 'sheet' }, qMetaDef: { title: 'x' } })), user).toBe(5);
        expect(await code(sheet.applyPatches([{ qOp: 'replace', qPath: '/qMetaDef/title', qValue: '"x"' }])), user).toBe(5);
        expect(await code(sheet.setFullPropertyTree({ qProperty: { qInfo: { qId: 'pay-sheet', qType: 'sheet' } }, qChildren: [] })), user).toBe(5);
        expect(await code(sheet.createChild({ qInfo: { qType: 'table' } })), user).toBe(5);
        expect(await code(doc.destroyObject('pay-chart')), user).toBe(5);
        expect(await code((await doc.getMeasure('m-top')).setProperties({ qMeasure: { qDef: '0' } })), user).toBe(5);
        expect(await code(doc.destroyMeasure('m-top')), user).toBe(5);
        expect(await code(doc.destroyBookmark('bm-south')), user).toBe(5);
        expect(await code(doc.setAppProperties({ qTitle: 'x' })), user).toBe(5);
      });
    }
    expect(await withDoc('CORP\\walter', app, async (doc) => (await (await doc.getObject('pay-sheet')).getProperties())['qMetaDef'])).toEqual({ title: `Pay ${MARKER}` });
  });
});

describe('Information disclosure / Tampering › private objects are their owner’s', () => {
  it('Walter’s private sheet is invisible to Mallory until he publishes it; approving needs Update and the whole view', async () => {
    await withDoc('CORP\\walter', app, async (doc) => {
      const mine = await doc.createObject({ qInfo: { qId: 'walter-sheet', qType: 'sheet' }, qMetaDef: { title: `mine ${MARKER}` } });
      await mine.createChild({ qInfo: { qId: 'walter-chart', qType: 'table' }, qHyperCubeDef: CHART.qHyperCubeDef });
    });
    await withDoc('CORP\\mallory', app, async (doc) => {
      expect(await code(doc.getObject('walter-sheet'))).toBe(2);
      expect(await code(doc.getObject('walter-chart'))).toBe(2);
      expect((await doc.getAllInfos()).map((i) => i.qId)).not.toContain('walter-sheet');
      expect((await doc.getObjects({ qTypes: ['sheet'] })).map((i) => i.qInfo.qId)).toEqual(['pay-sheet']);
      expect(await doc.destroyObject('walter-sheet')).toBe(false);
      // Not even an id clash reveals it: a sheet of Mallory's own with that id is refused like any duplicate,
      // so the clash is the only hint — and it names nothing of the sheet.
      const clash = await doc.createObject({ qInfo: { qId: 'walter-sheet', qType: 'sheet' } }).then(() => 0, (e: { code?: number; message?: string }) => [e.code, e.message]);
      expect(JSON.stringify(clash)).not.toContain(MARKER);
    });
    await withDoc('CORP\\walter', app, async (doc) => (await doc.getObject('walter-sheet')).publish());
    await withDoc('CORP\\mallory', app, async (doc) => {
      const sheet = await doc.getObject('walter-sheet');
      expect((await sheet.getLayout())['qMeta']).toMatchObject({ published: true, approved: false });
      expect(await code(sheet.setProperties({ qInfo: { qType: 'sheet' } }))).toBe(5);
      // Mallory has Update on the app by rule, but section access reduces her: no approving.
      expect(await code(sheet.approve())).toBe(5);
    });
    expect(await withDoc('CORP\\walter', app, async (doc) => code((await doc.getObject('walter-sheet')).approve()))).toBe(5);
    await withDoc('CORP\\rita', app, async (doc) => (await doc.getObject('walter-sheet')).approve());
    expect(await withDoc('CORP\\mallory', app, async (doc) => (await (await doc.getObject('walter-sheet')).getLayout())['qMeta'])).toMatchObject({ published: true, approved: true });
  });
});

describe('Tampering › QRS state changes of an object reach the app file, for the rule-checked user only', () => {
  it('PUT /qrs/app/object/{id}/publish, approve, unapprove and unpublish write the row’s flags into the object in the app file; Mallory changes nothing', async () => {
    await withDoc('CORP\\walter', app, async (doc) => {
      await doc.createObject({ qInfo: { qId: 'walter-qrs', qType: 'sheet' }, qMetaDef: { title: 'by qrs' } });
    });
    const rows = ok<{ id: string; published: boolean; approved: boolean }[]>(await a.as(ADMIN, 'GET', `/qrs/app/object/full?filter=${encodeURIComponent("engineObjectId eq 'walter-qrs'")}`), 'admin lists the row');
    expect(rows).toHaveLength(1);
    const url = (change: string) => `/qrs/app/object/${rows[0]!.id}/${change}`;
    const metaOf = (user: string) => withDoc(user, app, async (doc) => (await (await doc.getObject('walter-qrs')).getLayout())['qMeta']);
    // Mallory cannot even find Walter's private sheet to publish it, by /qrs or over QIX.
    expect((await a.as('CORP\\mallory', 'PUT', url('publish'))).status).toBe(404);
    expect(await withDoc('CORP\\mallory', app, (doc) => code(doc.getObject('walter-qrs')))).toBe(2);
    expect(await metaOf('CORP\\walter')).toMatchObject({ published: false, approved: false });
    // Walter publishes through /qrs: the object in the file says so (qMeta is read from the file), and Mallory sees it.
    expect(ok<{ published: boolean }>(await a.as('CORP\\walter', 'PUT', url('publish')), 'walter publishes').published).toBe(true);
    expect(await metaOf('CORP\\mallory')).toMatchObject({ published: true, approved: false });
    expect((await a.as('CORP\\mallory', 'PUT', url('approve'))).status).toBe(403);
    expect(await metaOf('CORP\\walter')).toMatchObject({ published: true, approved: false });
    ok(await a.as(ADMIN, 'PUT', url('approve')), 'the admin approves');
    expect(await metaOf('CORP\\walter')).toMatchObject({ published: true, approved: true });
    ok(await a.as(ADMIN, 'PUT', url('unapprove')), 'the admin unapproves');
    ok(await a.as('CORP\\walter', 'PUT', url('unpublish')), 'walter unpublishes');
    expect(await metaOf('CORP\\walter')).toMatchObject({ published: false, approved: false });
    expect(await withDoc('CORP\\mallory', app, (doc) => code(doc.getObject('walter-qrs')))).toBe(2);
    // Not left for the restart test, which lists the app's sheets.
    expect(await withDoc('CORP\\walter', app, (doc) => doc.destroyObject('walter-qrs'))).toBe(true);
  });
});

describe('Elevation of privilege › in an unpublished app only users who may update it and see it whole change objects', () => {
  it('Mallory (Update rule, reduced by section access) creates nothing; Rita does', async () => {
    await withDoc('CORP\\mallory', draft, async (doc) => {
      expect(await code(doc.createObject({ qInfo: { qType: 'sheet' } }))).toBe(5);
      expect(await code(doc.createMeasure({ qMeasure: { qDef: 'Sum(SALARY)' } }))).toBe(5);
      expect(await code(doc.createBookmark({}))).toBe(5);
    });
    await withDoc('CORP\\rita', draft, async (doc) => {
      await doc.createObject({ qInfo: { qId: 'draft-sheet', qType: 'sheet' } });
    });
    await withDoc('CORP\\mallory', draft, async (doc) => {
      expect(await code((await doc.getObject('draft-sheet')).setProperties({ qInfo: { qType: 'sheet' } }))).toBe(5);
    });
  });
});

describe('Information disclosure › GetConnections lists only the data connections the rules let the user read', () => {
  it('an admin’s connection is listed to the admin, not to Mallory, and GetConnection does not confirm it', async () => {
    // Its name is not MARKER: a connection is a repository entity (the database scan below looks for MARKER).
    const name = 'conn-admin-only-91b';
    const id = await dataConnection(a, name, 'conn-folder', { 'x.csv': 'A\n1\n' });
    const admin = await withDoc(ADMIN, app, async (doc) => (await doc.getConnections()).map((c) => [c.qId, c.qName, Object.keys(c).filter((k) => /user|pass/i.test(k))]));
    expect(admin).toContainEqual([id, name, []]);
    const mallory = await withDoc('CORP\\mallory', app, async (doc) => ({ list: JSON.stringify(await doc.getConnections()), one: await code(doc.getConnection(id)) }));
    expect(mallory.list).not.toContain(name);
    expect(mallory.one).toBe(2);
  });
});

describe('Information disclosure › objects live in the encrypted app file', () => {
  it('they survive an engine restart (with the app’s variables) and never reach the repository database', async () => {
    // An app file from before App.Object rows: the base sheet's row goes (the object stays in the file),
    // and the sheet is invisible to everyone — until an engine opens the app and registers its row again.
    const rowsOf = async (id: string) => ok<{ id: string; published: boolean; approved: boolean; owner: { userId: string } }[]>(await a.as(ADMIN, 'GET', `/qrs/app/object/full?filter=${encodeURIComponent(`engineObjectId eq '${id}'`)}`), 'admin lists rows');
    const [row] = await rowsOf('pay-sheet');
    expect((await a.as(ADMIN, 'DELETE', `/qrs/app/object/${row!.id}`)).status).toBe(204);
    expect(await rowsOf('pay-sheet')).toEqual([]);
    expect(await withDoc('CORP\\walter', app, (doc) => code(doc.getObject('pay-sheet')))).toBe(2);
    await a.site.supervisor.kill('engine');
    await a.site.supervisor.startService('engine');
    await eventually(() => withDoc('CORP\\walter', app, async (doc) => doc.evaluate('1')).then(() => true, () => false), 'the restarted engine serves QIX', 60_000);
    const after = await withDoc('CORP\\walter', app, async (doc) => ({
      sheets: (await doc.getObjects({ qTypes: ['sheet'] })).map((o) => o.qInfo.qId).sort(),
      title: ((await (await doc.getObject('pay-sheet')).getProperties())['qMetaDef'] as { title: string }).title,
      children: (await (await doc.getObject('pay-sheet')).getChildInfos()).map((c) => c.qId),
      measure: ((await (await doc.getMeasure('m-top')).getLayout())['qMeasure'] as { qDef: string }).qDef,
      bookmark: [await doc.applyBookmark('bm-south'), await doc.evaluate('Sum(SALARY)')],
      variable: await doc.evaluate("Sum({1<REGION={'$(vRegion)'}>} SALARY)"),
    }));
    // Registered again as the file holds it: Rita's, a base sheet of the published app.
    expect((await rowsOf('pay-sheet')).map((r) => [r.owner.userId.toLowerCase(), r.published, r.approved])).toEqual([['rita', true, true]]);
    expect(after).toEqual({ sheets: ['pay-sheet', 'walter-sheet'], title: `Pay ${MARKER}`, children: ['pay-chart'], measure: 'Sum({1} SALARY)', bookmark: [true, String(total('SOUTH'))], variable: String(total('SOUTH')) });
    const db = join(a.site.dataDir, 'db', 'repository.db');
    const bytes = Buffer.concat([db, `${db}-wal`].filter((f) => existsSync(f)).map((f) => readFileSync(f)));
    expect(bytes.includes(app)).toBe(true); // control: the scan reads the real database
    expect(bytes.includes(MARKER)).toBe(false);
  }, 120_000);
});
