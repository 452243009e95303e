import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AssertedUser } from '@trustzone/contracts';
import { tailAuditLog } from '@trustzone/logging';
import { testProviders } from '../db/test-database';
import { EVERYONE_STREAM_ID } from '../seed/well-known-ids';
import { asUser, DEADLINE, startRepository, type RepositoryHarness } from '../test-support/repository-harness';
import { repositoryCalls, type Entity } from '../test-support/repository-calls';

describe.each(testProviders())('copying an app on %s', (provider) => {
  let h: RepositoryHarness;
  let q: ReturnType<typeof repositoryCalls>;
  let source: Entity;
  const admin = asUser('CORP', 'admin');
  // The script itself lives in the app file and is copied by the engine (CopyAppData, tested in
  // the security suite); the repository records whether the caller may take it.

  const copy = async (user: AssertedUser): Promise<Entity> => JSON.parse((await h.proxy.unary('CopyApp', { appId: source.id, name: '' }, { ...DEADLINE, user })).json) as Entity;
  const copyRecord = async (id: string) => (await tailAuditLog({ dir: h.site.paths.audit, filter: { action: 'app.copy', targetId: id } })).entries.at(-1);

  beforeAll(async () => {
    h = await startRepository(provider);
    q = repositoryCalls(h.proxy);
    source = await q.create('app', { name: 'payroll' }, admin);
    await q.publish(source.id, EVERYONE_STREAM_ID, admin);
    // Readers of the Everyone stream may also create apps through the API on this site.
    await q.create('systemrule', { name: 'readers create', resourceFilter: 'App_*', actions: 1, ruleContext: 0, rule: '!user.IsAnonymous()' }, admin);
  });
  afterAll(() => h?.stop());

  it('a caller who may read the app but not its script (no Update) gets a copy the record marks as without the script', async () => {
    const mine = await copy(asUser('CORP', 'reader'));
    expect(mine).toMatchObject({ name: 'payroll (copy)', owner: { userId: 'reader' }, published: false });
    expect(await copyRecord(mine.id)).toMatchObject({ actor: { user: 'CORP\\reader' }, details: { copiedFrom: source.id, script: 'withheld' } });
  });

  it('a caller who may read the script gets a copy the record marks as with the script', async () => {
    const full = await copy(admin);
    expect(await copyRecord(full.id)).toMatchObject({ details: { copiedFrom: source.id, script: 'copied' } });
  });
});
