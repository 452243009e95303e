import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ErrorCode } from '@trustzone/contracts';
import { isCheckpoint, tailAuditLog, type AuditRecord } from '@trustzone/logging';
import { SERVICE_ACCOUNT_DIRECTORY } from '@trustzone/rules';
import { USER_DIRECTORY_TYPES } from '../../db';
import { testProviders } from '../../db/test-database';
import { LOCAL_DIRECTORY_NAME } from '../../seed/well-known-ids';
import { asUser, startRepository, type RepositoryHarness } from '../../test-support/repository-harness';
import { failure, repositoryCalls } from '../../test-support/repository-calls';

// /qrs/userdirectory through the real path: the proxy's certificate over mutual TLS, gRPC, the
// rules, the database and the audit log.
describe.each(testProviders())('user directories on %s', (provider) => {
  let h: RepositoryHarness;
  let q: ReturnType<typeof repositoryCalls>;
  const admin = asUser('CORP', 'admin');
  const ann = asUser('CORP', 'ann');
  const audited = async (action: string, targetId: string): Promise<AuditRecord[]> =>
    (await tailAuditLog({ dir: h.site.paths.audit, filter: { action, targetId } })).entries.filter((e): e is AuditRecord => !isCheckpoint(e));
  const byName = async (name: string) => (await q.list('userdirectory', admin, { filter: `userDirectoryName eq '${name}'`, full: true }))[0];

  beforeAll(async () => {
    h = await startRepository(provider);
    q = repositoryCalls(h.proxy);
  });
  afterAll(() => h?.stop());

  it('a site starts with the INTERNAL (service accounts) and LOCAL directories, in Qlik\'s UserDirectory shape', async () => {
    const seeded = { [SERVICE_ACCOUNT_DIRECTORY]: USER_DIRECTORY_TYPES.internal, [LOCAL_DIRECTORY_NAME]: USER_DIRECTORY_TYPES.local };
    for (const [name, type] of Object.entries(seeded)) {
      expect(await byName(name)).toMatchObject({ name, userDirectoryName: name, type, configured: true, operational: true, syncStatus: 0, settings: [], tags: [], creationType: 0 });
    }
    expect(await q.count('userdirectory', admin)).toBe(Object.keys(seeded).length);
    const condensed = await q.list('userdirectory', admin, { orderby: 'userDirectoryName desc' });
    expect(condensed.map((d) => d['userDirectoryName'])).toEqual(Object.keys(seeded).sort().reverse());
    expect(Object.keys(condensed[0]!).sort()).toEqual(['configured', 'id', 'name', 'operational', 'syncOnlyLoggedInUsers', 'type', 'userDirectoryName']);
  });

  it('create, read, update (optimistic), delete — each audited; a directory with users cannot be deleted', async () => {
    const dir = await q.create('userdirectory', { userDirectoryName: 'PARTNERS' }, admin);
    expect(dir).toMatchObject({ name: 'PARTNERS', userDirectoryName: 'PARTNERS', type: USER_DIRECTORY_TYPES.local, creationType: 1, syncOnlyLoggedInUsers: false });
    expect((await failure(q.create('userdirectory', { userDirectoryName: 'partners' }, admin))).code).toBe(ErrorCode.Conflict);

    const renamed = await q.update('userdirectory', dir.id, { ...dir, name: 'Partner users', syncOnlyLoggedInUsers: true }, admin);
    expect(renamed).toMatchObject({ name: 'Partner users', userDirectoryName: 'PARTNERS', syncOnlyLoggedInUsers: true });
    expect(await q.get('userdirectory', dir.id, admin)).toEqual(renamed);
    expect((await failure(q.update('userdirectory', dir.id, { ...dir, name: 'stale' }, admin))).code).toBe(ErrorCode.Conflict);

    const users = ['pat', 'pia'];
    const created = [];
    for (const u of users) created.push(await q.create('user', { userDirectory: 'partners', userId: u }, admin));
    // Another directory whose name merely starts the same does not count.
    await q.create('user', { userDirectory: 'PARTNERSHIP', userId: 'pete' }, admin);
    const refused = await failure(q.remove('userdirectory', dir.id, admin));
    expect(refused.code).toBe(ErrorCode.FailedPrecondition);
    expect(refused.message).toContain(`still has ${users.length} users`);
    for (const u of created) await q.remove('user', u.id, admin);
    await q.remove('userdirectory', dir.id, admin);
    expect((await failure(q.get('userdirectory', dir.id, admin))).code).toBe(ErrorCode.NotFound);

    for (const action of ['entity.create', 'entity.update', 'entity.delete']) {
      expect((await audited(action, dir.id)).map((e) => e.actor.user), action).toEqual(['CORP\\admin']);
    }
  });

  it('the INTERNAL directory can be neither changed nor deleted, even by RootAdmin', async () => {
    const internal = (await byName(SERVICE_ACCOUNT_DIRECTORY))!;
    expect((await failure(q.update('userdirectory', internal.id, { ...internal, name: 'mine now' }, admin))).code).toBe(ErrorCode.FailedPrecondition);
    expect((await failure(q.remove('userdirectory', internal.id, admin))).code).toBe(ErrorCode.FailedPrecondition);
    expect(await q.get('userdirectory', internal.id, admin)).toEqual(internal);
  });

  it('bodies are strict: unknown keys, another connector type, a new directory name, settings or tags are refused naming the field', async () => {
    const local = (await byName(LOCAL_DIRECTORY_NAME))!;
    const cases: [unknown, string][] = [
      [{ userDirectoryName: 'X1', colour: 'red' }, 'body.colour'],
      [{ userDirectoryName: 'X2', type: USER_DIRECTORY_TYPES.internal }, 'body.type'],
      [{ userDirectoryName: 'X3', settings: [{ name: 'host', value: 'ldap://x' }] }, 'body.settings'],
      [{ userDirectoryName: 'X4', tags: [{ name: 't' }] }, 'body.tags'],
      [{ name: 'no directory name' }, 'body.userDirectoryName'],
    ];
    for (const [body, field] of cases) {
      const f = await failure(q.create('userdirectory', body, admin));
      expect([f.code, f.field], JSON.stringify(body)).toEqual([ErrorCode.InvalidArgument, field]);
    }
    const rename = await failure(q.update('userdirectory', local.id, { ...local, userDirectoryName: 'ELSEWHERE' }, admin));
    expect([rename.code, rename.field]).toEqual([ErrorCode.InvalidArgument, 'body.userDirectoryName']);
    expect(await q.count('userdirectory', admin, "userDirectoryName sw 'X'")).toBe(0);
  });

  it('only RootAdmin by the shipped rules: others see nothing and may create nothing (audited); a custom rule grants exactly its actions', async () => {
    const local = (await byName(LOCAL_DIRECTORY_NAME))!;
    expect(await q.list('userdirectory', ann)).toEqual([]);
    expect((await failure(q.get('userdirectory', local.id, ann))).code).toBe(ErrorCode.NotFound);
    expect((await failure(q.create('userdirectory', { userDirectoryName: 'ANNS' }, ann))).code).toBe(ErrorCode.PermissionDenied);
    expect((await failure(q.remove('userdirectory', local.id, ann))).code).toBe(ErrorCode.NotFound);
    expect(await byName('ANNS')).toBeUndefined();
    const denials = (await tailAuditLog({ dir: h.site.paths.audit, filter: { action: 'access.denied', user: 'CORP\\ann' } })).entries;
    expect(denials.length).toBeGreaterThan(0);

    expect((await q.get('userdirectory', local.id, admin, true))['privileges']).toEqual(expect.arrayContaining(['create', 'read', 'update', 'delete']));
    await q.create('systemrule', { name: 'ann reads directories', resourceFilter: 'UserDirectory_*', actions: 2, ruleContext: 0, rule: 'user.userId = "ann"' }, admin);
    const seen = await q.list('userdirectory', ann, { privileges: true });
    expect(seen.map((d) => d['userDirectoryName']).sort()).toEqual([SERVICE_ACCOUNT_DIRECTORY, LOCAL_DIRECTORY_NAME].sort());
    for (const d of seen) expect(d['privileges']).toEqual(['read']);
    expect((await failure(q.update('userdirectory', local.id, { ...local, name: 'ann was here' }, ann))).code).toBe(ErrorCode.PermissionDenied);
  });

  it('users may still name any directory (as with Qlik\'s QRS), with or without a directory entity', async () => {
    const u = await q.create('user', { userDirectory: 'NOWHERE', userId: 'drifter' }, admin);
    expect(u).toMatchObject({ userDirectory: 'NOWHERE', userId: 'drifter' });
    expect(await byName('NOWHERE')).toBeUndefined();
    const l = await q.create('user', { userDirectory: LOCAL_DIRECTORY_NAME, userId: 'lou' }, admin);
    expect(l).toMatchObject({ userDirectory: LOCAL_DIRECTORY_NAME });
  });
});
