import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DbErrorCode } from './db.error';
import { createRepositoryStores, type RepositoryStores } from './repository-stores';
import { ACTOR, newApp, newStream, newUser, unique } from './store-fixtures';
import { createTestDatabase, type TestDatabase, testProviders } from './test-database';

describe.each(testProviders())('apps, streams and app objects on %s', (provider) => {
  let t: TestDatabase;
  let s: RepositoryStores;
  beforeAll(async () => {
    t = await createTestDatabase(provider);
    s = createRepositoryStores(t.db);
  });
  afterAll(() => t?.dispose());

  it('creates an app with owner and reads it back (no script: it lives in the app file)', async () => {
    const owner = await newUser(s, { name: 'Owner' });
    const app = await s.apps.create({ name: 'Sales', description: 'd', ownerId: owner.id, fileSize: 3_000_000_000 }, ACTOR);
    expect(app).toMatchObject({ name: 'Sales', description: 'd', published: false, stream: null, publishTime: null, fileSize: 3_000_000_000, engineNode: null });
    expect(app.owner).toEqual({ id: owner.id, userId: owner.userId, userDirectory: owner.userDirectory, name: 'Owner' });
    expect(app).not.toHaveProperty('script');
    expect(await s.apps.get(app.id)).toEqual(app);
  });

  it('publishes into a stream only together with published=true, and unpublishes only without a stream', async () => {
    const stream = await newStream(s);
    const app = await newApp(s);
    await expect(s.apps.update(app.id, app.modifiedDate, { streamId: stream.id }, ACTOR)).rejects.toMatchObject({ code: DbErrorCode.InvalidInput, field: 'published' });
    const when = new Date('2026-01-02T03:04:05.678Z');
    const published = await s.apps.update(app.id, app.modifiedDate, { streamId: stream.id, published: true, publishTime: when }, ACTOR);
    expect(published).toMatchObject({ published: true, stream: { id: stream.id, name: stream.name }, publishTime: when });
    await expect(s.apps.update(app.id, published.modifiedDate, { published: false }, ACTOR)).rejects.toMatchObject({ code: DbErrorCode.InvalidInput });
    await expect(s.apps.create({ name: 'x', ownerId: app.owner.id, published: true }, ACTOR)).rejects.toMatchObject({ code: DbErrorCode.InvalidInput });
    const back = await s.apps.update(app.id, published.modifiedDate, { streamId: null, published: false }, ACTOR);
    expect(back).toMatchObject({ published: false, stream: null });
  });

  it('refuses references to nothing (owner, stream) as invalid input', async () => {
    const ghost = '00000000-0000-4000-8000-0000000000aa';
    await expect(s.apps.create({ name: 'x', ownerId: ghost }, ACTOR)).rejects.toMatchObject({ code: DbErrorCode.InvalidInput });
    const app = await newApp(s);
    await expect(s.apps.update(app.id, app.modifiedDate, { ownerId: ghost }, ACTOR)).rejects.toMatchObject({ code: DbErrorCode.InvalidInput });
    expect(await s.apps.get(app.id)).toEqual(app);
  });

  it('a stream that holds apps cannot be deleted; an empty one can', async () => {
    const stream = await newStream(s);
    const owner = await newUser(s);
    const app = await s.apps.create({ name: 'p', ownerId: owner.id, streamId: stream.id, published: true }, ACTOR);
    await expect(s.streams.delete(stream.id)).rejects.toMatchObject({ code: DbErrorCode.InUse });
    await s.apps.delete(app.id);
    await s.streams.delete(stream.id);
    await expect(s.streams.get(stream.id)).rejects.toMatchObject({ code: DbErrorCode.NotFound });
  });

  it('app objects belong to their app: listed per app, deleted with it', async () => {
    const app = await newApp(s);
    const sheet = await s.appObjects.create({ appId: app.id, objectType: 'sheet', name: 'Overview', ownerId: app.owner.id, published: true }, ACTOR);
    const bookmark = await s.appObjects.create({ appId: app.id, objectType: 'bookmark', ownerId: app.owner.id }, ACTOR);
    expect(sheet).toMatchObject({ objectType: 'sheet', name: 'Overview', published: true, approved: false, app: { id: app.id, name: app.name } });
    expect((await s.appObjects.listByApp(app.id)).map((o) => o.id)).toEqual([sheet.id, bookmark.id]);
    const approved = await s.appObjects.update(sheet.id, sheet.modifiedDate, { approved: true }, ACTOR);
    expect(approved.approved).toBe(true);
    await expect(s.appObjects.update(sheet.id, sheet.modifiedDate, { approved: false }, ACTOR)).rejects.toMatchObject({ code: DbErrorCode.Conflict });
    await expect(s.appObjects.update(sheet.id, approved.modifiedDate, { appId: app.id } as never, ACTOR)).rejects.toMatchObject({ code: DbErrorCode.InvalidInput });
    await s.apps.delete(app.id);
    await expect(s.appObjects.get(sheet.id)).rejects.toMatchObject({ code: DbErrorCode.NotFound });
    expect(await s.appObjects.listByApp(app.id)).toEqual([]);
  });

  it('stores custom property values and tags on apps, streams and objects, sorted, replaced on update', async () => {
    const dept = await s.customPropertyDefinitions.create({ name: unique('Dept').replace('-', '_'), objectTypes: ['App', 'Stream', 'App.Object'] }, ACTOR);
    const region = await s.customPropertyDefinitions.create({ name: unique('Region').replace('-', '_'), objectTypes: ['App'], choiceValues: ['EMEA', 'APAC'] }, ACTOR);
    const [t1, t2] = [await s.tags.create({ name: unique('b-tag') }, ACTOR), await s.tags.create({ name: unique('a-tag') }, ACTOR)];
    const app = await newApp(s, {
      customProperties: [{ definitionId: region.id, value: 'EMEA' }, { definitionId: dept.id, value: 'Sales' }, { definitionId: dept.id, value: 'Finance' }, { definitionId: dept.id, value: 'Sales' }],
      tagIds: [t1.id, t2.id, t1.id],
    });
    expect(app.customProperties).toEqual(
      [{ definitionId: dept.id, name: dept.name, value: 'Finance' }, { definitionId: dept.id, name: dept.name, value: 'Sales' }, { definitionId: region.id, name: region.name, value: 'EMEA' }].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : a.value < b.value ? -1 : 1)),
    );
    expect(app.tags.map((x) => x.id)).toEqual([t1, t2].sort((a, b) => (a.name < b.name ? -1 : 1)).map((x) => x.id));
    const updated = await s.apps.update(app.id, app.modifiedDate, { customProperties: [{ definitionId: region.id, value: 'APAC' }] }, ACTOR);
    expect(updated.customProperties).toEqual([{ definitionId: region.id, name: region.name, value: 'APAC' }]);
    expect(updated.tags).toEqual(app.tags);
    const stream = await s.streams.create({ name: unique('s'), customProperties: [{ definitionId: dept.id, value: 'Ops' }], tagIds: [t2.id] }, ACTOR);
    expect(stream.customProperties.map((c) => c.value)).toEqual(['Ops']);
    await s.tags.delete(t2.id);
    expect((await s.streams.get(stream.id)).tags).toEqual([]);
    await s.customPropertyDefinitions.delete(dept.id);
    expect((await s.streams.get(stream.id)).customProperties).toEqual([]);
  });

  it('refuses custom property values that are unknown, not for this type or not a choice, and unknown tags', async () => {
    const forUsers = await s.customPropertyDefinitions.create({ name: unique('U').replace('-', '_'), objectTypes: ['User'] }, ACTOR);
    const choice = await s.customPropertyDefinitions.create({ name: unique('C').replace('-', '_'), objectTypes: ['App'], choiceValues: ['a'] }, ACTOR);
    const num = await s.customPropertyDefinitions.create({ name: unique('N').replace('-', '_'), objectTypes: ['App'], valueType: 'Number' }, ACTOR);
    const app = await newApp(s);
    const attempts = [
      { customProperties: [{ definitionId: '00000000-0000-4000-8000-0000000000cc', value: 'x' }] },
      { customProperties: [{ definitionId: forUsers.id, value: 'x' }] },
      { customProperties: [{ definitionId: choice.id, value: 'b' }] },
      { customProperties: [{ definitionId: num.id, value: 'ten' }] },
      { tagIds: ['00000000-0000-4000-8000-0000000000dd'] },
    ];
    for (const patch of attempts) {
      await expect(s.apps.update(app.id, app.modifiedDate, patch, ACTOR)).rejects.toMatchObject({ code: DbErrorCode.InvalidInput });
    }
    expect(await s.apps.get(app.id)).toEqual(app);
    expect((await s.apps.update(app.id, app.modifiedDate, { customProperties: [{ definitionId: num.id, value: '10.5' }] }, ACTOR)).customProperties).toHaveLength(1);
  });

  it('lists apps with owner, stream, custom properties and tags in one call', async () => {
    const owner = await newUser(s);
    const stream = await newStream(s);
    const a = await s.apps.create({ name: unique('l'), ownerId: owner.id, streamId: stream.id, published: true }, ACTOR);
    const b = await s.apps.create({ name: unique('l'), ownerId: owner.id }, ACTOR);
    const listed = await s.apps.list({ ids: [a.id, b.id] });
    expect(listed).toEqual([a, b]);
  });
});
