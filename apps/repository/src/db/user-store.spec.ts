import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DbErrorCode } from './db.error';
import { createRepositoryStores, type RepositoryStores } from './repository-stores';
import { ACTOR, newApp, newUser, unique } from './store-fixtures';
import { createTestDatabase, type TestDatabase, testProviders } from './test-database';

describe.each(testProviders())('user store on %s', (provider) => {
  let t: TestDatabase;
  let s: RepositoryStores;
  beforeAll(async () => {
    t = await createTestDatabase(provider);
    s = createRepositoryStores(t.db);
  });
  afterAll(() => t?.dispose());

  it('creates, reads back, lists and counts a user with roles, groups and attributes', async () => {
    const before = await s.users.count();
    const userId = unique('alice');
    const created = await s.users.create(
      { userDirectory: 'CORP', userId, name: 'Alice', email: 'a@x', roles: ['RootAdmin', 'AuditAdmin', 'RootAdmin'], groups: ['Sales', 'EMEA'], attributes: [{ type: 'z', value: '1' }, { type: 'a', value: '2' }] },
      ACTOR,
    );
    expect(created).toMatchObject({ userDirectory: 'CORP', userId, name: 'Alice', email: 'a@x', inactive: false, removedExternally: false, modifiedByUserName: ACTOR });
    expect(created.roles).toEqual(['AuditAdmin', 'RootAdmin']);
    expect(created.groups).toEqual(['EMEA', 'Sales']);
    // groups are QRS-set Group attributes after the ones given.
    expect(created.attributes).toEqual([
      { type: 'z', value: '1', externalId: '', source: 'qrs' },
      { type: 'a', value: '2', externalId: '', source: 'qrs' },
      { type: 'Group', value: 'Sales', externalId: '', source: 'qrs' },
      { type: 'Group', value: 'EMEA', externalId: '', source: 'qrs' },
    ]);
    expect(created.createdDate.getTime()).toBe(created.modifiedDate.getTime());
    expect(await s.users.get(created.id)).toEqual(created);
    expect((await s.users.list()).map((u) => u.id)).toContain(created.id);
    expect(await s.users.count()).toBe(before + 1);
  });

  it('finds a user by directory identity, case-insensitively', async () => {
    const u = await newUser(s, { userDirectory: 'Corp', userId: unique('Bob') });
    expect((await s.users.findByIdentity('CORP', u.userId.toUpperCase()))?.id).toBe(u.id);
    expect(await s.users.findByIdentity('CORP', unique('nobody'))).toBeNull();
  });

  it('updates with the current modifiedDate: replaces given fields and lists, keeps the rest, moves modifiedDate on', async () => {
    const u = await newUser(s, { name: 'Before', roles: ['A'], groups: ['G1'] });
    const updated = await s.users.update(u.id, u.modifiedDate, { name: 'After', roles: ['B', 'C'] }, 'CORP\\editor');
    expect(updated).toMatchObject({ name: 'After', roles: ['B', 'C'], groups: ['G1'], modifiedByUserName: 'CORP\\editor', createdDate: u.createdDate });
    expect(updated.modifiedDate.getTime()).toBeGreaterThan(u.modifiedDate.getTime());
    expect(await s.users.get(u.id)).toEqual(updated);
  });

  it('two updates in the same millisecond still give distinct versions', async () => {
    const u = await newUser(s);
    const a = await s.users.update(u.id, u.modifiedDate, { name: 'one' }, ACTOR);
    const b = await s.users.update(a.id, a.modifiedDate, { name: 'two' }, ACTOR);
    expect(new Set([u, a, b].map((x) => x.modifiedDate.getTime())).size).toBe(3);
    await expect(s.users.update(u.id, a.modifiedDate, { name: 'stale' }, ACTOR)).rejects.toMatchObject({ code: DbErrorCode.Conflict });
  });

  it('a PUT carrying a stale modifiedDate gets Conflict and changes nothing, lists included', async () => {
    const u = await newUser(s, { name: 'Original', roles: ['Keep'] });
    const fresh = await s.users.update(u.id, u.modifiedDate, { email: 'new@x' }, ACTOR);
    const stale = s.users.update(u.id, u.modifiedDate, { name: 'Overwritten', roles: [], groups: ['Injected'] }, ACTOR);
    await expect(stale).rejects.toMatchObject({ code: DbErrorCode.Conflict, entity: 'User', field: 'modifiedDate' });
    await expect(stale).rejects.toHaveProperty('currentModifiedDate', fresh.modifiedDate);
    expect(await s.users.get(u.id)).toEqual(fresh);
  });

  it('a modifiedDate newer than the stored one is accepted, as in Qlik; the next version follows the stored one, not the caller\'s clock', async () => {
    const u = await newUser(s);
    const ahead = new Date(u.modifiedDate.getTime() + 3_600_000);
    const updated = await s.users.update(u.id, ahead, { name: 'x' }, ACTOR);
    expect(updated.name).toBe('x');
    expect(updated.modifiedDate.getTime()).toBeGreaterThan(u.modifiedDate.getTime());
    expect(updated.modifiedDate.getTime()).toBeLessThan(ahead.getTime());
    // The version the caller read before this update is now older than the stored one: a conflict.
    await expect(s.users.update(u.id, u.modifiedDate, { name: 'y' }, ACTOR)).rejects.toMatchObject({ code: DbErrorCode.Conflict });
    expect(await s.users.get(u.id)).toEqual(updated);
  });

  it('of concurrent updates from the same version exactly one wins; the rest conflict', async () => {
    const u = await newUser(s);
    const results = await Promise.allSettled(Array.from({ length: 8 }, (_, i) => s.users.update(u.id, u.modifiedDate, { name: `writer-${i}` }, ACTOR)));
    const won = results.filter((r) => r.status === 'fulfilled');
    expect(won).toHaveLength(1);
    for (const r of results) if (r.status === 'rejected') expect(r.reason).toMatchObject({ code: DbErrorCode.Conflict });
    expect((await s.users.get(u.id)).name).toBe((won[0] as PromiseFulfilledResult<{ name: string }>).value.name);
  });

  it('reports NotFound for get, update and delete of an unknown id, and null from find', async () => {
    const missing = '00000000-0000-4000-8000-000000000000';
    await expect(s.users.get(missing)).rejects.toMatchObject({ code: DbErrorCode.NotFound, entity: 'User' });
    await expect(s.users.update(missing, new Date(), { name: 'x' }, ACTOR)).rejects.toMatchObject({ code: DbErrorCode.NotFound });
    await expect(s.users.delete(missing)).rejects.toMatchObject({ code: DbErrorCode.NotFound });
    expect(await s.users.find(missing)).toBeNull();
  });

  it('refuses a malformed id as invalid input rather than querying with it', async () => {
    for (const bad of ["' OR 1=1 --", 'not-a-guid', '', '00000000-0000-4000-8000-00000000000g']) {
      await expect(s.users.get(bad)).rejects.toMatchObject({ code: DbErrorCode.InvalidInput, field: 'id' });
    }
  });

  it('accepts an upper-case GUID for an entity created with an explicit id', async () => {
    const id = 'A1B2C3D4-0000-4000-8000-00000000ABCD';
    const u = await s.users.create({ id, userDirectory: 'CORP', userId: unique('fixed') }, ACTOR);
    expect(u.id).toBe(id.toLowerCase());
    expect((await s.users.get(id)).id).toBe(u.id);
  });

  it('refuses a second user with the same identity (any letter case) as Duplicate naming the fields', async () => {
    const u = await newUser(s);
    const dup = s.users.create({ userDirectory: u.userDirectory.toLowerCase(), userId: u.userId.toUpperCase() }, ACTOR);
    await expect(dup).rejects.toMatchObject({ code: DbErrorCode.Duplicate, field: 'userDirectory,userId' });
    const other = await newUser(s);
    await expect(s.users.update(other.id, other.modifiedDate, { userId: u.userId }, ACTOR)).rejects.toMatchObject({ code: DbErrorCode.Duplicate });
    expect(await s.users.get(other.id)).toEqual(other);
  });

  it('validates input: required identity, no backslash, no unknown fields, bounded lists', async () => {
    const bad: [unknown, string][] = [
      [{ userDirectory: 'CORP' }, 'userId'],
      [{ userDirectory: 'CO\\RP', userId: 'x' }, 'userDirectory'],
      [{ userDirectory: 'CORP', userId: '' }, 'userId'],
      [{ userDirectory: 'CORP', userId: 'x', isAdmin: true }, ''],
      [{ userDirectory: 'CORP', userId: 'x', roles: Array.from({ length: 101 }, (_, i) => `r${i}`) }, 'roles'],
      [{ userDirectory: 'CORP', userId: 'x', inactive: 'yes' }, 'inactive'],
    ];
    for (const [input, field] of bad) {
      const err = await s.users.create(input as never, ACTOR).catch((e: unknown) => e);
      expect(err).toMatchObject({ code: DbErrorCode.InvalidInput });
      if (field) expect(err).toHaveProperty('field', field);
    }
    await expect(s.users.create({ userDirectory: 'CORP', userId: unique('x') }, '')).rejects.toMatchObject({ code: DbErrorCode.InvalidInput, field: 'modifiedByUserName' });
  });

  it('deletes a user; a user who still owns an app is InUse and stays', async () => {
    const gone = await newUser(s);
    await s.users.delete(gone.id);
    await expect(s.users.get(gone.id)).rejects.toMatchObject({ code: DbErrorCode.NotFound });
    const app = await newApp(s);
    await expect(s.users.delete(app.owner.id)).rejects.toMatchObject({ code: DbErrorCode.InUse });
    expect((await s.users.get(app.owner.id)).id).toBe(app.owner.id);
  });

  it('lists in creation order with paging and an id filter', async () => {
    const a = await newUser(s);
    const b = await newUser(s);
    const c = await newUser(s);
    const page = await s.users.list({ ids: [c.id, a.id, b.id], skip: 1, take: 1 });
    expect(page.map((u) => u.id)).toEqual([b.id]);
    expect((await s.users.list({ ids: [c.id, a.id] })).map((u) => u.id)).toEqual([a.id, c.id]);
    await expect(s.users.list({ take: -1 })).rejects.toMatchObject({ code: DbErrorCode.InvalidInput });
  });
  it('derives groups from attributes of type Group in any letter case, and nowhere else', async () => {
    const attributes = [{ type: 'GROUP', value: 'Sales' }, { type: 'group', value: 'EMEA' }, { type: 'Groups', value: 'NotAGroup' }, { type: 'email', value: 'a@x' }, { type: 'Group', value: 'Sales' }];
    const u = await s.users.create({ userDirectory: 'CORP', userId: unique('g'), attributes }, ACTOR);
    const expected = [...new Set(attributes.filter((a) => a.type.toLowerCase() === 'group').map((a) => a.value))].sort();
    expect(u.groups).toEqual(expected);
    expect((await s.users.get(u.id)).groups).toEqual(expected);
  });

  it('a login replaces only its own source\'s attributes: QRS-set and other logins\' attributes stay', async () => {
    const u = await s.users.create({ userDirectory: 'CORP', userId: unique('l'), attributes: [{ type: 'Group', value: 'Admins' }] }, ACTOR);
    const first = await s.users.replaceLoginAttributes(u.id, 'ticket', [{ type: 'group', value: 'Sales' }, { type: 'email', value: 'a@x' }], ACTOR);
    expect(first.groups).toEqual(['Admins', 'Sales']);
    const jwt = await s.users.replaceLoginAttributes(u.id, 'jwt', [{ type: 'Group', value: 'Finance' }], ACTOR);
    expect(jwt.groups).toEqual(['Admins', 'Finance', 'Sales']);
    const second = await s.users.replaceLoginAttributes(u.id, 'ticket', [{ type: 'group', value: 'Marketing' }], ACTOR);
    expect(second.attributes).toEqual([
      { type: 'Group', value: 'Admins', externalId: '', source: 'qrs' },
      { type: 'Group', value: 'Finance', externalId: '', source: 'jwt' },
      { type: 'group', value: 'Marketing', externalId: '', source: 'ticket' },
    ]);
    expect(second.groups).toEqual(['Admins', 'Finance', 'Marketing']);
    // The same login again changes nothing, not even the version a client holds for its next PUT.
    const again = await s.users.replaceLoginAttributes(u.id, 'ticket', [{ type: 'group', value: 'Marketing' }], ACTOR);
    expect(again.modifiedDate).toEqual(second.modifiedDate);
    expect(second.modifiedDate.getTime()).toBeGreaterThan(u.modifiedDate.getTime());
  });

  it('groups on update replace the QRS-set Group attributes only', async () => {
    const u = await s.users.create({ userDirectory: 'CORP', userId: unique('q'), groups: ['Old'] }, ACTOR);
    const withLogin = await s.users.replaceLoginAttributes(u.id, 'ticket', [{ type: 'group', value: 'FromTicket' }], ACTOR);
    const updated = await s.users.update(u.id, withLogin.modifiedDate, { groups: ['New'] }, ACTOR);
    expect(updated.groups).toEqual(['FromTicket', 'New']);
  });
});
