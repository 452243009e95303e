import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DbErrorCode } from './db.error';
import { createRepositoryStores, type RepositoryStores } from './repository-stores';
import { ACTOR, newApp, newUser, unique } from './store-fixtures';
import { createTestDatabase, type TestDatabase, testProviders } from './test-database';

describe.each(testProviders())('rules, definitions, tags, connections, proxies, nodes, certificates on %s', (provider) => {
  let t: TestDatabase;
  let s: RepositoryStores;
  beforeAll(async () => {
    t = await createTestDatabase(provider);
    s = createRepositoryStores(t.db);
  });
  afterAll(() => t?.dispose());

  it('security rules: CRUD with defaults, seed ids unique, closed sets enforced', async () => {
    const seedId = unique('seed');
    const rule = await s.securityRules.create({ name: 'Stream', resourceFilter: 'App*', actions: 2, rule: 'resource.stream.HasPrivilege("read")', seedId }, ACTOR);
    expect(rule).toMatchObject({ category: 'Security', type: 'Custom', ruleContext: 0, disabled: false, comment: '', seedId });
    expect((await s.securityRules.findBySeedId(seedId))?.id).toBe(rule.id);
    await expect(s.securityRules.create({ name: 'again', resourceFilter: '*', actions: 1, seedId }, ACTOR)).rejects.toMatchObject({ code: DbErrorCode.Duplicate, field: 'seedId' });
    for (const bad of [{ actions: 0 }, { actions: 8192 }, { actions: 1.5 }, { ruleContext: 3 }, { type: 'Deny' }, { resourceFilter: '' }]) {
      await expect(s.securityRules.update(rule.id, rule.modifiedDate, bad as never, ACTOR)).rejects.toMatchObject({ code: DbErrorCode.InvalidInput });
    }
    const disabled = await s.securityRules.update(rule.id, rule.modifiedDate, { disabled: true, ruleContext: 2, actions: 34 }, ACTOR);
    expect(disabled).toMatchObject({ disabled: true, ruleContext: 2, actions: 34, name: 'Stream' });
    await s.securityRules.delete(rule.id);
    expect(await s.securityRules.findBySeedId(seedId)).toBeNull();
  });

  it('custom property definitions: identifier names, unique, JSON lists round-trip', async () => {
    const name = `Dept_${unique('x').slice(2).replace('-', '_')}`;
    const def = await s.customPropertyDefinitions.create({ name, choiceValues: ['Sales', 'Ops "HQ"'], objectTypes: ['App', 'User'] }, ACTOR);
    expect(def).toMatchObject({ name, valueType: 'Text', choiceValues: ['Sales', 'Ops "HQ"'], objectTypes: ['App', 'User'], description: '' });
    expect((await s.customPropertyDefinitions.findByName(name))?.id).toBe(def.id);
    await expect(s.customPropertyDefinitions.create({ name }, ACTOR)).rejects.toMatchObject({ code: DbErrorCode.Duplicate, field: 'name' });
    for (const bad of [{ name: 'has space' }, { name: '9lives' }, { name: 'a.b' }, { objectTypes: ['Nope'] }, { objectTypes: ['App', 'App'] }, { choiceValues: ['x', 'x'] }]) {
      await expect(s.customPropertyDefinitions.create({ name: 'ok', ...bad } as never, ACTOR)).rejects.toMatchObject({ code: DbErrorCode.InvalidInput });
    }
  });

  it('tags: unique names, rename, delete', async () => {
    const tag = await s.tags.create({ name: unique('tag') }, ACTOR);
    await expect(s.tags.create({ name: tag.name }, ACTOR)).rejects.toMatchObject({ code: DbErrorCode.Duplicate, field: 'name' });
    const renamed = await s.tags.update(tag.id, tag.modifiedDate, { name: `${tag.name}-2` }, ACTOR);
    expect((await s.tags.findByName(renamed.name))?.id).toBe(tag.id);
    await expect(s.tags.update(tag.id, tag.modifiedDate, { name: 'stale' }, ACTOR)).rejects.toMatchObject({ code: DbErrorCode.Conflict });
    // Qlik's rule: a modifiedDate newer than the stored one (a client stamping its own clock) is
    // accepted; the next version follows the stored one, not the client's (here far-future) clock.
    const future = new Date(Date.now() + 86_400_000);
    const stamped = await s.tags.update(tag.id, future, { name: `${tag.name}-3` }, ACTOR);
    expect(stamped.name).toBe(`${tag.name}-3`);
    expect(stamped.modifiedDate.getTime()).toBeGreaterThan(renamed.modifiedDate.getTime());
    expect(stamped.modifiedDate.getTime()).toBeLessThan(future.getTime());
    await s.tags.delete(tag.id);
    expect(await s.tags.find(tag.id)).toBeNull();
  });

  it('data connections: folder paths stay inside the data volume', async () => {
    const owner = await newUser(s);
    const dc = await s.dataConnections.create({ name: unique('dc'), connectionString: 'sales/2024', ownerId: owner.id }, ACTOR);
    expect(dc).toMatchObject({ type: 'folder', connectionString: 'sales/2024', owner: { id: owner.id } });
    await expect(s.dataConnections.create({ name: dc.name, connectionString: 'x', ownerId: owner.id }, ACTOR)).rejects.toMatchObject({ code: DbErrorCode.Duplicate, field: 'name' });
    for (const path of ['../etc', 'a/../../b', '/etc/passwd', 'a//b', './a', 'a\\..\\b', 'a/\u0000b', 'a/\nb', '']) {
      await expect(s.dataConnections.update(dc.id, dc.modifiedDate, { connectionString: path }, ACTOR)).rejects.toMatchObject({ code: DbErrorCode.InvalidInput, field: 'connectionString' });
    }
    await expect(s.dataConnections.create({ name: unique('dc'), connectionString: 'x', ownerId: owner.id, type: 'odbc' } as never, ACTOR)).rejects.toMatchObject({ code: DbErrorCode.InvalidInput });
  });

  it('data connections: a tampered stored path is CorruptData on read, never returned', async () => {
    const owner = await newUser(s);
    const dc = await s.dataConnections.create({ name: unique('dc'), connectionString: 'ok', ownerId: owner.id }, ACTOR);
    await t.db.dataConnection.update({ where: { id: dc.id }, data: { connectionString: '../../secrets' } });
    await expect(s.dataConnections.get(dc.id)).rejects.toMatchObject({ code: DbErrorCode.CorruptData });
  });

  it('server nodes and virtual proxies: host names, reserved headers, allow lists, load balancing', async () => {
    const node = await s.serverNodes.create({ name: 'Engine 1', hostName: `${unique('Engine')}.Example.com`, engineEnabled: true }, ACTOR);
    expect(node.hostName).toBe(node.hostName.toLowerCase());
    await expect(s.serverNodes.create({ name: 'dup', hostName: node.hostName.toUpperCase() }, ACTOR)).rejects.toMatchObject({ code: DbErrorCode.Duplicate, field: 'hostName' });
    await expect(s.serverNodes.create({ name: 'bad', hostName: 'evil host/x' }, ACTOR)).rejects.toMatchObject({ code: DbErrorCode.InvalidInput });
    const prefix = unique('vp');
    const vp = await s.virtualProxies.create(
      { prefix, authenticationMethod: 'header', headerAuthenticationHeaderName: 'X-Remote-User', websocketCrossOriginWhiteList: ['Hub.Example.com', 'hub.example.com:8443'], jwtAttributeMap: { grp: 'group' }, loadBalancingServerNodeIds: [node.id, node.id] },
      ACTOR,
    );
    expect(vp).toMatchObject({ prefix, authenticationMethod: 'header', anonymousAccessMode: 0, sessionCookieHeaderName: 'X-Qlik-Session', sessionInactivityTimeout: 30, sameSite: 'Lax', maxSessionsPerUser: 5, sessionLimitPolicy: 'evict-oldest' });
    expect(vp.websocketCrossOriginWhiteList).toEqual(['hub.example.com', 'hub.example.com:8443']);
    expect(vp.jwtAttributeMap).toEqual({ grp: 'group' });
    expect(vp.loadBalancingServerNodes).toEqual([{ id: node.id, name: node.name, hostName: node.hostName }]);
    expect((await s.virtualProxies.findByPrefix(prefix))?.id).toBe(vp.id);
    for (const bad of [{ headerAuthenticationHeaderName: 'X-Qlik-User' }, { headerAuthenticationHeaderName: 'x-qlik-xrfkey' }, { headerAuthenticationHeaderName: 'Bad Header' }, { prefix: 'UPPER' }, { prefix: 'a/b' }, { websocketCrossOriginWhiteList: ['*'] }, { sessionInactivityTimeout: 0 }, { authenticationMethod: 'none' }, { anonymousAccessMode: 3 }]) {
      await expect(s.virtualProxies.update(vp.id, vp.modifiedDate, bad as never, ACTOR)).rejects.toMatchObject({ code: DbErrorCode.InvalidInput });
    }
    await expect(s.virtualProxies.create({ prefix }, ACTOR)).rejects.toMatchObject({ code: DbErrorCode.Duplicate, field: 'prefix' });
    await s.serverNodes.delete(node.id);
    expect((await s.virtualProxies.get(vp.id)).loadBalancingServerNodes).toEqual([]);
  });

  it('virtual proxies: a default proxy with the empty prefix, and corrupt stored JSON is refused on read', async () => {
    const existing = await s.virtualProxies.findByPrefix('');
    const vp = existing ?? (await s.virtualProxies.create({ prefix: '' }, ACTOR));
    expect(vp.prefix).toBe('');
    await t.db.virtualProxyConfig.update({ where: { id: vp.id }, data: { websocketCrossOriginWhiteList: '["ok.example.com", 42' } });
    await expect(s.virtualProxies.get(vp.id)).rejects.toMatchObject({ code: DbErrorCode.CorruptData, field: 'websocketCrossOriginWhiteList' });
    await t.db.virtualProxyConfig.update({ where: { id: vp.id }, data: { websocketCrossOriginWhiteList: '["*"]' } });
    await expect(s.virtualProxies.get(vp.id)).rejects.toMatchObject({ code: DbErrorCode.CorruptData });
    await t.db.virtualProxyConfig.update({ where: { id: vp.id }, data: { websocketCrossOriginWhiteList: '[]', authenticationMethod: 'none' } });
    await expect(s.virtualProxies.get(vp.id)).rejects.toMatchObject({ code: DbErrorCode.CorruptData, field: 'authenticationMethod' });
    await s.virtualProxies.delete(vp.id);
  });

  it('integration certificates: revocation is timestamped and final; records are never deleted', async () => {
    const serial = unique('').replace(/-/g, '').toUpperCase();
    const cert = await s.integrationCertificates.create({ name: 'portal', serial, identity: 'portal.example.com' }, ACTOR);
    expect(cert).toMatchObject({ serial: serial.toLowerCase(), revoked: false, revokedAt: null });
    expect((await s.integrationCertificates.findBySerial(serial))?.id).toBe(cert.id);
    await expect(s.integrationCertificates.create({ name: 'x', serial, identity: 'y' }, ACTOR)).rejects.toMatchObject({ code: DbErrorCode.Duplicate, field: 'serial' });
    const before = Date.now();
    const revoked = await s.integrationCertificates.update(cert.id, cert.modifiedDate, { revoked: true }, ACTOR);
    expect(revoked.revoked).toBe(true);
    expect(revoked.revokedAt!.getTime()).toBeGreaterThanOrEqual(before - 1);
    await expect(s.integrationCertificates.update(cert.id, revoked.modifiedDate, { revoked: false }, ACTOR)).rejects.toMatchObject({ code: DbErrorCode.InvalidInput, field: 'revoked' });
    const renamed = await s.integrationCertificates.update(cert.id, revoked.modifiedDate, { name: 'portal-old', revokedAt: null }, ACTOR);
    expect(renamed).toMatchObject({ revoked: true, revokedAt: revoked.revokedAt, name: 'portal-old' });
    expect((await s.integrationCertificates.listRevoked()).map((c) => c.id)).toContain(cert.id);
    await expect(s.integrationCertificates.delete(cert.id)).rejects.toMatchObject({ code: DbErrorCode.InvalidInput });
    expect((await s.integrationCertificates.get(cert.id)).revoked).toBe(true);
    await expect(s.integrationCertificates.create({ name: 'x', serial: 'xyz', identity: 'y' }, ACTOR)).rejects.toMatchObject({ code: DbErrorCode.InvalidInput, field: 'serial' });
  });

  it('every store reports NotFound and Conflict the same way', async () => {
    const app = await newApp(s);
    const missing = '00000000-0000-4000-8000-0000000000ee';
    const stores = [s.users, s.streams, s.apps, s.appObjects, s.securityRules, s.customPropertyDefinitions, s.tags, s.dataConnections, s.virtualProxies, s.serverNodes, s.integrationCertificates];
    for (const store of stores) {
      await expect(store.get(missing)).rejects.toMatchObject({ code: DbErrorCode.NotFound });
      await expect(store.update(missing, new Date(), {}, ACTOR)).rejects.toMatchObject({ code: DbErrorCode.NotFound });
      await expect(store.delete(missing)).rejects.toMatchObject({ code: DbErrorCode.NotFound });
    }
    const stale = new Date(app.modifiedDate.getTime() - 1);
    await expect(s.apps.update(app.id, stale, { name: 'x' }, ACTOR)).rejects.toMatchObject({ code: DbErrorCode.Conflict });
  });
});
