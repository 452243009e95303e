import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePorts, httpRequest } from '@trustzone/site-harness';
import { ADMIN, eventually, ok, startAttackSite, type AttackSite } from '../test-support/attack-site';
import { type EnigmaDoc, withQixDoc } from '../test-support/qix-client';
import { createApp, everyoneStream, publish, PAY, payScript, payTotal } from '../test-support/site-content';

// Issue 18 acceptance: an app with sheets, master items, variables and bookmarks survives a move to
// another engine of the site. A site's engines share the app volume (TZ_APPS_DIR, "shared by every
// engine of the site"); the proxy places each new QIX session on an engine that is up (round robin,
// sticky per session), so an app "moves" when the engine that served it goes down. On a real
// two-engine site (SQLite): engine B opens the app first (it caches the empty object list), engine A
// alone serves the author who builds everything, then A is stopped and B alone serves the readers.
// Threats: B answers from its stale copy (the objects are lost — or worse, a stale security view),
// or B computes the moved objects on the whole data instead of the reader's reduced view.
const SCRIPT = payScript();
const total = payTotal;

interface Obj {
  getLayout(): Promise<Record<string, unknown>>;
  getProperties(): Promise<Record<string, unknown>>;
  createChild(p: object): Promise<Obj>;
  getChildInfos(): Promise<{ qId: string }[]>;
}
interface ObjDoc extends EnigmaDoc {
  createObject(p: object): Promise<Obj>;
  getObject(id: string): Promise<Obj>;
  getObjects(o: object): Promise<{ qInfo: { qId: string } }[]>;
  createDimension(p: object): Promise<Obj>;
  getDimension(id: string): Promise<Obj>;
  createMeasure(p: object): Promise<Obj>;
  getMeasure(id: string): Promise<Obj>;
  createBookmark(p: object): Promise<Obj>;
  applyBookmark(id: string): Promise<boolean>;
  createVariableEx(p: object): Promise<unknown>;
  getVariableByName(name: string): Promise<{ getProperties(): Promise<{ qDefinition: string }> }>;
}

let a: AttackSite;
let app: string;
let engineA: string;

const withDoc = <T>(user: string, run: (doc: ObjDoc) => Promise<T>): Promise<T> => withQixDoc(a, user, app, run);

/** Waits until the proxy's pool sees exactly `up` as the engines that are up (its own probe, as sessions use it). */
async function onlyUp(up: string): Promise<void> {
  await eventually(async () => {
    const h = await httpRequest(a.site, a.site.ports.proxyApi, '/health', { xrfkey: false, cert: a.portal });
    const engines = (h.json as { engines?: Record<string, string> } | undefined)?.engines ?? {};
    return Object.keys(engines).length === 2 && Object.entries(engines).every(([addr, s]) => (s === 'ok') === (addr === up));
  }, `only ${up} is up in the proxy's engine pool`, 60_000);
}

beforeAll(async () => {
  a = await startAttackSite({}, { extraEngines: 1 });
  engineA = `localhost:${a.site.ports.engine}`;
  app = await createApp(a, 'Salaries (moved)', SCRIPT);
  // Rita may update (and so read) the app before it is published: she builds it.
  ok(await a.as(ADMIN, 'POST', '/qrs/systemrule', { name: 'rita updates apps', resourceFilter: 'App_*', actions: 6, ruleContext: 0, rule: 'user.userId = "rita"' }), 'rule');
}, 180_000);

afterAll(async () => {
  await a?.stop();
});

describe('Information disclosure / Denial of service › an app moves to another engine of the site with its objects', () => {
  it('built through engine A, served by engine B after A stops: sheets, master items, bookmark and variable, on the reader’s reduced view', async () => {
    const engineB = (a.site.env['TZ_ENGINE_ADDRESSES'] ?? '').split(',').find((x) => x !== engineA)!;
    expect(engineB).toMatch(/^localhost:\d+$/);

    // Engine B opens the app first: it holds the app (no objects yet) in its cache.
    await a.site.supervisor.kill('engine');
    await onlyUp(engineB);
    expect(await withDoc('CORP\\rita', async (doc) => [(await doc.getObjects({ qTypes: ['sheet'] })).length, await doc.evaluate('Sum(SALARY)')])).toEqual([0, String(total())]);

    // Engine A alone: Rita builds the app (sheet with a chart, master dimension and measure, a SOUTH bookmark, a variable).
    await a.site.supervisor.startService('engine');
    await a.site.supervisor.kill('engine2');
    await onlyUp(engineA);
    await withDoc('CORP\\rita', async (doc) => {
      await doc.createDimension({ qInfo: { qId: 'd-name' }, qDim: { qFieldDefs: ['NAME'] }, qMetaDef: { title: 'Name' } });
      await doc.createMeasure({ qInfo: { qId: 'm-all' }, qMeasure: { qDef: 'Sum({1} SALARY)' }, qMetaDef: { title: 'All pay' } });
      const sheet = await doc.createObject({ qInfo: { qId: 'pay-sheet', qType: 'sheet' }, qMetaDef: { title: 'Pay' }, qChildListDef: { qData: {} } });
      await sheet.createChild({ qInfo: { qId: 'pay-chart', qType: 'table' }, qHyperCubeDef: { qDimensions: [{ qLibraryId: 'd-name' }], qMeasures: [{ qLibraryId: 'm-all' }], qInitialDataFetch: [{ qTop: 0, qLeft: 0, qHeight: 10, qWidth: 2 }] } });
      await (await doc.getField('REGION')).selectValues([{ qText: 'SOUTH' }]);
      await doc.createBookmark({ qInfo: { qId: 'bm-south' }, qMetaDef: { title: 'South' } });
      await doc.createVariableEx({ qName: 'vRegion', qDefinition: 'SOUTH' });
    });
    await publish(a, app, await everyoneStream(a));

    // Engine A stops; B (which cached the app before any of this) alone serves the app now.
    await a.site.supervisor.startService('engine', { TZ_ENGINE_PORT: engineB.split(':')[1], TZ_ENGINE_METRICS_PORT: String((await freePorts(1))[0]) }, 'engine2');
    await a.site.supervisor.kill('engine');
    await onlyUp(engineB);
    const read = (doc: ObjDoc) => Promise.resolve().then(async () => ({
      sheets: (await doc.getObjects({ qTypes: ['sheet'] })).map((o) => o.qInfo.qId),
      title: ((await (await doc.getObject('pay-sheet')).getProperties())['qMetaDef'] as { title: string }).title,
      children: (await (await doc.getObject('pay-sheet')).getChildInfos()).map((c) => c.qId),
      chart: ((await (await doc.getObject('pay-chart')).getLayout()) as { qHyperCube: { qDataPages: { qMatrix: { qText: string; qNum: number }[][] }[] } }).qHyperCube.qDataPages[0]!.qMatrix.map((r) => [r[0]!.qText, r[1]!.qNum]).sort(),
      dimension: ((await (await doc.getDimension('d-name')).getLayout())['qDim'] as { qFieldDefs: string[] }).qFieldDefs,
      measure: await doc.evaluate('Sum({1} SALARY)'),
      variable: (await (await doc.getVariableByName('vRegion')).getProperties()).qDefinition,
      bookmark: [await doc.applyBookmark('bm-south'), await doc.evaluate('Sum(SALARY)')],
    }));
    const rows = (region?: string) => PAY.filter(([r]) => region === undefined || r === region).map(([, n, s]) => [n, s]).sort();
    const common = { sheets: ['pay-sheet'], title: 'Pay', children: ['pay-chart'], dimension: ['NAME'], variable: 'SOUTH' };
    expect(await withDoc('CORP\\walter', read)).toEqual({ ...common, chart: rows(), measure: String(total()), bookmark: [true, String(total('SOUTH'))] });
    // Mallory (reduced to NORTH): the moved chart, the Sum({1}) master measure and the SOUTH bookmark stay inside NORTH.
    expect(await withDoc('CORP\\mallory', read)).toEqual({ ...common, chart: rows('NORTH'), measure: String(total('NORTH')), bookmark: [true, String(total('NORTH'))] });
    // The variable expands on B too, inside the reader's view.
    expect(await withDoc('CORP\\walter', (doc) => doc.evaluate("Sum({1<REGION={'$(vRegion)'}>} SALARY)"))).toBe(String(total('SOUTH')));
    ok(await a.as(ADMIN, 'GET', `/qrs/app/${app}`), 'the app is still listed');
  }, 240_000);
});
