import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ErrorCode } from '@trustzone/contracts';
import { isCheckpoint, tailAuditLog, type AuditRecord } from '@trustzone/logging';
import { testProviders } from '../db/test-database';
import type { RequestAccess } from '../security/request-access';
import { asUser, startRepository, type RepositoryHarness } from '../test-support/repository-harness';
import { failure, repositoryCalls, type Entity } from '../test-support/repository-calls';
import { ReferenceResolver } from './reference-resolver';

describe.each(testProviders())('references in bodies on %s', (provider) => {
  let h: RepositoryHarness;
  let q: ReturnType<typeof repositoryCalls>;
  const admin = asUser('CORP', 'admin');
  const dora = asUser('CORP', 'dora');
  const doraHub = asUser('CORP', 'dora', { context: 'hub' });
  const missing = '00000000-0000-4000-8000-0000000000aa';
  let carol: Entity;
  let erik: Entity;
  let tag: Entity;
  let prop: Entity;
  let prop2: Entity;
  let shared: Entity;
  const auditTail = async (filter: Parameters<typeof tailAuditLog>[0]['filter']): Promise<AuditRecord[]> =>
    (await tailAuditLog({ dir: h.site.paths.audit, filter })).entries.filter((e): e is AuditRecord => !isCheckpoint(e));

  beforeAll(async () => {
    h = await startRepository(provider);
    q = repositoryCalls(h.proxy);
    carol = await q.create('user', { userDirectory: 'CORP', userId: 'carol' }, admin);
    tag = await q.create('tag', { name: 'board-only' }, admin);
    erik = await q.create('user', { userDirectory: 'CORP', userId: 'erik' }, admin);
    await q.create('tag', { name: 'audit-only' }, admin);
    prop = await q.create('custompropertydefinition', { name: 'Board', objectTypes: ['App'] }, admin);
    prop2 = await q.create('custompropertydefinition', { name: 'Audit', objectTypes: ['App'] }, admin);
    shared = await q.create('app', { name: 'shared with dora', owner: { id: carol.id }, tags: [{ id: tag.id }], customProperties: [{ definition: { id: prop.id }, value: 'x' }] }, admin);
    // dora may read and update this one app (both contexts), and create apps in the hub (shipped CreateApp).
    await q.create('systemrule', { name: 'dora edits the shared app', resourceFilter: `App_${shared.id}`, actions: 2 | 4, ruleContext: 0, rule: 'user.userId = "dora"' }, admin);
  });
  afterAll(() => h?.stop());

  it('a reference dora may not read fails exactly like one to nothing, and only the hidden one is audited as a denied read', async () => {
    const current = await q.get('app', shared.id, dora);
    // Per field: a hidden and a missing reference on create; on update (where the app's own
    // references stay nameable) another hidden one and a missing one, next to the current ones.
    const cases: { field: string; create: [unknown, unknown]; update: [unknown, unknown] }[] = [
      { field: 'owner', create: [{ id: carol.id }, { id: missing }], update: [{ id: erik.id }, { id: missing }] },
      { field: 'owner', create: [{ userDirectory: 'CORP', userId: 'carol' }, { userDirectory: 'CORP', userId: 'nosuch' }], update: [{ userDirectory: 'CORP', userId: 'erik' }, { userDirectory: 'CORP', userId: 'nosuch' }] },
      { field: 'tags', create: [[{ name: 'board-only' }], [{ name: 'no-such-tag' }]], update: [[{ id: tag.id }, { name: 'audit-only' }], [{ id: tag.id }, { name: 'no-such-tag' }]] },
      {
        field: 'customProperties',
        create: [[{ definition: { name: 'Board' }, value: 'x' }], [{ definition: { name: 'NoSuch' }, value: 'x' }]],
        update: [[{ definition: { id: prop.id }, value: 'x' }, { definition: { id: prop2.id }, value: 'y' }], [{ definition: { id: prop.id }, value: 'x' }, { definition: { id: missing }, value: 'y' }]],
      },
    ];
    for (const { field, create, update } of cases) {
      const created = await Promise.all(create.map((ref) => failure(q.create('app', { name: 'n', [field]: ref }, doraHub))));
      expect(created[0], field).toEqual(created[1]);
      expect(created[0]).toMatchObject({ code: ErrorCode.InvalidArgument, field: expect.stringMatching(new RegExp(`^body\\.${field}`)) });
      const updated = await Promise.all(update.map((ref) => failure(q.update('app', shared.id, { ...current, [field]: ref }, dora))));
      expect(updated[0], field).toEqual(updated[1]);
      expect(updated[0]).toMatchObject({ code: ErrorCode.InvalidArgument, field: expect.stringMatching(new RegExp(`^body\\.${field}`)) });
    }
    const denied = (await auditTail({ action: 'access.denied', user: 'CORP\\dora' })).map((e) => e.target?.id);
    expect(denied).toEqual(expect.arrayContaining([carol.id, erik.id, tag.id, prop.id, prop2.id]));
    expect(denied).not.toContain(missing);
  });

  it("an entity's own references can be PUT back by a caller who cannot read them, and the caller may always name themselves", async () => {
    const current = await q.get('app', shared.id, dora);
    expect(current).toMatchObject({ owner: { id: carol.id }, tags: [{ id: tag.id }] });
    const back = await q.update('app', shared.id, { ...current, name: 'renamed by dora' }, dora);
    expect(back).toMatchObject({ name: 'renamed by dora', owner: { id: carol.id }, tags: [{ id: tag.id }], customProperties: [{ value: 'x' }] });
    const mine = await q.create('app', { name: 'dora own', owner: { userDirectory: 'CORP', userId: 'dora' } }, doraHub);
    expect(mine.owner).toMatchObject({ userId: 'dora' });
  });

  it('creating a user that exists and one that does not look the same to a caller who may not create users', async () => {
    const taken = await failure(q.create('user', { userDirectory: 'CORP', userId: 'carol' }, dora));
    const free = await failure(q.create('user', { userDirectory: 'CORP', userId: 'nobody-yet' }, dora));
    expect(taken).toEqual(free);
    expect(taken.code).toBe(ErrorCode.PermissionDenied);
    expect(await failure(q.create('user', { userDirectory: 'CORP', userId: 'carol' }, admin))).toMatchObject({ code: ErrorCode.InvalidArgument, field: 'body.userId' });
  });

  it('a kind cannot resolve a reference the shared table does not declare', async () => {
    const resolver = new ReferenceResolver(h.repository.core.cache, {} as RequestAccess, 'tag');
    await expect(resolver.user('owner', { id: carol.id })).rejects.toThrow('tag.owner is not a declared user reference');
    await expect(new ReferenceResolver(h.repository.core.cache, {} as RequestAccess, 'app').entities('tags', [])).rejects.toThrow('app.tags is not a declared entities reference');
  });
});
