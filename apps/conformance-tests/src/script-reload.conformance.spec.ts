import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import WebSocket from 'ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { httpRequest, ticketLogin } from '@trustzone/site-harness';
import { startConformanceSite, type ConformanceSite } from './test-support/conformance-site';

// Script and reload over QIX (issue 18, item 4), driven by the real enigma.js as a data load editor
// does: GetScript, SetScript, DoReload / DoReloadEx, GetProgress, then the reloaded data through a
// hypercube. Every expected value is computed here from the rows the scripts are built from. The
// script lives in the (encrypted) app file: the database file and its WAL never hold its text.
const require = createRequire(import.meta.url);

interface Progress { qStarted: boolean; qFinished: boolean; qPersistentProgress: string; qErrorData: { qErrorString: string }[]; qPersistentProgressMessages: { qMessageParameters: string[] }[] }
interface Doc {
  getScript(): Promise<string>;
  setScript(script: string): Promise<void>;
  doReload(mode?: number, partial?: boolean, debug?: boolean): Promise<boolean>;
  doReloadEx(params?: object): Promise<{ qSuccess: boolean; qScriptLogFile: string }>;
  createSessionObject(props: object): Promise<{ getLayout(): Promise<{ qHyperCube: { qDataPages: { qMatrix: { qText: string; qNum: number | 'NaN' }[][] }[] } }> }>;
}
interface Global { openDoc(id: string): Promise<Doc>; getProgress(id: number): Promise<Progress> }
interface Session { open(): Promise<Global>; close(): Promise<void> }

const REGIONS = ['EAST', 'WEST', 'NORTH'];
const rowsFor = (n: number, seed: number) => Array.from({ length: n }, (_, i) => ({ id: i + 1, region: REGIONS[(i * seed) % 3]!, amount: (i + 1) * seed + (i % 7) }));
const sums = (rows: { region: string; amount: number }[]) => {
  const m = new Map<string, number>();
  for (const r of rows) m.set(r.region, (m.get(r.region) ?? 0) + r.amount);
  return [...m].sort(([a], [b]) => a.localeCompare(b)).map(([dim, sum]) => ({ dim, sum }));
};
const script = (marker: string, rows: { id: number; region: string; amount: number }[]) => [
  `// ${marker}`,
  'Section Access;',
  'SA: LOAD * INLINE [',
  'ACCESS, USERID, REGION',
  'ADMIN, INTERNAL\\SA_SCHEDULER, *',
  'ADMIN, CORP\\ADMIN, *',
  'ADMIN, CORP\\BOB, *',
  'USER, CORP\\ALICE, EAST',
  '];',
  'Section Application;',
  'Orders: LOAD * INLINE [',
  'ID, REGION, AMOUNT',
  ...rows.map((r) => `${r.id}, ${r.region}, ${r.amount}`),
  '];',
].join('\n');

let s: ConformanceSite;
let appId: string;

async function open(userId: string): Promise<{ global: Global; doc: Doc; close(): Promise<void> }> {
  const { cookie } = await ticketLogin(s.site, s.certs, { userDirectory: 'CORP', userId });
  const me = await httpRequest(s.site, s.site.ports.proxy, '/qps/user', { headers: { Cookie: cookie } });
  const token = (me.json as { csrfToken: string }).csrfToken;
  const enigma = require('enigma.js') as { create(c: object): Session };
  const session = enigma.create({
    schema: require('enigma.js/schemas/12.2027.0.json') as object,
    url: `wss://localhost:${s.site.ports.proxy}/app/${appId}?qlik-csrf-token=${encodeURIComponent(token)}`,
    createSocket: (url: string) => new WebSocket(url, { ca: s.site.clientFacingCa, headers: { Cookie: cookie, Origin: `https://localhost:${s.site.ports.proxy}` } }),
  });
  const global = await session.open();
  return { global, doc: await global.openDoc(appId), close: () => session.close() };
}

async function sumsSeenBy(doc: Doc): Promise<{ dim: string; sum: number }[]> {
  const obj = await doc.createSessionObject({ qInfo: { qType: 'cube' }, qHyperCubeDef: { qDimensions: [{ qDef: { qFieldDefs: ['REGION'] } }], qMeasures: [{ qDef: { qDef: 'Sum(AMOUNT)' } }], qInitialDataFetch: [{ qTop: 0, qLeft: 0, qHeight: 100, qWidth: 2 }] } });
  const m = (await obj.getLayout()).qHyperCube.qDataPages[0]!.qMatrix;
  return m.map((r) => ({ dim: r[0]!.qText, sum: Number(r[1]!.qNum) })).sort((a, b) => a.dim.localeCompare(b.dim));
}

/** The raw bytes of the repository's SQLite database and its WAL. */
function databaseBytes(): Buffer {
  const file = join(s.site.dataDir, 'db', 'repository.db');
  return Buffer.concat([readFileSync(file), ...['-wal', '-shm'].map((x) => (existsSync(file + x) ? readFileSync(file + x) : Buffer.alloc(0)))]);
}

const failure = async (p: Promise<unknown>): Promise<{ code?: number }> => p.then(() => ({ code: undefined }), (e: { code?: number }) => e);

describe('script and reload through enigma.js', () => {
  beforeAll(async () => {
    s = await startConformanceSite({ encrypted: true });
    appId = ((await s.admin('POST', '/qrs/app', { name: 'Script editor' })).json as { id: string }).id;
    // Alice may update the app (a rule says so) but section access reduces her to EAST.
    expect((await s.admin('POST', '/qrs/systemrule', { name: 'alice updates apps', resourceFilter: 'App_*', actions: 6, ruleContext: 0, rule: 'user.userId = "alice"' })).status).toBe(201);
    expect((await s.admin('POST', '/qrs/systemrule', { name: 'bob reads apps', resourceFilter: 'App_*', actions: 2, ruleContext: 0, rule: 'user.userId = "bob"' })).status).toBe(201);
  }, 240_000);
  afterAll(() => s?.stop());

  it('SetScript / GetScript / DoReload / GetProgress as the owner; the data and /qrs/app/{id}/script follow', async () => {
    const first = rowsFor(30, 3);
    const firstScript = script('TZMARK-first-7d1c', first);
    expect((await s.admin('PUT', `/qrs/app/${appId}/script`, { script: firstScript })).status).toBe(200);
    const { global, doc, close } = await open('admin');
    try {
      expect(await doc.getScript()).toBe(firstScript);
      expect(await doc.doReload()).toBe(true);
      const p1 = await global.getProgress(0);
      expect(p1).toMatchObject({ qStarted: true, qFinished: true, qErrorData: [] });
      expect(p1.qPersistentProgress).toContain(`Orders << ${first.length} Lines fetched`);
      expect(p1.qPersistentProgressMessages.length).toBe(p1.qPersistentProgress.split('\n').length);
      // Progress is handed out once: the next call has nothing new.
      expect((await global.getProgress(0)).qPersistentProgress).toBe('');
      expect(await sumsSeenBy(doc)).toEqual(sums(first));

      const second = rowsFor(45, 5);
      const secondScript = script('TZMARK-second-a93e', second);
      await doc.setScript(secondScript);
      expect(await doc.getScript()).toBe(secondScript);
      expect((await doc.doReloadEx({ qMode: 0 })).qSuccess).toBe(true);
      expect((await global.getProgress(0)).qPersistentProgress).toContain(`Orders << ${second.length} Lines fetched`);
      expect(await sumsSeenBy(doc)).toEqual(sums(second));
      expect((await s.admin('GET', `/qrs/app/${appId}/script`)).json).toEqual({ script: secondScript });

      // A failing script: DoReload answers false, GetProgress carries the error, the data stays.
      await doc.setScript('Broken: LOAD * FROM [lib://nowhere/x.csv] (txt);');
      expect(await doc.doReload()).toBe(false);
      expect((await global.getProgress(0)).qErrorData.length).toBe(1);
      expect(await sumsSeenBy(doc)).toEqual(sums(second));
      await doc.setScript(secondScript);
    } finally {
      await close();
    }
    // The script's text is in the encrypted app file only, never in the database or its WAL.
    const db = databaseBytes();
    for (const m of ['TZMARK-first-7d1c', 'TZMARK-second-a93e']) expect(db.includes(m), m).toBe(false);
    expect(readFileSync(join(s.site.dataDir, 'apps', `${appId}.tzapp`)).includes('TZMARK-second-a93e')).toBe(false);
    expect(db.includes(appId)).toBe(true); // control: the scan reads the real database
  });

  it('a user section access reduces is refused every script method, even with Update; so is a reader without Update', async () => {
    const alice = await open('alice');
    try {
      expect(await sumsSeenBy(alice.doc)).toEqual(sums(rowsFor(45, 5)).filter((r) => r.dim === 'EAST')); // control: she is in, reduced
      for (const call of [() => alice.doc.getScript(), () => alice.doc.setScript('T: LOAD 1 AS X AUTOGENERATE 1;'), () => alice.doc.doReload(), () => alice.doc.doReloadEx({})]) {
        expect((await failure(call())).code).toBe(5);
      }
    } finally {
      await alice.close();
    }
    expect((await httpRequest(s.site, s.site.ports.proxyApi, `/qrs/app/${appId}/script`, { cert: s.certs, headers: { 'X-Qlik-User': 'UserDirectory=CORP; UserId=alice' } })).status).toBe(403);
    const bob = await open('bob');
    try {
      expect(await sumsSeenBy(bob.doc)).toEqual(sums(rowsFor(45, 5))); // control: bob sees everything
      for (const call of [() => bob.doc.getScript(), () => bob.doc.setScript(''), () => bob.doc.doReload()]) expect((await failure(call())).code).toBe(5);
    } finally {
      await bob.close();
    }
    const admin = await open('admin');
    try {
      expect(await admin.doc.getScript()).toBe(script('TZMARK-second-a93e', rowsFor(45, 5))); // nothing changed it
    } finally {
      await admin.close();
    }
  });
});
