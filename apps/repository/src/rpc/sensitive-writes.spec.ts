import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ErrorCode } from '@trustzone/contracts';
import { tailAuditLog } from '@trustzone/logging';
import { testProviders } from '../db/test-database';
import { EVERYONE_STREAM_ID } from '../seed/well-known-ids';
import { asUser, startRepository, type RepositoryHarness } from '../test-support/repository-harness';
import { failure, repositoryCalls } from '../test-support/repository-calls';

describe.each(testProviders())('sensitive writes on %s', (provider) => {
  let h: RepositoryHarness;
  let q: ReturnType<typeof repositoryCalls>;
  const admin = asUser('CORP', 'admin');
  const auditTail = (filter: Parameters<typeof tailAuditLog>[0]['filter']) => tailAuditLog({ dir: h.site.paths.audit, filter });

  beforeAll(async () => {
    h = await startRepository(provider);
    q = repositoryCalls(h.proxy);
  });
  afterAll(() => h?.stop());

  it('a user who may update their own user record still cannot change their own roles (ChangeRole), and it is audited', async () => {
    const erin = asUser('CORP', 'erin');
    await q.create('systemrule', { name: 'Self service', resourceFilter: 'User_*', actions: 2 | 4, rule: 'resource.userId = user.userId and resource.userDirectory = user.userDirectory' }, admin);
    const me = await q.get('user', (await q.list('user', erin))[0]!.id, erin);
    expect(me.userId).toBe('erin');
    const renamed = await q.update('user', me.id, { name: 'Erin E.', modifiedDate: me.modifiedDate }, erin);
    expect(renamed.name).toBe('Erin E.');
    const refused = await failure(q.update('user', me.id, { roles: ['RootAdmin'], modifiedDate: renamed.modifiedDate }, erin));
    expect(refused.code).toBe(ErrorCode.PermissionDenied);
    expect((await h.repository.core.stores.users.get(me.id)).roles).toEqual([]);
    expect((await failure(q.update('user', me.id, { groups: ['Admins'], modifiedDate: renamed.modifiedDate }, erin))).code).toBe(ErrorCode.PermissionDenied);
    const denial = (await auditTail({ action: 'access.denied', user: 'CORP\\erin' })).entries.at(-1);
    expect(denial).toMatchObject({ outcome: 'denied', actor: { user: 'CORP\\erin', service: 'proxy' }, target: { type: 'User', id: me.id }, details: { action: 'changerole' } });
    // RootAdmin holds ChangeRole.
    const promoted = await q.update('user', me.id, { roles: ['ContentAdmin'], modifiedDate: renamed.modifiedDate }, admin);
    expect(promoted.roles).toEqual(['ContentAdmin']);
    const change = (await auditTail({ action: 'entity.update', targetId: me.id })).entries.at(-1);
    expect(change).toMatchObject({ actor: { user: 'CORP\\admin' }, details: { before: renamed.modifiedDate, after: promoted.modifiedDate, rolesBefore: [], rolesAfter: ['ContentAdmin'] } });
  });

  it('publishing into a stream without Publish on it is refused and leaves the app unpublished; Everyone accepts', async () => {
    const frankHub = asUser('CORP', 'frank', { context: 'hub' });
    const frank = asUser('CORP', 'frank');
    const app = await q.create('app', { name: 'frank report' }, frankHub);
    const sheet = await q.create('app/object', { objectType: 'sheet', name: 'overview', app: { id: app.id } }, frankHub);
    const closed = await q.create('stream', { name: 'Closed' }, admin);
    await q.create('systemrule', { name: 'Closed is readable', resourceFilter: `Stream_${closed.id}`, actions: 2, rule: '!user.IsAnonymous()' }, admin);
    expect((await q.list('stream', frank)).map((s) => s.id)).toContain(closed.id);
    expect((await failure(q.publish(app.id, closed.id, frank))).code).toBe(ErrorCode.PermissionDenied);
    expect(await q.get('app', app.id, frank)).toMatchObject({ published: false, stream: null });
    const published = await q.publish(app.id, EVERYONE_STREAM_ID, frank);
    expect(published).toMatchObject({ published: true, stream: { id: EVERYONE_STREAM_ID, name: 'Everyone' } });
    expect(await q.get('app/object', sheet.id, frank)).toMatchObject({ published: true, approved: true });
    // published/stream never change through a plain update
    const err = await failure(q.update('app', app.id, { stream: { id: closed.id }, modifiedDate: published.modifiedDate }, admin));
    expect(err).toMatchObject({ code: ErrorCode.InvalidArgument, field: 'body.stream' });
  });

  it('changing an owner needs ChangeOwner and a readable new owner: the owner may, a stranger with Update may not', async () => {
    const gus = asUser('CORP', 'gus', { context: 'hub' });
    const app = await q.create('app', { name: 'gus app' }, gus);
    await q.create('user', { userDirectory: 'CORP', userId: 'hal' }, admin);
    await q.create('systemrule', { name: 'hal updates gus apps', resourceFilter: 'App_*', actions: 2 | 4, ruleContext: 0, rule: 'user.userId = "hal" and resource.owner.userId = "gus"' }, admin);
    const hal = asUser('CORP', 'hal', { context: 'hub' });
    const seen = await q.get('app', app.id, hal);
    const renamed = await q.update('app', app.id, { name: 'renamed by hal', modifiedDate: seen.modifiedDate }, hal);
    expect((await failure(q.update('app', app.id, { owner: { userDirectory: 'CORP', userId: 'hal' }, modifiedDate: renamed.modifiedDate }, hal))).code).toBe(ErrorCode.PermissionDenied);
    expect((await q.get('app', app.id, gus)).owner).toMatchObject({ userId: 'gus' });
    // Handing an app on needs to see the new owner: until gus may read hal, hal is no known user.
    expect(await failure(q.update('app', app.id, { owner: { userDirectory: 'CORP', userId: 'hal' }, modifiedDate: renamed.modifiedDate }, gus))).toMatchObject({ code: ErrorCode.InvalidArgument, field: 'body.owner' });
    await q.create('systemrule', { name: 'gus sees his colleagues', resourceFilter: 'User_*', actions: 2, ruleContext: 0, rule: 'user.userId = "gus" and resource.userDirectory = user.userDirectory' }, admin);
    const given = await q.update('app', app.id, { owner: { userDirectory: 'CORP', userId: 'hal' }, modifiedDate: renamed.modifiedDate }, gus);
    expect(given.owner).toMatchObject({ userId: 'hal' });
  });

  it('anonymous users read the Everyone stream through its own rule, cannot create, and are never stored', async () => {
    const app = await q.create('app', { name: 'public handbook' }, admin);
    await q.publish(app.id, EVERYONE_STREAM_ID, admin);
    const anon = asUser('ANONYMOUS', 'anon-7f3a', { context: 'hub', anonymous: true });
    const users = await h.repository.core.stores.users.count();
    const seen = (await q.list('app', anon)).map((a) => a.id);
    expect(seen).toContain(app.id);
    expect(await q.list('stream', anon)).toEqual([expect.objectContaining({ id: EVERYONE_STREAM_ID })]);
    expect((await failure(q.create('app', { name: 'anon app' }, anon))).code).toBe(ErrorCode.PermissionDenied);
    expect(await h.repository.core.stores.users.count()).toBe(users);
  });

  it('an inactive user is refused on every call, and the refusal is audited', async () => {
    const ivy = await q.create('user', { userDirectory: 'CORP', userId: 'ivy', inactive: true }, admin);
    expect((await failure(q.list('app', asUser('CORP', 'ivy')))).code).toBe(ErrorCode.PermissionDenied);
    expect((await auditTail({ action: 'access.denied', targetId: ivy.id })).entries).toHaveLength(1);
  });

  it('an unknown field in a body is refused by name, not ignored', async () => {
    const app = await q.create('app', { name: 'strict' }, admin);
    const err = await failure(q.update('app', app.id, { name: 'x', ownerId: 'sneaky', modifiedDate: app.modifiedDate }, admin));
    expect(err).toMatchObject({ code: ErrorCode.InvalidArgument, field: 'body.ownerId' });
    expect((await failure(q.create('app', { name: 'p', published: true }, admin))).field).toBe('body.published');
  });
});
