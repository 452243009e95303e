import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRepositoryStores, type RepositoryStores } from './repository-stores';
import { ACTOR, newUser, unique } from './store-fixtures';
import { createTestDatabase, type TestDatabase, testProviders } from './test-database';

const OWNERS = 200;
const STREAMS = 25;

describe.each(testProviders())('rule data loaders on %s', (provider) => {
  // The 10,000-app measurement runs on SQLite (the embedded default); PostgreSQL checks the same
  // loader at a size that keeps the suite quick.
  const APPS = provider === 'sqlite' ? 10_000 : 2_000;
  let t: TestDatabase;
  let s: RepositoryStores;
  beforeAll(async () => {
    t = await createTestDatabase(provider);
    s = createRepositoryStores(t.db);
  });
  afterAll(() => t?.dispose());

  it('loads the requesting user with roles, groups and custom properties by identity', async () => {
    const dept = await s.customPropertyDefinitions.create({ name: `Dept_${unique('u').slice(2).replace('-', '_')}`, objectTypes: ['User'] }, ACTOR);
    const u = await newUser(s, { roles: ['ContentAdmin'], groups: ['Sales'], customProperties: [{ definitionId: dept.id, value: 'EMEA' }] });
    const loaded = await s.ruleData.loadUser(u.userDirectory.toLowerCase(), u.userId);
    expect(loaded).toMatchObject({ id: u.id, roles: ['ContentAdmin'], groups: ['Sales'], customProperties: [{ name: dept.name, value: 'EMEA' }] });
  });

  it('loads app objects with their apps, the apps’ streams and every owner involved', async () => {
    const objOwner = await newUser(s);
    const appOwner = await newUser(s);
    const stream = await s.streams.create({ name: unique('s'), ownerId: appOwner.id }, ACTOR);
    const app = await s.apps.create({ name: unique('a'), ownerId: appOwner.id, streamId: stream.id, published: true }, ACTOR);
    const sheet = await s.appObjects.create({ appId: app.id, objectType: 'sheet', ownerId: objOwner.id }, ACTOR);
    const graph = await s.ruleData.loadAppObjectGraph({ appId: app.id });
    expect(graph.objects.map((o) => o.id)).toEqual([sheet.id]);
    expect(graph.apps.map((a) => a.id)).toEqual([app.id]);
    expect([...graph.streams.keys()]).toEqual([stream.id]);
    expect([...graph.users.keys()].sort()).toEqual([objOwner.id, appOwner.id].sort());
  });

  it(`loads ${APPS} apps with owners, streams, custom properties and tags in one batch`, async () => {
    // Bulk setup straight through Prisma (the stores' per-row transactions would dominate the test).
    const now = new Date();
    const meta = { createdDate: now, modifiedDate: now, modifiedByUserName: ACTOR };
    const owners = Array.from({ length: OWNERS }, (_, i) => ({ id: randomUUID(), userDirectory: 'BULK', userId: `u${i}`, identityKey: `bulk\\u${i}`, name: `User ${i}`, ...meta }));
    const streams = Array.from({ length: STREAMS }, (_, i) => ({ id: randomUUID(), name: `Stream ${i}`, ownerId: owners[i]!.id, ...meta }));
    const region = await s.customPropertyDefinitions.create({ name: `Region_${unique('r').slice(2).replace('-', '_')}`, objectTypes: ['App', 'User', 'Stream'] }, ACTOR);
    const tag = await s.tags.create({ name: unique('bulk') }, ACTOR);
    const apps = Array.from({ length: APPS }, (_, i) => {
      const stream = i % 2 === 0 ? streams[i % STREAMS]! : null;
      return { id: randomUUID(), name: `App ${i}`, ownerId: owners[i % OWNERS]!.id, streamId: stream?.id ?? null, published: stream !== null, ...meta };
    });
    await t.db.user.createMany({ data: owners });
    await t.db.stream.createMany({ data: streams });
    for (let i = 0; i < APPS; i += 1000) {
      const chunk = apps.slice(i, i + 1000);
      await t.db.app.createMany({ data: chunk });
      await t.db.customPropertyValue.createMany({ data: chunk.map((a, j) => ({ definitionId: region.id, value: `R${(i + j) % 7}`, appId: a.id })) });
      await t.db.tagLink.createMany({ data: chunk.filter((_, j) => (i + j) % 3 === 0).map((a) => ({ tagId: tag.id, appId: a.id })) });
    }
    await t.db.customPropertyValue.createMany({ data: owners.map((o) => ({ definitionId: region.id, value: 'owner-region', userRef: o.id })) });

    const timed = async <T>(label: string, fn: () => Promise<T>) => {
      const started = performance.now();
      const result = await fn();
      console.info(`[bench] ${provider}: ${label} in ${(performance.now() - started).toFixed(0)} ms`);
      return result;
    };
    const all = await timed(`loadAppGraph() over ${await s.apps.count()} apps (${OWNERS} owners, ${STREAMS} streams, custom properties, tags)`, () => s.ruleData.loadAppGraph());
    expect(all.apps).toHaveLength(await s.apps.count());
    const graph = await timed(`loadAppGraph({ ids: ${APPS} ids })`, () => s.ruleData.loadAppGraph({ ids: apps.map((a) => a.id) }));

    expect(graph.apps).toHaveLength(APPS);
    // Compared in plain code and reported once: 40,000 expect() calls would dominate the test time.
    const byId = new Map(graph.apps.map((a) => [a.id, a]));
    const mismatches = apps.flatMap((a, i) => {
      const got = byId.get(a.id);
      const cps = got?.customProperties ?? [];
      const ok = got !== undefined && got.owner.id === a.ownerId && (got.stream?.id ?? null) === a.streamId
        && cps.length === 1 && cps[0]!.definitionId === region.id && cps[0]!.name === region.name && cps[0]!.value === `R${i % 7}`
        && got.tags.length === (i % 3 === 0 ? 1 : 0);
      return ok ? [] : [a.id];
    });
    expect(mismatches).toEqual([]);
    expect(new Set(graph.users.keys())).toEqual(new Set(owners.map((o) => o.id)));
    expect(new Set(graph.streams.keys())).toEqual(new Set(streams.map((x) => x.id)));
    expect(graph.users.get(owners[0]!.id)!.customProperties.map((c) => c.value)).toEqual(['owner-region']);
  });
});
