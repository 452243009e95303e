import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ErrorCode } from '@trustzone/contracts';
import { TaskStatus } from '../db';
import { testProviders } from '../db/test-database';
import { SCHEDULER_USER } from '../scheduler/scheduler-identity';
import { asUser, DEADLINE, startRepository, type RepositoryHarness } from '../test-support/repository-harness';
import { failure, repositoryCalls, type Entity } from '../test-support/repository-calls';

/**
 * Scheduled reloads: INTERNAL\sa_scheduler has no rights of its own; PrepareReload honours it only
 * for a run the scheduler started on that very app, and the script then sees the app owner's
 * connections only.
 */
describe.each(testProviders())('scheduled reload plans on %s', (provider) => {
  let h: RepositoryHarness;
  let q: ReturnType<typeof repositoryCalls>;
  const admin = asUser('CORP', 'admin');
  const olga = asUser('CORP', 'olga', { context: 'hub' });
  let app: Entity;
  let other: Entity;
  let task: Entity;
  const plan = (appId: string, taskExecutionId: string, user = SCHEDULER_USER) => h.engine.unary('PrepareReload', { type: 'app', id: appId, privileges: false, taskExecutionId }, { ...DEADLINE, user });
  const run = async (status: number, appId = app.id) => {
    const id = randomUUID();
    const stores = h.repository.core.stores;
    await stores.executionResults.trigger({ id, taskId: task.id, appId, executionId: id, attempt: 1, trigger: 'manual', notBefore: new Date(), modifiedByUserName: 'test' });
    if (status === TaskStatus.Started) await stores.executionResults.claim(id, TaskStatus.Triggered, 1, 'test', new Date());
    return id;
  };

  beforeAll(async () => {
    h = await startRepository(provider, { TZ_SCHEDULER: 'false' });
    q = repositoryCalls(h.proxy);
    await q.create('user', { userDirectory: 'CORP', userId: 'olga', groups: ['Ops'] }, admin);
    await q.create('custompropertydefinition', { name: 'AccessGroup', objectTypes: ['DataConnection'] }, admin);
    await q.create('dataconnection', { name: 'ops', connectionString: 'ops', customProperties: [{ definition: { name: 'AccessGroup' }, value: 'Ops' }] }, admin);
    await q.create('dataconnection', { name: 'finance', connectionString: 'finance' }, admin);
    app = await q.create('app', { name: 'olga app' }, olga);
    other = await q.create('app', { name: 'other app' }, olga);
    task = await q.create('reloadtask', { name: 'olga nightly', app: { id: app.id } }, admin);
  });
  afterAll(() => h?.stop());

  it('a started run of this app: the owner\'s connections only, run as the scheduler (the engine reads the script from the app file)', async () => {
    const p = await plan(app.id, await run(TaskStatus.Started));
    expect(p).toMatchObject({ appId: app.id, runAs: 'INTERNAL\\sa_scheduler' });
    expect(p.connections.map((c) => c.name)).toEqual(['ops']);
  });

  it('refused: a run that is not in progress, a run of another app, a made-up run, and the scheduler without a run', async () => {
    expect((await failure(plan(app.id, await run(TaskStatus.Triggered)))).field).toBe('taskExecutionId');
    expect((await failure(plan(other.id, await run(TaskStatus.Started)))).code).toBe(ErrorCode.NotFound);
    expect((await failure(plan(app.id, randomUUID()))).code).toBe(ErrorCode.NotFound);
    expect((await failure(h.engine.unary('PrepareReload', { type: 'app', id: app.id, privileges: false, taskExecutionId: '' }, { ...DEADLINE, user: SCHEDULER_USER }))).code).toBe(ErrorCode.NotFound);
  });

  it('anyone else naming a run is refused, even the app owner and an administrator', async () => {
    const id = await run(TaskStatus.Started);
    for (const user of [olga, admin, asUser('INTERNAL', 'sa_api')]) expect((await failure(plan(app.id, id, user))).code).toBe(ErrorCode.PermissionDenied);
  });
});
