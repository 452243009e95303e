import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testProviders } from '../db/test-database';
import { asUser, DEADLINE, startRepository, type RepositoryHarness } from '../test-support/repository-harness';
import { repositoryCalls, type Entity } from '../test-support/repository-calls';

/**
 * STORE writes into data connections, so the reload plan says which connections a reload may
 * write: only those the reloading user and the app owner may both Update (not merely read).
 */
describe.each(testProviders())('reload plan: writable data connections on %s', (provider) => {
  let h: RepositoryHarness;
  let q: ReturnType<typeof repositoryCalls>;
  const admin = asUser('CORP', 'admin');
  const gina = asUser('CORP', 'gina', { context: 'hub' });
  const hal = asUser('CORP', 'hal', { context: 'hub' });
  let ginaApp: Entity;

  beforeAll(async () => {
    h = await startRepository(provider);
    q = repositoryCalls(h.proxy);
    await q.create('user', { userDirectory: 'CORP', userId: 'gina', groups: ['Ops'] }, admin);
    await q.create('user', { userDirectory: 'CORP', userId: 'hal', groups: ['Ops'] }, admin);
    await q.create('custompropertydefinition', { name: 'AccessGroup', objectTypes: ['DataConnection'] }, admin);
    const ops = [{ definition: { name: 'AccessGroup' }, value: 'Ops' }];
    await q.create('dataconnection', { name: 'shared', connectionString: 'ops/shared', customProperties: ops }, admin);
    await q.create('dataconnection', { name: 'gina-out', connectionString: 'ops/gina', owner: { userDirectory: 'CORP', userId: 'gina' }, customProperties: ops }, admin);
    ginaApp = await q.create('app', { name: 'gina app' }, gina);
  });
  afterAll(() => h?.stop());

  it('marks a connection writable only when the user and the app owner may update it', async () => {
    const plan = await h.engine.unary('PrepareReload', { type: 'app', id: ginaApp.id, privileges: false }, { ...DEADLINE, user: gina });
    const byName = Object.fromEntries(plan.connections.map((c) => [c.name, c.writable]));
    // gina owns gina-out (Owner rule: update); she only reads shared through her group.
    expect(byName).toEqual({ 'gina-out': true, shared: false });
  });

  it('a connection the reloading user may update stays read-only when the app owner may not update it', async () => {
    await q.create('systemrule', { name: 'hal updates shared', resourceFilter: 'DataConnection_*', actions: 4, ruleContext: 0, rule: 'resource.name = "shared" and user.userId = "hal"' }, admin);
    const halApp = await q.create('app', { name: 'hal app' }, hal);
    const own = await h.engine.unary('PrepareReload', { type: 'app', id: halApp.id, privileges: false }, { ...DEADLINE, user: hal });
    expect(Object.fromEntries(own.connections.map((c) => [c.name, c.writable]))).toEqual({ shared: true, 'gina-out': false });
    // An administrator may update every connection, but gina's script runs with gina's grants.
    const byAdmin = await h.engine.unary('PrepareReload', { type: 'app', id: ginaApp.id, privileges: false }, { ...DEADLINE, user: admin });
    expect(Object.fromEntries(byAdmin.connections.map((c) => [c.name, c.writable]))).toEqual({ 'gina-out': true, shared: false });
  });
});
