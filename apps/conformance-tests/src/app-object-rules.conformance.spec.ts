import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startConformanceSite, type ConformanceSite } from './test-support/conformance-site';
import { withDoc } from './test-support/qix-client';

// Objects under the security rules (issue 18, item 2), driven by the real enigma.js through the proxy
// of a whole site: every object method as the app's owner, a reader who makes a private sheet,
// another reader (a stranger to that sheet) and an outsider who may not read the app. The engine asks
// the repository (AuthorizeAppObjects over mTLS) and the repository's rules decide. Expected outcomes
// come from `may` below, a model of the shipped rules written from Qlik's semantics, not from the code:
// private objects are their owner's alone, published ones are read by the app's readers, base
// (approved) ones are read-only for everyone, approving belongs to whoever may update the app, and a
// child (a chart on a sheet) is read and changed with its sheet.

interface Sheet {
  id: string;
  owner: string;
  published: boolean;
  approved: boolean;
}
type Action = 'read' | 'update' | 'publish' | 'approve';
const OWNER = 'admin';

function may(user: string, s: Sheet, action: Action): boolean {
  if (user === 'sam') return false; // outsider: cannot read the app
  const owns = s.owner === user;
  switch (action) {
    case 'read':
      return owns || s.published;
    case 'update':
    case 'publish':
      return owns && !s.approved;
    case 'approve':
      return user === OWNER && s.published;
  }
}

interface Obj {
  id: string;
  getProperties(): Promise<Record<string, unknown>>;
  getLayout(): Promise<Record<string, unknown>>;
  setProperties(p: object): Promise<void>;
  applyPatches(p: { qOp: string; qPath: string; qValue?: string }[]): Promise<void>;
  createChild(p: object): Promise<Obj>;
  getChildInfos(): Promise<{ qId: string; qType: string }[]>;
  publish(): Promise<void>;
  unPublish(): Promise<void>;
  approve(): Promise<void>;
  unApprove(): Promise<void>;
}
interface ObjDoc {
  createObject(p: object): Promise<Obj>;
  getObject(id: string): Promise<Obj>;
  destroyObject(id: string): Promise<boolean>;
  getObjects(o: object): Promise<{ qInfo: { qId: string; qType: string } }[]>;
  getAllInfos(): Promise<{ qId: string; qType: string }[]>;
  createSessionObject(p: object): Promise<Obj>;
}

let s: ConformanceSite;
let appId: string;
const sheets = new Map<string, Sheet>();
const as = <T>(user: string, run: (doc: ObjDoc) => Promise<T>) => withDoc(s, user, appId, (doc) => run(doc as unknown as ObjDoc));
/** 'ok', or the QIX error code. */
const outcome = (p: Promise<unknown>): Promise<'ok' | number> => p.then(() => 'ok' as const, (e: { code?: number }) => e.code ?? -1);
const sheetProps = (id: string, title: string) => ({ qInfo: { qId: id, qType: 'sheet' }, qMetaDef: { title }, cells: [] });
const chartProps = (id: string) => ({ qInfo: { qId: id, qType: 'barchart' }, title: id });
const expectFor = (allowed: boolean, notVisible = false): 'ok' | number => (allowed ? 'ok' : notVisible ? 2 : 5);

/** Every method on every sheet (and its chart) for every user, against the model; writes are undone by the same user. */
async function walk(): Promise<void> {
  for (const user of ['admin', 'rita', 'mallory']) {
    await as(user, async (doc) => {
      const infos = (await doc.getAllInfos()).map((i) => i.qId);
      const listed = (await doc.getObjects({ qTypes: ['sheet'] })).map((o) => o.qInfo.qId);
      const list = await doc.createSessionObject({ qInfo: { qType: 'SheetList' }, qAppObjectListDef: { qType: 'sheet', qData: { title: '/qMetaDef/title' } } });
      const inList = ((await list.getLayout())['qAppObjectList'] as { qItems: { qInfo: { qId: string } }[] }).qItems.map((i) => i.qInfo.qId);
      for (const sheet of sheets.values()) {
        const what = `${user} on ${sheet.id} (${JSON.stringify(sheet)})`;
        const reads = may(user, sheet, 'read');
        expect(infos.includes(sheet.id), `${what}: GetAllInfos`).toBe(reads);
        expect(infos.includes(`${sheet.id}-chart`), `${what}: GetAllInfos child`).toBe(reads);
        expect(listed.includes(sheet.id), `${what}: GetObjects`).toBe(reads);
        expect(inList.includes(sheet.id), `${what}: qAppObjectListDef`).toBe(reads);
        expect(await outcome(doc.getObject(sheet.id)), `${what}: GetObject`).toBe(expectFor(reads, true));
        expect(await outcome(doc.getObject(`${sheet.id}-chart`)), `${what}: GetObject child`).toBe(expectFor(reads, true));
        if (!reads) continue;
        const obj = await doc.getObject(sheet.id);
        const props = await obj.getProperties();
        expect(props['qInfo'], `${what}: GetProperties`).toEqual({ qId: sheet.id, qType: 'sheet' });
        expect((await obj.getChildInfos()).map((c) => c.qId), `${what}: GetChildInfos`).toEqual([`${sheet.id}-chart`]);
        const edits = may(user, sheet, 'update');
        expect(await outcome(obj.setProperties({ ...props, qMetaDef: { title: `${user} was here` } })), `${what}: SetProperties`).toBe(expectFor(edits));
        expect(await outcome(obj.applyPatches([{ qOp: 'replace', qPath: '/qMetaDef/title', qValue: JSON.stringify(sheet.id) }])), `${what}: ApplyPatches`).toBe(expectFor(edits));
        expect(((await obj.getProperties())['qMetaDef'] as { title: string }).title, `${what}: title after`).toBe(sheet.id);
        const child = await outcome(obj.createChild(chartProps(`${sheet.id}-${user}-extra`)));
        expect(child, `${what}: CreateChild`).toBe(expectFor(edits));
        if (child === 'ok') expect(await doc.destroyObject(`${sheet.id}-${user}-extra`)).toBe(true);
        const chart = await doc.getObject(`${sheet.id}-chart`);
        expect(await outcome(chart.setProperties({ ...chartProps(`${sheet.id}-chart`), title: 'x' })), `${what}: SetProperties child`).toBe(expectFor(edits));
        if (edits) await chart.setProperties(chartProps(`${sheet.id}-chart`));
        // DestroyObject is tried only where it must fail (the sheet's own destruction is walked at the end).
        if (!edits) expect(await outcome(doc.destroyObject(sheet.id)), `${what}: DestroyObject`).toBe(5);
      }
    });
  }
  await as('sam', async () => undefined).then(
    () => expect.unreachable('the outsider opened the app'),
    // The proxy refuses the socket of an app the user may not read, as if it did not exist.
    (e: { message?: string; error?: { message?: string } }) => expect(String(e.error?.message ?? e.message)).toContain('404'),
  );
}

describe('app objects under the security rules, through enigma.js and the proxy', () => {
  beforeAll(async () => {
    s = await startConformanceSite();
    appId = ((await s.admin('POST', '/qrs/app', { name: 'Sheets under rules' })).json as { id: string }).id;
    expect((await s.admin('PUT', `/qrs/app/${appId}/script`, { script: 'T: LOAD * INLINE [\nK, V\na, 1\nb, 2\n];' })).status).toBe(200);
    expect((await s.admin('POST', `/qrs/app/${appId}/reload`)).status).toBe(200);
    const stream = (await s.admin('POST', '/qrs/stream', { name: 'Sheets' })).json as { id: string };
    expect((await s.admin('POST', '/qrs/systemrule', { name: 'Sheets readers', resourceFilter: `Stream_${stream.id}`, actions: 2, ruleContext: 0, rule: 'user.userId = "rita" or user.userId = "mallory" or user.userId = "admin"' })).status).toBe(201);
    // The owner builds the app while it is unpublished: its sheet and chart become base objects.
    await as(OWNER, async (doc) => {
      const sheet = await doc.createObject(sheetProps('base', 'base'));
      await sheet.createChild(chartProps('base-chart'));
    });
    expect((await s.admin('PUT', `/qrs/app/${appId}/publish?stream=${stream.id}`)).status).toBe(200);
    sheets.set('base', { id: 'base', owner: OWNER, published: true, approved: true });
    // A reader makes a private sheet; readers may not make master items.
    await as('rita', async (doc) => {
      const sheet = await doc.createObject(sheetProps('rita', 'rita'));
      await sheet.createChild(chartProps('rita-chart'));
      expect(await outcome(doc.createObject({ qInfo: { qId: 'rita-master', qType: 'masterobject' } }))).toBe(5);
    });
    sheets.set('rita', { id: 'rita', owner: 'rita', published: false, approved: false });
  }, 240_000);
  afterAll(() => s?.stop());

  it('a published app: base sheets read-only for all, a private sheet its owner\'s alone, outsiders nowhere', async () => {
    await walk();
  }, 120_000);

  it('the owner publishes the private sheet (readers see it); only whoever may update the app approves it; then it is read-only for its author too', async () => {
    await as('rita', async (doc) => {
      const sheet = await doc.getObject('rita');
      expect(await outcome(sheet.approve())).toBe(5);
      await sheet.publish();
    });
    sheets.get('rita')!.published = true;
    await walk();
    await as('mallory', async (doc) => {
      expect(await outcome((await doc.getObject('rita')).publish())).toBe(5);
      expect(await outcome((await doc.getObject('rita')).approve())).toBe(5);
    });
    // Approving through /qrs, as the QMC does, by the App.Object id the repository knows.
    const rows = (await s.admin('GET', `/qrs/app/object/full?filter=${encodeURIComponent("engineObjectId eq 'rita'")}`)).json as { id: string }[];
    expect(rows.length).toBe(1);
    expect((await s.admin('PUT', `/qrs/app/object/${rows[0]!.id}/approve`)).status).toBe(200);
    sheets.get('rita')!.approved = true;
    await walk();
    // The app owner unapproves over QIX; the author unpublishes and may edit again.
    await as(OWNER, async (doc) => (await doc.getObject('rita')).unApprove());
    sheets.get('rita')!.approved = false;
    await as('rita', async (doc) => (await doc.getObject('rita')).unPublish());
    sheets.get('rita')!.published = false;
    await walk();
  }, 240_000);

  it('DestroyObject: the author destroys the private sheet and its chart; the repository forgets it', async () => {
    // Another user's private sheet answers exactly as a missing one: nothing destroyed, nothing confirmed.
    expect(await as('mallory', async (doc) => [await doc.destroyObject('rita'), await doc.destroyObject('no-such-sheet')])).toEqual([false, false]);
    expect(await as('rita', (doc) => doc.destroyObject('rita'))).toBe(true);
    sheets.delete('rita');
    const rows = (await s.admin('GET', '/qrs/app/object/full')).json as { engineObjectId: string; app: { id: string } }[];
    expect(rows.filter((r) => r.app.id === appId).map((r) => r.engineObjectId).sort()).toEqual(['base']);
    await walk();
  }, 120_000);
});
