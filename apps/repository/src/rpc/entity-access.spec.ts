import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ErrorCode } from '@trustzone/contracts';
import { testProviders } from '../db/test-database';
import { asUser, startRepository, type RepositoryHarness } from '../test-support/repository-harness';
import { failure, repositoryCalls, type Entity } from '../test-support/repository-calls';

describe.each(testProviders())('entity access through the rules on %s', (provider) => {
  let h: RepositoryHarness;
  let q: ReturnType<typeof repositoryCalls>;
  const admin = asUser('CORP', 'admin');
  const hub = (userId: string, attributes: Record<string, string[]> = {}) => asUser('CORP', userId, { context: 'hub', attributes });
  const streamOf: Record<string, Entity> = {};
  const appsIn: Record<string, string[]> = { Sales: [], Finance: [] };

  beforeAll(async () => {
    h = await startRepository(provider);
    q = repositoryCalls(h.proxy);
    await q.create('custompropertydefinition', { name: 'Department', objectTypes: ['Stream', 'App'] }, admin);
    await q.create('custompropertydefinition', { name: 'Region', objectTypes: ['App'] }, admin);
    await q.create('user', { userDirectory: 'CORP', userId: 'alice', groups: ['Sales'] }, admin);
    await q.create('user', { userDirectory: 'CORP', userId: 'bob', groups: ['Finance'] }, admin);
    await q.create('systemrule', { name: 'Department streams', resourceFilter: 'Stream_*', actions: 2, ruleContext: 0, rule: 'resource.@Department = user.group' }, admin);
    for (const dept of ['Sales', 'Finance']) {
      streamOf[dept] = await q.create('stream', { name: `${dept} stream`, customProperties: [{ definition: { name: 'Department' }, value: dept }] }, admin);
      for (let i = 0; i < 3; i++) {
        const app = await q.create('app', { name: `${dept} app ${i}` }, admin);
        await q.publish(app.id, streamOf[dept]!.id, admin);
        appsIn[dept]!.push(app.id);
      }
    }
  });
  afterAll(() => h?.stop());

  it('two users with different rules see different app lists, each exactly the apps in the streams their group reads', async () => {
    const alice = (await q.list('app', hub('alice'))).map((a) => a.id).sort();
    const bob = (await q.list('app', hub('bob'))).map((a) => a.id).sort();
    expect(alice).toEqual([...appsIn['Sales']!].sort());
    expect(bob).toEqual([...appsIn['Finance']!].sort());
    expect(await q.count('app', hub('alice'))).toBe(appsIn['Sales']!.length);
  });

  it('a /qrs filter applies after the rules and cannot widen them', async () => {
    const financeStream = streamOf['Finance']!.name as string;
    expect(await q.list('app', hub('alice'), { filter: `stream.name eq '${financeStream}'` })).toEqual([]);
    const sales = await q.list('app', hub('alice'), { filter: "name sw 'Sales app' and name ne 'Sales app 1'", orderby: 'name desc' });
    expect(sales.map((a) => a.name)).toEqual(['Sales app 2', 'Sales app 0']);
  });

  it('an entity the user may not read is NotFound, exactly like a missing one, for get, update and delete', async () => {
    const hidden = appsIn['Finance']![0]!;
    const missing = '00000000-0000-4000-8000-000000000001';
    const seen = await failure(q.get('app', hidden, hub('alice')));
    const none = await failure(q.get('app', missing, hub('alice')));
    expect(seen).toEqual(none);
    expect(seen.code).toBe(ErrorCode.NotFound);
    const current = await q.get('app', hidden, admin);
    expect((await failure(q.update('app', hidden, { name: 'x', modifiedDate: current.modifiedDate }, hub('alice')))).code).toBe(ErrorCode.NotFound);
    expect((await failure(q.remove('app', hidden, hub('alice')))).code).toBe(ErrorCode.NotFound);
    expect((await q.get('app', hidden, admin)).name).toBe(current.name);
  });

  it('RootAdmin sees every app in the management context, and only what other rules give in the hub', async () => {
    const privateApp = await q.create('app', { name: 'alice private' }, hub('alice'));
    const inDb = (await h.repository.core.stores.apps.list()).map((a) => a.id).sort();
    expect((await q.list('app', admin)).map((a) => a.id).sort()).toEqual(inDb);
    const adminInHub = (await q.list('app', { ...admin, context: 'hub' })).map((a) => a.id);
    expect(adminInHub).not.toContain(privateApp.id);
    expect(inDb).toContain(privateApp.id);
  });

  it('a user seen for the first time is created, once, whatever the case of the identity', async () => {
    const stores = h.repository.core.stores;
    expect(await stores.users.findByIdentity('CORP', 'newcomer')).toBeNull();
    await Promise.all([q.list('stream', hub('newcomer')), q.list('stream', asUser('corp', 'NEWCOMER', { context: 'hub' }))]);
    const created = await stores.users.findByIdentity('corp', 'Newcomer');
    expect(created).toMatchObject({ userDirectory: 'CORP', userId: 'newcomer', roles: [] });
    expect((await stores.users.list()).filter((u) => u.userId.toLowerCase() === 'newcomer')).toHaveLength(1);
  });

  it('session attributes drive a rule through user.environment (resource.@Region = user.environment.group), in its context only', async () => {
    await q.create('systemrule', { name: 'Region apps', resourceFilter: 'App_*', actions: 2, ruleContext: 1, rule: 'resource.@Region = user.environment.group' }, admin);
    const emea = await q.create('app', { name: 'EMEA report', customProperties: [{ definition: { name: 'Region' }, value: 'EMEA' }] }, admin);
    const ids = async (u: ReturnType<typeof hub>) => (await q.list('app', u)).map((a) => a.id);
    expect(await ids(hub('carol', { group: ['EMEA'] }))).toContain(emea.id);
    expect(await ids(hub('carol', { group: ['APAC'] }))).not.toContain(emea.id);
    expect(await ids(hub('carol'))).not.toContain(emea.id);
    expect(await ids(asUser('CORP', 'carol', { context: 'management', attributes: { group: ['EMEA'] } }))).not.toContain(emea.id);
    // The environment is the session's, never stored on the user.
    expect((await h.repository.core.stores.users.findByIdentity('CORP', 'carol'))?.attributes).toEqual([]);
  });

  it('a stale modifiedDate is a Conflict and changes nothing', async () => {
    const app = await q.create('app', { name: 'v1' }, admin);
    const v2 = await q.update('app', app.id, { name: 'v2', modifiedDate: app.modifiedDate }, admin);
    expect(v2.modifiedDate).not.toBe(app.modifiedDate);
    const stale = await failure(q.update('app', app.id, { name: 'v3', description: 'lost update', modifiedDate: app.modifiedDate }, admin));
    expect(stale.code).toBe(ErrorCode.Conflict);
    const after = await q.get('app', app.id, admin);
    expect({ name: after.name, description: after.description, modifiedDate: after.modifiedDate }).toEqual({ name: 'v2', description: '', modifiedDate: v2.modifiedDate });
    expect((await failure(q.update('app', app.id, { name: 'v4' }, admin))).field).toBe('body.modifiedDate');
  });

  it.each(['app', 'app/object', 'stream', 'user', 'systemrule', 'custompropertydefinition', 'tag', 'dataconnection', 'virtualproxyconfig', 'servernodeconfiguration'])(
    'a full %s as GET returns it can be PUT back unchanged',
    async (type) => {
      if (type === 'app/object') await q.create('app/object', { objectType: 'sheet', name: 'round trip', app: { id: appsIn['Sales']![0]! } }, admin);
      if (type === 'tag') await q.create('tag', { name: 'round-trip' }, admin);
      if (type === 'dataconnection') await q.create('dataconnection', { name: 'round trip', connectionString: 'a/b' }, admin);
      const all = await q.list(type, admin, { full: true, privileges: true });
      const entity = all.find((e) => e['type'] !== 'ReadOnly')!;
      const back = await q.update(type, entity.id, entity, admin);
      const strip = (e: Record<string, unknown>) => Object.fromEntries(Object.entries(e).filter(([k]) => !['modifiedDate', 'modifiedByUserName', 'privileges'].includes(k)));
      expect(strip(back)).toEqual(strip(entity));
      expect(back.modifiedDate).not.toBe(entity.modifiedDate);
    },
  );

  it('privileges=true lists the caller’s own actions on each entity', async () => {
    const mine = await q.create('app', { name: 'owned by bob' }, hub('bob'));
    const withPrivileges = await q.get('app', mine.id, hub('bob'), true);
    expect(withPrivileges.privileges).toEqual(expect.arrayContaining(['read', 'update', 'delete']));
    expect(withPrivileges.privileges).not.toContain('changerole');
    const published = await q.get('app', appsIn['Finance']![1]!, hub('bob'), true);
    // Read through the stream; Create because the shipped CreateApp rule covers App_* in the hub.
    expect(published.privileges).toEqual(['create', 'read']);
  });
});
