import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SERVICE_ACCOUNT_DIRECTORY, shippedRules } from '@trustzone/rules';
import { createRepositoryStores, USER_DIRECTORY_TYPES, type RepositoryStores } from '../db';
import { createTestDatabase, testProviders, type TestDatabase } from '../db/test-database';
import { seedSite } from './seed-site';
import { EVERYONE_STREAM_ID, LOCAL_DIRECTORY_NAME, MONITORING_STREAM_ID } from './well-known-ids';

describe.each(testProviders())('seedSite on %s', (provider) => {
  let t: TestDatabase;
  let s: RepositoryStores;
  const options = { admin: 'CORP\\root', hosts: ['hub.example.com', 'localhost', '::1'], proxyPort: 9443 };
  const shipped = shippedRules({ everyoneStreamId: EVERYONE_STREAM_ID, monitoringStreamId: MONITORING_STREAM_ID });

  beforeAll(async () => {
    t = await createTestDatabase(provider);
    s = createRepositoryStores(t.db);
  });
  afterAll(() => t?.dispose());

  it('creates the shipped rules, both streams, the RootAdmin user, the central node, the default virtual proxy and the INTERNAL and LOCAL user directories', async () => {
    const created = await seedSite(s, options);
    expect(created).toHaveLength(shipped.length + 7);
    expect((await s.userDirectories.list()).map((d) => [d.userDirectoryName, d.type, d.creationType])).toEqual([
      [SERVICE_ACCOUNT_DIRECTORY, USER_DIRECTORY_TYPES.internal, 0],
      [LOCAL_DIRECTORY_NAME, USER_DIRECTORY_TYPES.local, 0],
    ]);
    const rules = await s.securityRules.list();
    expect(rules.map((r) => [r.id, r.name, r.rule, r.actions, r.ruleContext]).sort()).toEqual(shipped.map((r) => [r.id, r.name, r.rule, r.actions, r.ruleContext]).sort());
    expect((await s.streams.get(EVERYONE_STREAM_ID)).name).toBe('Everyone');
    expect((await s.streams.get(MONITORING_STREAM_ID)).name).toBe('Monitoring apps');
    expect((await s.users.findByIdentity('corp', 'ROOT'))?.roles).toEqual(['RootAdmin']);
    const [node] = await s.serverNodes.list();
    expect(node).toMatchObject({ name: 'central', hostName: 'localhost', isCentral: true });
    const vp = await s.virtualProxies.findByPrefix('');
    // IPv6 literals do not fit the stored allow list and are left out.
    expect(vp).toMatchObject({ authenticationMethod: 'ticket', websocketCrossOriginWhiteList: ['hub.example.com:9443', 'localhost:9443'] });
    expect(vp?.loadBalancingServerNodes.map((n) => n.id)).toEqual([node!.id]);
  });

  it('is idempotent, and never undoes an operator’s edits', async () => {
    const everyone = await s.streams.get(EVERYONE_STREAM_ID);
    await s.streams.update(everyone.id, everyone.modifiedDate, { name: 'Everybody' }, 'CORP\\root');
    const root = (await s.users.findByIdentity('CORP', 'root'))!;
    await s.users.update(root.id, root.modifiedDate, { roles: [] }, 'CORP\\root');
    const counts = async () => Promise.all([s.securityRules.count(), s.streams.count(), s.users.count(), s.serverNodes.count(), s.virtualProxies.count(), s.userDirectories.count()]);
    const before = await counts();
    expect(await seedSite(s, options)).toEqual([]);
    expect(await counts()).toEqual(before);
    expect((await s.streams.get(EVERYONE_STREAM_ID)).name).toBe('Everybody');
    expect((await s.users.get(root.id)).roles).toEqual([]);
  });

  it('puts back a deleted shipped rule (only what is missing is created)', async () => {
    const owner = shipped.find((r) => r.name === 'Owner')!;
    await s.securityRules.delete(owner.id);
    expect(await seedSite(s, options)).toEqual(['rule:Owner']);
    expect((await s.securityRules.get(owner.id)).rule).toBe(owner.rule);
  });

  it('brings shipped rules changed in place to their current form, unless an operator edited them', async () => {
    const owner = shipped.find((r) => r.name === 'Owner')!;
    const create = shipped.find((r) => r.name === 'CreateAppObjectsUnpublishedApp')!;
    const approve = 4096;
    expect(owner.actions & approve).toBe(0);
    const before = 'resource.app.stream.Empty() and resource.app.owner = user and !user.IsAnonymous()';
    const o = await s.securityRules.get(owner.id);
    await s.securityRules.update(o.id, o.modifiedDate, { actions: owner.actions | approve }, 'CORP\\root');
    const c = await s.securityRules.get(create.id);
    await s.securityRules.update(c.id, c.modifiedDate, { rule: before }, 'CORP\\root');
    expect((await seedSite(s, options)).sort()).toEqual(['rule:CreateAppObjectsUnpublishedApp (upgraded)', 'rule:Owner (upgraded)']);
    expect((await s.securityRules.get(owner.id)).actions).toBe(owner.actions);
    expect((await s.securityRules.get(create.id)).rule).toBe(create.rule);
    // An edited rule (here: Owner's condition) keeps what the operator made of it, Approve included.
    const now = await s.securityRules.get(owner.id);
    await s.securityRules.update(now.id, now.modifiedDate, { actions: owner.actions | approve, rule: `${owner.rule} and !user.IsAnonymous()` }, 'CORP\\root');
    expect(await seedSite(s, options)).toEqual([]);
    expect((await s.securityRules.get(owner.id)).actions).toBe(owner.actions | approve);
  });

  it('refuses an admin that is not DIRECTORY\\userid', async () => {
    await expect(seedSite(s, { ...options, admin: 'root' })).rejects.toThrow(/DIRECTORY/);
  });
});
