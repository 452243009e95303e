import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN, eventually, ok, startAttackSite, type AttackSite } from '../test-support/attack-site';
import { auditRecords } from '../test-support/audit-trail';
import { assertedUser, closeZoneStores, craftedTls, siteTls, zoneClients, type ZoneClients } from '../test-support/zone-client';
import { createApp, everyoneStream, inline, publish } from '../test-support/site-content';

// App objects under the security rules (issue 18, item 2). The repository holds a row per object
// of an app file (owner, published, approved) and decides; the engine only asks, with its own
// certificate, for the user the proxy relayed. Attacks: a user reaching another user's private
// sheet by its id, a reader changing a base sheet, a reader promoting their own sheet into the app's
// base sheets, and a publish forged on the engine's channel or from a certificate that is not the engine's.
let a: AttackSite;
let engine: ZoneClients;
let proxy: ZoneClients;
let portal: ZoneClients;
let app: string;
const DEADLINE = { deadlineMs: 10_000 };
const RITA = 'CORP\\rita';
const MALLORY = 'CORP\\mallory';

type Row = { id: string; name: string; modifiedDate: string; published: boolean; approved: boolean; engineObjectId: string };
const hub = (user: string) => ({ ...DEADLINE, user: assertedUser(user, 'hub') });
const code = (p: Promise<unknown>) => p.then(() => 'allowed', (e: { code?: string }) => e.code ?? String(e));
const readable = async (user: string, ids: string[]) => (await engine.repository.unary('AuthorizeAppObjects', { appId: app, action: 'read', objects: ids.map((engineObjectId) => ({ engineObjectId, objectType: '' })) }, hub(user))).allowed;
const rowOf = async (engineObjectId: string): Promise<Row> => {
  const rows = ok<Row[]>(await a.as(ADMIN, 'GET', `/qrs/app/object/full?filter=${encodeURIComponent(`engineObjectId eq '${engineObjectId}'`)}`), 'admin lists objects');
  if (rows.length !== 1) throw new Error(`${engineObjectId}: ${rows.length} rows`);
  return rows[0] as Row;
};

beforeAll(async () => {
  a = await startAttackSite();
  engine = zoneClients(a.site, siteTls(a.site, 'engine'));
  proxy = zoneClients(a.site, siteTls(a.site, 'proxy'));
  portal = zoneClients(a.site, craftedTls(siteTls(a.site, 'proxy'), a.portal.cert, a.portal.key));
  app = await createApp(a, 'Published with sheets', inline('T', ['K', 'V'], [['a', 1]]));
  // The owner's sheet, made while the app is unpublished, becomes a base sheet when it is published.
  await engine.repository.unary('RegisterAppObject', { appId: app, engineObjectId: 'base-sheet', objectType: 'sheet', name: 'Base' }, hub(ADMIN));
  await publish(a, app, await everyoneStream(a));
  // Two readers of the app (the Everyone stream); rita makes a private sheet.
  await engine.repository.unary('RegisterAppObject', { appId: app, engineObjectId: 'rita-private', objectType: 'sheet', name: 'Rita only' }, hub(RITA));
  await engine.repository.unary('RegisterAppObject', { appId: app, engineObjectId: 'rita-community', objectType: 'sheet', name: 'Rita shares' }, hub(RITA));
  await engine.repository.unary('ChangeAppObjectState', { id: '', appId: app, engineObjectId: 'rita-community', change: 'publish' }, hub(RITA));
}, 120_000);

afterAll(async () => {
  for (const z of [engine, proxy, portal]) z?.close();
  closeZoneStores();
  await a?.stop();
});

describe('Information disclosure › app objects', () => {
  it('another user\'s private sheet stays invisible by its id: not through /qrs, not through the engine\'s question, not through a state change', async () => {
    const row = await rowOf('rita-private');
    expect(await readable(RITA, ['rita-private'])).toEqual(['rita-private']); // control
    expect(await readable(MALLORY, ['rita-private', 'base-sheet', 'rita-community'])).toEqual(['base-sheet', 'rita-community']);
    expect((await a.as(MALLORY, 'GET', `/qrs/app/object/${row.id}`)).status).toBe(404);
    const listed = ok<Row[]>(await a.as(MALLORY, 'GET', '/qrs/app/object/full'), 'mallory lists');
    expect(listed.map((r) => r.engineObjectId).sort()).toEqual(['base-sheet', 'rita-community']);
    // The answers for a private id and an id that does not exist are the same.
    for (const change of ['publish', 'unpublish', 'approve']) expect((await a.as(MALLORY, 'PUT', `/qrs/app/object/${row.id}/${change}`)).status).toBe(404);
    expect((await a.as(MALLORY, 'PUT', '/qrs/app/object/00000000-0000-4000-8000-000000000000/publish')).status).toBe(404);
    expect(await code(engine.repository.unary('ChangeAppObjectState', { id: '', appId: app, engineObjectId: 'rita-private', change: 'publish' }, hub(MALLORY)))).toBe('NOT_FOUND');
    // Even the app's owner does not see it.
    expect(await readable(ADMIN, ['rita-private'])).toEqual([]);
  });
});

describe('Tampering / Elevation of privilege › app objects', () => {
  it('a reader cannot change a base sheet: no rename, delete, unpublish or unapprove through /qrs or the engine, and the row is unchanged', async () => {
    const before = await rowOf('base-sheet');
    expect(before).toMatchObject({ published: true, approved: true });
    expect((await a.as(RITA, 'PUT', `/qrs/app/object/${before.id}`, { name: 'defaced', modifiedDate: before.modifiedDate })).status).toBe(403);
    expect((await a.as(RITA, 'DELETE', `/qrs/app/object/${before.id}`)).status).toBe(403);
    for (const change of ['unpublish', 'unapprove']) expect((await a.as(RITA, 'PUT', `/qrs/app/object/${before.id}/${change}`)).status).toBe(403);
    expect(await code(engine.repository.unary('RenameAppObject', { appId: app, engineObjectId: 'base-sheet', objectType: '', name: 'defaced' }, hub(RITA)))).toBe('PERMISSION_DENIED');
    expect(await code(engine.repository.unary('RemoveAppObject', { appId: app, engineObjectId: 'base-sheet', objectType: '', name: '' }, hub(RITA)))).toBe('PERMISSION_DENIED');
    for (const action of ['update', 'delete', 'publish', 'approve']) {
      expect((await engine.repository.unary('AuthorizeAppObjects', { appId: app, action, objects: [{ engineObjectId: 'base-sheet', objectType: '' }] }, hub(RITA))).allowed, action).toEqual([]);
    }
    // Base sheets are read-only for their owner too, until someone who may update the app unapproves them.
    expect(await code(engine.repository.unary('RenameAppObject', { appId: app, engineObjectId: 'base-sheet', objectType: '', name: 'owner edit' }, hub(ADMIN)))).toBe('PERMISSION_DENIED');
    expect(await rowOf('base-sheet')).toEqual(before);
    const denied = (await auditRecords(a.site, 'access.denied')).filter((r) => r.actor.user === RITA && r.target?.id === before.id);
    expect(denied.length).toBeGreaterThanOrEqual(5);
  });

  it('a reader cannot approve their own sheet into the app\'s base sheets (nor can a plain reader approve anyone\'s)', async () => {
    const mine = await rowOf('rita-community');
    expect(mine).toMatchObject({ published: true, approved: false });
    expect((await a.as(RITA, 'PUT', `/qrs/app/object/${mine.id}/approve`)).status).toBe(403);
    expect((await a.as(RITA, 'PUT', `/qrs/app/object/${mine.id}`, { approved: true, modifiedDate: mine.modifiedDate })).status).toBe(403);
    expect(await code(engine.repository.unary('ChangeAppObjectState', { id: '', appId: app, engineObjectId: 'rita-community', change: 'approve' }, hub(RITA)))).toBe('PERMISSION_DENIED');
    expect(await code(engine.repository.unary('ChangeAppObjectState', { id: '', appId: app, engineObjectId: 'rita-community', change: 'approve' }, hub(MALLORY)))).toBe('PERMISSION_DENIED');
    expect((await rowOf('rita-community')).approved).toBe(false);
    // The app's owner may: the right exists, it just is not the sheet author's.
    expect(ok<Row>(await a.as(ADMIN, 'PUT', `/qrs/app/object/${mine.id}/approve`), 'owner approves').approved).toBe(true);
    ok(await a.as(ADMIN, 'PUT', `/qrs/app/object/${mine.id}/unapprove`), 'owner unapproves');
  });
});

describe('Spoofing / Elevation of privilege › app object rows', () => {
  it('a forged publish on the engine\'s channel is still the user\'s: another user\'s sheet is not published, an object id is never taken over', async () => {
    expect(await code(engine.repository.unary('ChangeAppObjectState', { id: '', appId: app, engineObjectId: 'rita-private', change: 'publish' }, hub(MALLORY)))).toBe('NOT_FOUND');
    // Registering an existing id for another owner (to own, then publish, a base sheet) conflicts.
    expect(await code(engine.repository.unary('RegisterAppObject', { appId: app, engineObjectId: 'base-sheet', objectType: 'sheet', name: 'mine now' }, hub(MALLORY)))).toBe('CONFLICT');
    expect(await code(engine.repository.unary('RegisterAppObject', { appId: app, engineObjectId: 'rita-private', objectType: 'sheet', name: 'mine now' }, hub(MALLORY)))).toBe('CONFLICT');
    // /qrs cannot pre-claim an engine object id either.
    expect((await a.as(MALLORY, 'POST', '/qrs/app/object', { objectType: 'sheet', app: { id: app }, engineObjectId: 'next-sheet' })).status).toBe(400);
    expect(await rowOf('rita-private')).toMatchObject({ published: false, approved: false });
    expect(await readable(MALLORY, ['rita-private'])).toEqual([]);
  });

  it('only the engine\'s certificate asks about objects and keeps their rows: the proxy\'s and an integration certificate are refused and audited', async () => {
    const before = (await auditRecords(a.site)).length;
    for (const [who, z] of [['proxy', proxy], ['integration', portal]] as const) {
      expect(await code(z.repository.unary('AuthorizeAppObjects', { appId: app, action: 'read', objects: [{ engineObjectId: 'rita-private', objectType: '' }] }, hub(RITA))), who).toBe('PERMISSION_DENIED');
      expect(await code(z.repository.unary('RegisterAppObject', { appId: app, engineObjectId: `forged-${who}`, objectType: 'sheet', name: '' }, hub(RITA))), who).toBe('PERMISSION_DENIED');
      expect(await code(z.repository.unary('RenameAppObject', { appId: app, engineObjectId: 'rita-private', objectType: '', name: 'x' }, hub(RITA))), who).toBe('PERMISSION_DENIED');
      expect(await code(z.repository.unary('RemoveAppObject', { appId: app, engineObjectId: 'rita-private', objectType: '', name: '' }, hub(RITA))), who).toBe('PERMISSION_DENIED');
    }
    expect(await code(portal.repository.unary('ChangeAppObjectState', { id: '', appId: app, engineObjectId: 'rita-private', change: 'publish' }, hub(RITA)))).toBe('PERMISSION_DENIED');
    // Each refusal is recorded (the guard audits refused calls; the trail is written asynchronously).
    const refused = async () => (await auditRecords(a.site)).slice(before).filter((r) => r.outcome === 'denied' || r.outcome === 'failure').length;
    await eventually(async () => (await refused()) >= 9, 'nine refusals in the audit trail');
    expect(await readable(RITA, ['rita-private', 'forged-proxy', 'forged-integration'])).toEqual(['rita-private']);
    expect((await rowOf('rita-private')).name).toBe('Rita only');
  });
});
