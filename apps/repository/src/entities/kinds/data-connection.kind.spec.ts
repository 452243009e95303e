import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ErrorCode } from '@trustzone/contracts';
import { isCheckpoint, tailAuditLog, type AuditRecord } from '@trustzone/logging';
import { testProviders } from '../../db/test-database';
import { asUser, startRepository, type RepositoryHarness } from '../../test-support/repository-harness';
import { failure, repositoryCalls, type Entity } from '../../test-support/repository-calls';

describe.each(testProviders())('data connection targets on %s', (provider) => {
  let h: RepositoryHarness;
  let q: ReturnType<typeof repositoryCalls>;
  const admin = asUser('CORP', 'admin');
  const ann = asUser('CORP', 'ann');
  const auditTail = async (filter: Parameters<typeof tailAuditLog>[0]['filter']): Promise<AuditRecord[]> =>
    (await tailAuditLog({ dir: h.site.paths.audit, filter })).entries.filter((e): e is AuditRecord => !isCheckpoint(e));

  /** A connection to `path`, owned by ann. */
  async function annsConnection(name: string, path: string): Promise<Entity> {
    const annUser = (await q.list('user', admin, { filter: "userId eq 'ann'" }))[0] ?? (await q.create('user', { userDirectory: 'CORP', userId: 'ann' }, admin));
    return q.create('dataconnection', { name, connectionString: path, owner: { id: annUser.id } }, admin);
  }

  beforeAll(async () => {
    h = await startRepository(provider);
    q = repositoryCalls(h.proxy);
  });
  afterAll(() => h?.stop());

  it('the owner may rename and hand on a connection, but not change its target: Create on the would-be connection, audited with both targets', async () => {
    const dc = await annsConnection('sales', 'sales/2026');
    const renamed = await q.update('dataconnection', dc.id, { ...dc, name: 'sales (ann)' }, ann);
    expect(renamed).toMatchObject({ name: 'sales (ann)', connectionString: 'sales/2026' });
    const refused = await failure(q.update('dataconnection', dc.id, { ...renamed, connectionString: 'hr' }, ann));
    expect(refused.code).toBe(ErrorCode.PermissionDenied);
    expect(await q.get('dataconnection', dc.id, admin)).toMatchObject({ connectionString: 'sales/2026', modifiedDate: renamed.modifiedDate });
    const denial = (await auditTail({ action: 'access.denied', targetId: dc.id })).at(-1);
    expect(denial).toMatchObject({ actor: { user: 'CORP\\ann' }, details: { action: 'create', change: 'connectionString', connectionStringBefore: 'sales/2026', connectionStringAfter: 'hr', operation: 'UpdateEntity' } });
  });

  it('RootAdmin and ContentAdmin may repoint (their shipped rules grant Create); the change is audited with both targets', async () => {
    const dc = await annsConnection('finance', 'finance');
    const moved = await q.update('dataconnection', dc.id, { ...dc, connectionString: 'finance/v2' }, admin);
    expect(moved.connectionString).toBe('finance/v2');
    await q.create('user', { userDirectory: 'CORP', userId: 'cora', roles: ['ContentAdmin'] }, admin);
    const again = await q.update('dataconnection', dc.id, { ...moved, connectionString: 'finance/v3' }, asUser('CORP', 'cora'));
    expect(again.connectionString).toBe('finance/v3');
    const changes = (await auditTail({ action: 'entity.update', targetId: dc.id })).map((e) => [e.actor.user, e.details?.['connectionStringBefore'], e.details?.['connectionStringAfter']]);
    expect(changes).toEqual([['CORP\\admin', 'finance', 'finance/v2'], ['CORP\\cora', 'finance/v2', 'finance/v3']]);
  });

  it('a custom rule can let owners repoint within their own tree, by the target it would have', async () => {
    await q.create('systemrule', {
      name: 'ann repoints inside team-a',
      resourceFilter: 'DataConnection_*',
      actions: 1,
      ruleContext: 0,
      rule: 'user.userId = "ann" and resource.owner = user and resource.connectionstring like "team-a/*"',
    }, admin);
    const dc = await annsConnection('team a', 'team-a/raw');
    const moved = await q.update('dataconnection', dc.id, { ...dc, connectionString: 'team-a/clean' }, ann);
    expect(moved.connectionString).toBe('team-a/clean');
    expect((await failure(q.update('dataconnection', dc.id, { ...moved, connectionString: 'team-b/clean' }, ann))).code).toBe(ErrorCode.PermissionDenied);
  });
});
