import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { asUser, startRepository, type RepositoryHarness } from '../test-support/repository-harness';
import { repositoryCalls, type Entity } from '../test-support/repository-calls';

// An app's list JSON is kept per record (SiteCache.recordMemo): creating other apps keeps it, while
// a change to anything it shows (the app itself, its stream's name, its owner's name) must show in
// the very next list. Over real gRPC on SQLite; each expectation is the value the test just wrote.
describe('app list JSON kept per record', () => {
  let h: RepositoryHarness;
  let q: ReturnType<typeof repositoryCalls>;
  const admin = asUser('CORP', 'admin');
  const appRow = async (id: string) => (await q.list('app', admin, { full: true })).find((a) => a.id === id)!;

  beforeAll(async () => {
    h = await startRepository('sqlite');
    q = repositoryCalls(h.proxy);
  });
  afterAll(() => h?.stop());

  it('follows renames of the app, its stream and its owner, and survives other apps being created', async () => {
    const owner = await q.create('user', { userDirectory: 'CORP', userId: 'olga', name: 'Olga' }, admin);
    const stream = await q.create('stream', { name: 'Finance' }, admin);
    const app = await q.create('app', { name: 'Ledger', owner: { id: owner.id } }, admin);
    await q.publish(app.id, stream.id, admin);
    const first = await appRow(app.id);
    expect(first).toMatchObject({ name: 'Ledger', stream: { id: stream.id, name: 'Finance' }, owner: { id: owner.id, name: 'Olga' } });

    for (let i = 0; i < 3; i++) await q.create('app', { name: `Other ${i}` }, admin);
    expect(await appRow(app.id)).toEqual(first);

    const s = await q.get('stream', stream.id, admin);
    await q.update('stream', stream.id, { name: 'Finance EU', modifiedDate: s.modifiedDate }, admin);
    expect((await appRow(app.id))['stream']).toEqual({ id: stream.id, name: 'Finance EU' });

    const u = await q.get('user', owner.id, admin);
    await q.update('user', owner.id, { name: 'Olga N.', modifiedDate: u.modifiedDate }, admin);
    expect((await appRow(app.id))['owner']).toMatchObject({ id: owner.id, name: 'Olga N.' });

    const current = (await q.get('app', app.id, admin)) as Entity;
    await q.update('app', app.id, { name: 'Ledger 2027', modifiedDate: current.modifiedDate }, admin);
    const renamed = await appRow(app.id);
    expect(renamed['name']).toBe('Ledger 2027');
    expect(renamed['modifiedDate']).not.toBe(first['modifiedDate']);
  });
});
