import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ErrorCode, type AssertedUser } from '@trustzone/contracts';
import { tailAuditLog } from '@trustzone/logging';
import { testProviders } from '../db/test-database';
import { asUser, DEADLINE, startRepository, type RepoClient, type RepositoryHarness } from '../test-support/repository-harness';
import { failure, repositoryCalls, type Entity } from '../test-support/repository-calls';

// The repository side of issue 18 item 2: the engine asks, over real gRPC with its own certificate,
// what a user may do with the objects of an app; the rows it registers are the repository's truth.
// Expected answers come from an independent model of the shipped rules' intent (`expected` below):
// private objects belong to their owner alone, published ones are read by the app's readers, base
// (approved) ones are read-only for everyone, approving belongs to whoever may update the app.

interface Obj {
  id: string;
  owner: string;
  published: boolean;
  approved: boolean;
}

const ACTIONS = ['read', 'update', 'delete', 'publish', 'approve'] as const;
type Action = (typeof ACTIONS)[number];

/** Olivia owns the published app; rita reads its stream; sam does not. */
function expected(user: string, o: Obj, action: Action): boolean {
  const readsApp = user === 'olivia' || user === 'rita';
  if (!readsApp) return false;
  const owns = o.owner === user;
  switch (action) {
    case 'read':
      return owns ? !o.approved || o.published : o.published;
    case 'update':
    case 'delete':
    case 'publish':
      return owns && !o.approved;
    case 'approve':
      return user === 'olivia' && o.published;
  }
}

describe.each(testProviders())('app objects under the security rules (RPCs) on %s', (provider) => {
  let h: RepositoryHarness;
  let q: ReturnType<typeof repositoryCalls>;
  const admin = asUser('CORP', 'admin');
  const hub = (id: string): AssertedUser => asUser('CORP', id, { context: 'hub' });
  const users = ['olivia', 'rita', 'sam'] as const;
  let app: Entity;
  let draft: Entity;
  const objects = new Map<string, Obj>();

  const check = (client: RepoClient, user: string, action: string, ids: string[], appId = app.id, objectType = 'sheet') =>
    client.unary('AuthorizeAppObjects', { appId, action, objects: ids.map((engineObjectId) => ({ engineObjectId, objectType })) }, { ...DEADLINE, user: hub(user) });
  const register = (user: string, engineObjectId: string, objectType = 'sheet', appId = app.id) =>
    h.engine.unary('RegisterAppObject', { appId, engineObjectId, objectType, name: `${engineObjectId} title` }, { ...DEADLINE, user: hub(user) });
  const change = (client: RepoClient, user: string, engineObjectId: string, what: string, appId = app.id) =>
    client.unary('ChangeAppObjectState', { id: '', appId, engineObjectId, change: what }, { ...DEADLINE, user: hub(user) });
  const auditTail = (filter: Parameters<typeof tailAuditLog>[0]['filter']) => tailAuditLog({ dir: h.site.paths.audit, filter });

  /** Every user × action × object against the model, in one round trip per (user, action). */
  async function matchesModel(): Promise<void> {
    const ids = [...objects.keys()];
    for (const user of users) {
      for (const action of ACTIONS) {
        const want = ids.filter((id) => expected(user, objects.get(id)!, action));
        if (user === 'sam') {
          expect((await failure(check(h.engine, user, action, ids))).code, `${user} ${action}`).toBe(ErrorCode.NotFound);
          continue;
        }
        const got = (await check(h.engine, user, action, ids)).allowed;
        expect([...got].sort(), `${user} ${action}`).toEqual(want.sort());
      }
    }
  }

  beforeAll(async () => {
    h = await startRepository(provider);
    q = repositoryCalls(h.proxy);
    for (const id of ['olivia', 'rita']) await q.create('user', { userDirectory: 'CORP', userId: id, groups: ['Sales'] }, admin);
    await q.create('user', { userDirectory: 'CORP', userId: 'sam', groups: ['Ops'] }, admin);
    const sales = await q.create('stream', { name: 'Sales' }, admin);
    await q.create('systemrule', { name: 'Sales stream', resourceFilter: `Stream_${sales.id}`, actions: 34, ruleContext: 0, rule: 'user.group = "Sales"' }, admin);
    app = await q.create('app', { name: 'Sales app' }, hub('olivia'));
    draft = await q.create('app', { name: 'Olivia draft' }, hub('olivia'));
    // While the app is unpublished, its owner makes its sheets; nobody else may.
    expect(JSON.parse((await register('olivia', 'base-1')).json)).toMatchObject({ engineObjectId: 'base-1', objectType: 'sheet', published: false, approved: false, owner: { userId: 'olivia' } });
    await register('olivia', 'base-2', 'masterobject');
    expect((await failure(register('rita', 'rita-early'))).code).toBe(ErrorCode.NotFound);
    await q.publish(app.id, sales.id, asUser('CORP', 'olivia'));
    for (const id of ['base-1', 'base-2']) objects.set(id, { id, owner: 'olivia', published: true, approved: true });
    await register('rita', 'rita-1');
    await register('olivia', 'olivia-1');
    objects.set('rita-1', { id: 'rita-1', owner: 'rita', published: false, approved: false });
    objects.set('olivia-1', { id: 'olivia-1', owner: 'olivia', published: false, approved: false });
  }, 60_000);
  afterAll(() => h?.stop());

  it('publishing the app made its objects base objects: readable by the stream, read-only for everyone; private sheets stay private', async () => {
    await matchesModel();
    const rows = await q.list('app/object', asUser('CORP', 'rita'), { full: true });
    expect(rows.map((r) => r['engineObjectId']).sort()).toEqual(['base-1', 'base-2', 'rita-1']);
  });

  it('create: readers make sheets, bookmarks and stories in a published app, not other types; an id in use is never created again', async () => {
    expect((await check(h.engine, 'rita', 'create', ['new-sheet', 'rita-1', 'base-1'])).allowed).toEqual(['new-sheet']);
    expect((await check(h.engine, 'rita', 'create', ['new-bm'], app.id, 'bookmark')).allowed).toEqual(['new-bm']);
    expect((await check(h.engine, 'rita', 'create', ['new-mo'], app.id, 'masterobject')).allowed).toEqual([]);
    expect((await failure(check(h.engine, 'sam', 'create', ['new-sheet']))).code).toBe(ErrorCode.NotFound);
    // In the unpublished draft only its owner creates anything.
    expect((await check(h.engine, 'olivia', 'create', ['d1'], draft.id, 'masterobject')).allowed).toEqual(['d1']);
    expect((await failure(check(h.engine, 'rita', 'create', ['d1'], draft.id))).code).toBe(ErrorCode.NotFound);
    // A registration is checked the same way, and an id is registered once.
    expect((await failure(register('rita', 'rita-mo', 'masterobject'))).code).toBe(ErrorCode.PermissionDenied);
    expect((await failure(register('rita', 'rita-1'))).code).toBe(ErrorCode.Conflict);
  });

  it('a private sheet: its owner publishes it, then every reader sees it; the app owner approves it into a base sheet and back', async () => {
    // Rita may not approve her own sheet, published or not; the app owner may not publish it for her.
    expect((await failure(change(h.engine, 'rita', 'rita-1', 'approve'))).code).toBe(ErrorCode.PermissionDenied);
    expect((await failure(change(h.engine, 'olivia', 'rita-1', 'publish'))).code).toBe(ErrorCode.NotFound);
    expect(JSON.parse((await change(h.engine, 'rita', 'rita-1', 'publish')).json)).toMatchObject({ published: true, approved: false });
    objects.get('rita-1')!.published = true;
    await matchesModel();
    expect((await failure(change(h.engine, 'rita', 'rita-1', 'approve'))).code).toBe(ErrorCode.PermissionDenied);
    // Through /qrs (the proxy's call) by the App.Object id, as PUT /qrs/app/object/{id}/approve.
    const row = (await q.list('app/object', asUser('CORP', 'olivia'), { filter: "engineObjectId eq 'rita-1'" }))[0]!;
    const approved = JSON.parse((await h.proxy.unary('ChangeAppObjectState', { id: row.id, appId: '', engineObjectId: '', change: 'approve' }, { ...DEADLINE, user: asUser('CORP', 'olivia') })).json) as Entity;
    expect(approved).toMatchObject({ id: row.id, published: true, approved: true });
    objects.get('rita-1')!.approved = true;
    await matchesModel();
    // A base sheet is unapproved before it is unpublished; the right is checked before the state.
    expect((await failure(change(h.engine, 'rita', 'rita-1', 'unpublish'))).code).toBe(ErrorCode.PermissionDenied);
    expect((await failure(change(h.engine, 'olivia', 'rita-1', 'unpublish'))).code).toBe(ErrorCode.PermissionDenied);
    expect(JSON.parse((await change(h.engine, 'olivia', 'rita-1', 'unapprove')).json)).toMatchObject({ approved: false });
    objects.get('rita-1')!.approved = false;
    expect(JSON.parse((await change(h.engine, 'rita', 'rita-1', 'unpublish')).json)).toMatchObject({ published: false });
    objects.get('rita-1')!.published = false;
    await matchesModel();
    // Each change is in the audit trail with the user who made it.
    const trail = (await auditTail({ targetId: row.id })).entries.filter((r) => 'action' in r && String(r.action).startsWith('app.object.'));
    expect(trail.map((r) => ('action' in r ? [r.action, r.actor.user] : []))).toEqual([
      ['app.object.publish', 'CORP\\rita'],
      ['app.object.approve', 'CORP\\olivia'],
      ['app.object.unapprove', 'CORP\\olivia'],
      ['app.object.unpublish', 'CORP\\rita'],
    ]);
  });

  it('state changes follow the hub: nothing is published in an unpublished app, only a published object is approved', async () => {
    await register('olivia', 'draft-1', 'sheet', draft.id);
    expect((await failure(change(h.engine, 'olivia', 'draft-1', 'publish', draft.id))).field).toBe('change');
    expect((await failure(change(h.engine, 'olivia', 'olivia-1', 'approve'))).code).toBe(ErrorCode.PermissionDenied);
    expect((await failure(change(h.engine, 'olivia', 'olivia-1', 'delete'))).field).toBe('change');
  });

  it('rename and remove need Update and Delete on the row: a base sheet is neither renamed nor removed, a private one by its owner only', async () => {
    expect((await failure(h.engine.unary('RenameAppObject', { appId: app.id, engineObjectId: 'base-1', objectType: '', name: 'mine now' }, { ...DEADLINE, user: hub('olivia') }))).code).toBe(ErrorCode.PermissionDenied);
    expect((await failure(h.engine.unary('RemoveAppObject', { appId: app.id, engineObjectId: 'base-1', objectType: '', name: '' }, { ...DEADLINE, user: hub('rita') }))).code).toBe(ErrorCode.PermissionDenied);
    expect((await failure(h.engine.unary('RemoveAppObject', { appId: app.id, engineObjectId: 'rita-1', objectType: '', name: '' }, { ...DEADLINE, user: hub('olivia') }))).code).toBe(ErrorCode.NotFound);
    expect(JSON.parse((await h.engine.unary('RenameAppObject', { appId: app.id, engineObjectId: 'rita-1', objectType: '', name: 'Rita renamed' }, { ...DEADLINE, user: hub('rita') })).json)).toMatchObject({ name: 'Rita renamed' });
    await h.engine.unary('RemoveAppObject', { appId: app.id, engineObjectId: 'rita-1', objectType: '', name: '' }, { ...DEADLINE, user: hub('rita') });
    objects.delete('rita-1');
    expect((await check(h.engine, 'rita', 'read', ['rita-1'])).allowed).toEqual([]);
    await matchesModel();
  });

  it('a denied single-object check is audited with the deciding reason; a read filter over a list is not (as /qrs lists)', async () => {
    await check(h.engine, 'rita', 'read', ['olivia-1']);
    const denial = (await auditTail({ action: 'access.denied' })).entries.filter((r) => 'details' in r && r.details?.['operation'] === 'AuthorizeAppObjects' && r.actor.user === 'CORP\\rita').at(-1);
    expect(denial).toMatchObject({ outcome: 'denied', target: { type: 'App.Object' }, details: { action: 'read', context: 'hub' } });
    const before = (await auditTail({ action: 'access.denied' })).entries.length;
    await check(h.engine, 'rita', 'read', ['olivia-1', 'base-1']);
    expect((await auditTail({ action: 'access.denied' })).entries.length).toBe(before);
  });

  it('explain names the deciding rules for an object: ApproveAppObjects for the app owner, no rule for the sheet\'s author', async () => {
    await register('rita', 'rita-explained');
    await change(h.engine, 'rita', 'rita-explained', 'publish');
    const row = (await q.list('app/object', admin, { filter: "engineObjectId eq 'rita-explained'" }))[0]!;
    const explain = async (user: string) => JSON.parse((await h.proxy.unary('Explain', { user, resource: `App.Object_${row.id}`, action: 'approve' }, { ...DEADLINE, user: admin })).json) as { decision: { kind: string; grantedBy?: string[] }; candidates: { ruleId: string; ruleName: string; outcome: string }[] };
    const owner = await explain('CORP\\olivia');
    const approveRule = owner.candidates.find((c) => c.ruleName === 'ApproveAppObjects');
    expect(approveRule?.outcome).toBe('granted');
    expect(owner.decision).toEqual({ kind: 'allow', grantedBy: [approveRule?.ruleId] });
    const author = await explain('CORP\\rita');
    expect(author.decision.kind).toBe('deny');
    expect(author.candidates.find((c) => c.ruleName === 'ApproveAppObjects')?.outcome).toBe('false');
  });

  it('edges: bounded batch, validated ids and actions', async () => {
    const many = Array.from({ length: 5001 }, (_, i) => `o${i}`);
    expect((await failure(check(h.engine, 'rita', 'read', many))).field).toBe('objects');
    expect((await failure(check(h.engine, 'rita', 'read', ['x\u0000y']))).field).toBe('objects[0].engineObjectId');
    expect((await failure(check(h.engine, 'rita', 'read', ['']))).field).toBe('objects[0].engineObjectId');
    // Clients choose qIds freely: any other text is an id (and unknown here).
    expect((await check(h.engine, 'rita', 'read', ['my sheet/ä ✓'])).allowed).toEqual([]);
    expect((await failure(check(h.engine, 'rita', 'changerole', ['base-1']))).field).toBe('action');
    expect((await failure(check(h.engine, 'rita', 'read', ['base-1'], 'not-a-guid'))).field).toBe('appId');
  });

  it('only the engine asks and keeps rows: the proxy and an integration certificate are refused, and nothing changes', async () => {
    for (const client of [h.proxy, h.cli]) {
      expect((await failure(check(client, 'olivia', 'read', ['base-1']))).code).toBe(ErrorCode.PermissionDenied);
      expect((await failure(client.unary('RegisterAppObject', { appId: app.id, engineObjectId: 'forged', objectType: 'sheet', name: '' }, { ...DEADLINE, user: hub('olivia') }))).code).toBe(ErrorCode.PermissionDenied);
      expect((await failure(client.unary('RemoveAppObject', { appId: app.id, engineObjectId: 'olivia-1', objectType: '', name: '' }, { ...DEADLINE, user: hub('olivia') }))).code).toBe(ErrorCode.PermissionDenied);
    }
    expect((await failure(h.cli.unary('ChangeAppObjectState', { id: '', appId: app.id, engineObjectId: 'olivia-1', change: 'publish' }, { ...DEADLINE, user: hub('olivia') }))).code).toBe(ErrorCode.PermissionDenied);
    await matchesModel();
    expect((await check(h.engine, 'olivia', 'read', ['forged'])).allowed).toEqual([]);
  });
});
