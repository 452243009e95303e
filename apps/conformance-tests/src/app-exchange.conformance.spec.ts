import { cpSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startConformanceSite, type ConformanceSite } from './test-support/conformance-site';
import { cube, type CubeRow, withDoc } from './test-support/qix-client';
import { qlikRepoApi, qrsInteract } from './test-support/qlik-clients';

// App export and import between sites, driven by qlik-repo-api (export, upload, switch) and
// qrs-interact (raw uploads), opened with enigma.js. Site A exports; site B trusts A (A's CA in B's
// exchange folder) and A encrypts for B (B's encryption certificate in A's); site C is a stranger.
// The expected answers are computed from the rows of the script below.

const ROWS = Array.from({ length: 30 }, (_, i) => ({ id: i + 1, region: ['EAST', 'WEST', 'NORTH'][i % 3] as string, amount: 7 * (i + 1) }));
const SCRIPT = `Section Access;
LOAD * INLINE [
ACCESS, USERID, REGION
ADMIN, CORP\\ADMIN, 
USER, CORP\\ALICE, EAST
];
Section Application;
Sales: LOAD * INLINE [
ID, REGION, AMOUNT
${ROWS.map((r) => `${r.id}, ${r.region}, ${r.amount}`).join('\n')}
];`;
const MEASURES = ['Sum(AMOUNT)', 'Count(ID)'];

/** The persisted-object methods these tests call (enigma.js builds them from the schema). */
interface ObjectDoc {
  createObject(p: object): Promise<{ createChild(p: object): Promise<unknown> }>;
  getObject(id: string): Promise<{ getLayout(): Promise<unknown> }>;
  getObjects(o: object): Promise<{ qInfo: { qId: string } }[]>;
  createDimension(p: object): Promise<unknown>;
  createMeasure(p: object): Promise<unknown>;
  createBookmark(p: object): Promise<unknown>;
  applyBookmark(id: string): Promise<boolean>;
  evaluate(e: string): Promise<string>;
  getField(n: string): Promise<{ selectValues(v: { qText: string }[]): Promise<boolean> }>;
}

function expected(regions: string[] | 'all'): CubeRow[] {
  const by = new Map<string, number[]>();
  for (const r of ROWS) if (regions === 'all' || regions.includes(r.region)) by.set(r.region, [...(by.get(r.region) ?? []), r.amount]);
  return [...by].map(([dim, a]) => ({ dim, values: [a.reduce((x, y) => x + y, 0), a.length] })).sort((x, y) => x.dim.localeCompare(y.dim));
}

let a: ConformanceSite;
let b: ConformanceSite;
let c: ConformanceSite;
let appId: string;
let exported: Buffer;

async function readAll(stream: NodeJS.ReadableStream): Promise<Buffer> {
  const parts: Buffer[] = [];
  for await (const chunk of stream) parts.push(Buffer.from(chunk as Buffer));
  return Buffer.concat(parts);
}

/** An app file's at-rest mode byte (format README: offset 6, 1 = encrypted). */
const atRestMode = (s: ConformanceSite, id: string) => readFileSync(join(s.site.dataDir, 'apps', `${id}.tzapp`)).readUInt8(6);

async function publishToEveryone(s: ConformanceSite, id: string): Promise<void> {
  const streams = (await s.admin('GET', '/qrs/stream/full')).json as { id: string; name: string }[];
  expect((await s.admin('PUT', `/qrs/app/${id}/publish?stream=${streams.find((x) => x.name === 'Everyone')!.id}`)).status).toBe(200);
}

async function exportFrom(s: ConformanceSite, id: string): Promise<Buffer> {
  const api = await qlikRepoApi(s);
  const app = await api.apps.get({ id });
  return readAll((await app.export()).file);
}

beforeAll(async () => {
  [a, b, c] = [await startConformanceSite({ encrypted: true }), await startConformanceSite({ encrypted: true }), await startConformanceSite({ encrypted: true })];
  // The partnership, as an operator sets it up: public certificates only.
  mkdirSync(join(b.site.dataDir, 'exchange', 'site-a'), { recursive: true });
  cpSync(join(a.site.dataDir, 'certs', 'root.pem'), join(b.site.dataDir, 'exchange', 'site-a', 'ca.pem'));
  mkdirSync(join(a.site.dataDir, 'exchange', 'site-b'), { recursive: true });
  writeFileSync(join(a.site.dataDir, 'exchange', 'site-b', 'encryption.pem'), b.encryptionCert as string);

  appId = ((await a.admin('POST', '/qrs/app', { name: 'Regional sales' })).json as { id: string }).id;
  expect((await a.admin('PUT', `/qrs/app/${appId}/script`, { script: SCRIPT })).status).toBe(200);
  // The engine picks the new key up within seconds: reload until the file is written encrypted.
  for (let i = 0; ; i++) {
    const reload = await a.admin('POST', `/qrs/app/${appId}/reload`);
    expect(reload.status, reload.text).toBe(200);
    if (atRestMode(a, appId) === 1) break;
    if (i > 20) throw new Error('the engine never encrypted the app');
    await sleep(500);
  }
  // Sheets, master items and a bookmark, made while the app is unpublished (its base objects): they
  // live in the app document (encrypted with it) and travel with the export.
  await withDoc(a, 'admin', appId, async (d) => {
    const doc = d as unknown as ObjectDoc;
    const sheet = await doc.createObject({ qInfo: { qId: 'sales-sheet', qType: 'sheet' }, qMetaDef: { title: 'Sales' }, qChildListDef: { qData: {} } });
    await doc.createDimension({ qInfo: { qId: 'dim-region' }, qDim: { qFieldDefs: ['REGION'] }, qMetaDef: { title: 'Region' } });
    await doc.createMeasure({ qInfo: { qId: 'm-amount' }, qMeasure: { qDef: 'Sum(AMOUNT)' }, qMetaDef: { title: 'Amount' } });
    await sheet.createChild({ qInfo: { qId: 'sales-chart', qType: 'table' }, qHyperCubeDef: { qDimensions: [{ qLibraryId: 'dim-region' }], qMeasures: [{ qLibraryId: 'm-amount' }], qInitialDataFetch: [{ qTop: 0, qLeft: 0, qHeight: 10, qWidth: 2 }] } });
    await (await doc.getField('REGION')).selectValues([{ qText: 'WEST' }]);
    await doc.createBookmark({ qInfo: { qId: 'bm-west' }, qMetaDef: { title: 'West' } });
  });
  await publishToEveryone(a, appId);
  // A private sheet (made in the published app) is its owner's on site A: it stays there.
  await withDoc(a, 'alice', appId, async (d) => (d as unknown as ObjectDoc).createObject({ qInfo: { qId: 'alice-private', qType: 'sheet' } }));
  // A persisted variable (app document, encrypted with the app) travels with the export.
  await withDoc(a, 'admin', appId, (doc) => doc.createVariableEx({ qName: 'vAmount', qDefinition: '=Sum({1} AMOUNT)', qComment: 'exported' }));
  exported = await exportFrom(a, appId);
}, 600_000);

afterAll(async () => {
  for (const s of [a, b, c]) await s?.stop();
});

describe('app export and import between sites', () => {
  it('the export is a trustzone package: encrypted in transit (neither the script nor the data readable), signed', () => {
    expect(exported.subarray(0, 4).toString('ascii')).toBe('TZAX');
    expect(exported.includes(Buffer.from('CORP\\ALICE'))).toBe(false);
    expect(exported.includes(Buffer.from('NORTH'))).toBe(false);
    const header = JSON.parse(exported.toString('utf8', 10, 10 + exported.readUInt32BE(6))) as { encryption: { recipients: unknown[] } | null };
    expect(header.encryption?.recipients).toHaveLength(2);
  });

  it('uploaded on the partner site it opens through QIX with the same answers, section access included', async () => {
    const api = await qlikRepoApi(b);
    const uploaded = await api.apps.upload({ name: 'Regional sales (from A)', file: exported });
    const id = uploaded.details.id;
    expect(uploaded.details.name).toBe('Regional sales (from A)');
    // Stored under B's own key, re-encrypted.
    expect(atRestMode(b, id)).toBe(1);
    await publishToEveryone(b, id);
    for (const [user, regions] of [['admin', 'all'], ['alice', ['EAST']]] as const) {
      const onA = await cube(a, user, appId, 'REGION', MEASURES);
      const onB = await cube(b, user, id, 'REGION', MEASURES);
      expect(onA).toEqual(expected(regions === 'all' ? 'all' : [...regions]));
      expect(onB).toEqual(onA);
    }
    // The variable came along, and on B too it evaluates on each user's reduced view.
    for (const [user, regions] of [['admin', 'all'], ['alice', ['EAST']]] as const) {
      const want = expected(regions === 'all' ? 'all' : [...regions]).reduce((x, r) => x + r.values[0]!, 0);
      expect(await withDoc(b, user, id, async (doc) => [(await (await doc.getVariableByName('vAmount')).getLayout()).qText, await doc.evaluate('$(vAmount)')])).toEqual([String(want), String(want)]);
    }
    // The sheet with its chart on master items and the bookmark came along; each computes on the user's view.
    for (const [user, regions] of [['admin', 'all'], ['alice', ['EAST']]] as const) {
      const want = expected(regions === 'all' ? 'all' : [...regions]);
      const seen = await withDoc(b, user, id, async (d) => {
        const doc = d as unknown as ObjectDoc;
        const sheets = (await doc.getObjects({ qTypes: ['sheet'] })).map((o) => o.qInfo.qId);
        const chart = (await doc.getObject('sales-chart')).getLayout() as Promise<{ qHyperCube: { qDataPages: { qMatrix: { qText: string; qNum: number }[][] }[] } }>;
        const rows = (await chart).qHyperCube.qDataPages[0]!.qMatrix.map((r) => ({ dim: r[0]!.qText, values: [r[1]!.qNum] })).sort((x, y) => x.dim.localeCompare(y.dim));
        const applied = [await doc.applyBookmark('bm-west'), await doc.evaluate('Sum(AMOUNT)')];
        return { sheets, rows, applied };
      });
      const west = user === 'admin' ? ROWS.filter((r) => r.region === 'WEST').reduce((x, r) => x + r.amount, 0) : want.reduce((x, r) => x + r.values[0]!, 0);
      expect(seen).toEqual({ sheets: ['sales-sheet'], rows: want.map((r) => ({ dim: r.dim, values: [r.values[0]!] })), applied: [true, String(west)] });
    }
    // The load script came along (the exporter could read it).
    expect((await b.admin('GET', `/qrs/app/${id}/script`)).json).toEqual({ script: SCRIPT });
  });

  it('PUT /qrs/app/{id}/replace (qlik-repo-api switch): the uploaded app replaces another app\'s content', async () => {
    const target = ((await b.admin('POST', '/qrs/app', { name: 'Target' })).json as { id: string }).id;
    const api = await qlikRepoApi(b);
    const source = await api.apps.upload({ name: 'Replacement', file: exported });
    const app = await api.apps.get({ id: source.details.id });
    expect(await app.switch({ targetAppId: target })).toBe(200);
    expect(await cube(b, 'admin', target, 'REGION', MEASURES)).toEqual(expected('all'));
  });

  it('a file changed after export is refused, naming why; nothing is created', async () => {
    const qrs = qrsInteract(b);
    const before = ((await b.admin('GET', '/qrs/app/count')).json as { value: number }).value;
    const tampered = Buffer.from(exported);
    const at = Math.floor(tampered.length / 2);
    tampered[at] = (tampered[at] as number) ^ 0x01;
    await expect(qrs.Post('app/upload?name=tampered', tampered, 'application/vnd.qlik.sense.app')).rejects.toThrow(/400::.*changed after it was exported/);
    expect(((await b.admin('GET', '/qrs/app/count')).json as { value: number }).value).toBe(before);
  });

  it('an export of a site the uploader\'s site does not trust is refused', async () => {
    const stranger = ((await c.admin('POST', '/qrs/app', { name: 'Foreign' })).json as { id: string }).id;
    expect((await c.admin('PUT', `/qrs/app/${stranger}/script`, { script: SCRIPT })).status).toBe(200);
    expect((await c.admin('POST', `/qrs/app/${stranger}/reload`)).status).toBe(200);
    const foreign = await exportFrom(c, stranger);
    const qrs = qrsInteract(b);
    await expect(qrs.Post('app/upload?name=foreign', foreign, 'application/vnd.qlik.sense.app')).rejects.toThrow(/400::.*does not trust/);
  });

  it('an export encrypted for other sites only is refused by a site that trusts the signer but holds no key for it', async () => {
    mkdirSync(join(c.site.dataDir, 'exchange', 'site-a'), { recursive: true });
    cpSync(join(a.site.dataDir, 'certs', 'root.pem'), join(c.site.dataDir, 'exchange', 'site-a', 'ca.pem'));
    await expect(qrsInteract(c).Post('app/upload?name=not-for-c', exported, 'application/vnd.qlik.sense.app')).rejects.toThrow(/400::.*encrypted for other sites only/);
  });

  it('a Qlik .qvf upload is refused with a clear error', async () => {
    const qvf = Buffer.concat([Buffer.from([0x00, 0x00, 0x00, 0x02]), Buffer.from('not a trustzone export'.repeat(20))]);
    await expect(qrsInteract(b).Post('app/upload?name=Sales.qvf', qvf, 'application/vnd.qlik.sense.app')).rejects.toThrow(/400::.*\.qvf files are not supported/);
    await expect(qrsInteract(b).Post('app/upload?name=Sales', qvf, 'application/vnd.qlik.sense.app')).rejects.toThrow(/400::.*not a trustzone app export/);
  });

  it('an export link is single use and for the user who asked only', async () => {
    const qrs = qrsInteract(a);
    const token = '8f14e45f-ceea-467f-a7a1-1f0a2b3c4d5e';
    const link = (await qrs.Post(`app/${appId}/export/${token}`, {}, 'json')).body as { exportToken: string; appId: string; downloadPath: string };
    expect(link).toMatchObject({ exportToken: token, appId, downloadPath: expect.stringMatching(new RegExp(`^/qrs/download/app/${appId}/[0-9a-f]{32}/`)) });
    const other = qrsInteract(a, 'UserDirectory=CORP;UserId=mallory');
    await expect(other.Get(link.downloadPath.replace('/qrs/', ''))).rejects.toThrow(/404/);
    // The owner's own first use works (the foreign attempt did not use it up); the second does not.
    const api = await qlikRepoApi(a);
    expect((await readAll((await (await api.apps.get({ id: appId })).export({ token })).file)).subarray(0, 4).toString()).toBe('TZAX');
  });
});
