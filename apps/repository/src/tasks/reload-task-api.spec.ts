import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ErrorCode } from '@trustzone/contracts';
import { testProviders } from '../db/test-database';
import { asUser, DEADLINE, startRepository, type RepositoryHarness } from '../test-support/repository-harness';
import { failure, repositoryCalls, type Entity } from '../test-support/repository-calls';

/** The /qrs reload task surface through the Repository RPCs the proxy calls (the scheduler is off here). */
describe.each(testProviders())('reload tasks through the API on %s', (provider) => {
  let h: RepositoryHarness;
  let q: ReturnType<typeof repositoryCalls>;
  const admin = asUser('CORP', 'admin');
  const tina = asUser('CORP', 'tina', { context: 'hub' });
  let app: Entity;
  const rpc = (method: string, req: unknown, user = admin) => (h.proxy.unary as (m: string, r: unknown, o: unknown) => Promise<{ json: string }>)(method, req, { ...DEADLINE, user });
  const createBody = (appId: string, name: string) => ({
    task: { app: { id: appId }, name },
    schemaEvents: [{ timeZone: 'Europe/Paris', daylightSavingTime: 0, startDate: '2099-01-11T12:05:46.000', expirationDate: '9999-01-01T00:00:00.000', schemaFilterDescription: ['* * - * * * * *'], incrementDescription: '0 0 1 0', incrementOption: '2', name: 'Daily', enabled: true }],
    compositeEvents: [] as unknown[],
  });

  beforeAll(async () => {
    h = await startRepository(provider, { TZ_SCHEDULER: 'false' });
    q = repositoryCalls(h.proxy);
    app = await q.create('app', { name: 'Sales' }, admin);
  });
  afterAll(() => h?.stop());

  it('POST /qrs/reloadtask/create makes the task and its triggers in Qlik\'s shapes; lists, counts and filters see them', async () => {
    const task = JSON.parse((await rpc('CreateReloadTask', { json: JSON.stringify(createBody(app.id, 'nightly')) })).json) as Entity;
    expect(task).toMatchObject({ name: 'nightly', taskType: 0, enabled: true, taskSessionTimeout: 1440, maxRetries: 0, app: { id: app.id, name: 'Sales' }, schemaPath: 'ReloadTask' });
    const events = await q.list('schemaevent', admin, { filter: `reloadTask.id eq ${task.id}`, full: true });
    expect(events).toHaveLength(1);
    // 12:05:46 in Paris on 2099-01-11 is 11:05:46 UTC (winter time); nextExecution is that instant.
    expect(events[0]).toMatchObject({ name: 'Daily', eventType: 0, incrementOption: 2, timeZone: 'Europe/Paris', startDate: '2099-01-11T12:05:46.000', reloadTask: { id: task.id, taskType: 0 } });
    expect((events[0]!['operational'] as { nextExecution: string }).nextExecution).toBe(new Date(Date.UTC(2099, 0, 11, 11, 5, 46)).toISOString());
    expect((task['operational'] as { nextExecution: string }).nextExecution).toBe(new Date(Date.UTC(2099, 0, 11, 11, 5, 46)).toISOString());
    const chain = await q.create('compositeevent', { name: 'after nightly', reloadTask: { id: task.id }, timeConstraint: { days: 0, hours: 1, minutes: 0, seconds: 0 }, compositeRules: [{ reloadTask: { id: task.id }, ruleState: 2 }] }, admin);
    expect(chain).toMatchObject({ eventType: 1, timeConstraint: { days: 0, hours: 1, minutes: 0, seconds: 0 }, compositeRules: [{ ruleState: 2, reloadTask: { id: task.id } }] });
    expect(await q.count('reloadtask', admin, "name eq 'nightly'")).toBe(1);
    const condensed = await q.list('reloadtask', admin, { filter: "(name eq 'nightly') and taskType eq 0" });
    expect(Object.keys(condensed[0]!).sort()).toEqual(['enabled', 'id', 'name', 'operational', 'taskType']);
    // Deleting the task takes its triggers with it.
    await q.remove('reloadtask', task.id, admin);
    expect(await q.count('schemaevent', admin, `reloadTask.id eq ${task.id}`)).toBe(0);
    expect(await q.count('compositeevent', admin, `id eq ${chain.id}`)).toBe(0);
  });

  it('refuses what it cannot schedule by naming the field, and writes nothing then', async () => {
    const bad = createBody(app.id, 'broken');
    (bad.schemaEvents[0] as Record<string, unknown>)['timeZone'] = 'Mars/Olympus';
    expect(await failure(rpc('CreateReloadTask', { json: JSON.stringify(bad) }))).toMatchObject({ code: ErrorCode.InvalidArgument, field: 'body.schemaEvents.0.timeZone' });
    const filter = createBody(app.id, 'broken');
    (filter.schemaEvents[0] as Record<string, unknown>)['schemaFilterDescription'] = ['0 6 - * * * * *'];
    expect((await failure(rpc('CreateReloadTask', { json: JSON.stringify(filter) }))).field).toBe('body.schemaEvents.0.schemaFilterDescription.0');
    expect((await failure(q.create('reloadtask', { name: 'x', app: { id: app.id }, tags: [{ name: 'a' }] }, admin))).field).toBe('body.tags');
    expect((await failure(q.create('reloadtask', { name: 'x', app: { id: app.id }, taskType: 1 }, admin))).field).toBe('body.taskType');
    expect(await q.count('reloadtask', admin, "name eq 'broken'")).toBe(0);
  });

  it('creating a task needs Create on the task and Update on its app; starting one needs Update on the task', async () => {
    const own = await q.create('app', { name: 'tina app' }, tina);
    expect((await failure(q.create('reloadtask', { name: 't', app: { id: own.id } }, tina))).code).toBe(ErrorCode.PermissionDenied);
    await q.create('systemrule', { name: 'tina tasks', resourceFilter: 'ReloadTask_*', actions: 1 | 2 | 4, ruleContext: 0, rule: 'user.userId = "tina"' }, admin);
    const mine = await q.create('reloadtask', { name: 'tina task', app: { id: own.id } }, tina);
    expect((await failure(q.create('reloadtask', { name: 'not hers', app: { id: app.id } }, tina))).code).toBe(ErrorCode.InvalidArgument);
    // An app she can read but not update: the task is refused for the app.
    await q.create('systemrule', { name: 'tina reads Sales', resourceFilter: `App_${app.id}`, actions: 2, ruleContext: 0, rule: 'user.userId = "tina"' }, admin);
    expect((await failure(q.create('reloadtask', { name: 'not hers', app: { id: app.id } }, tina))).code).toBe(ErrorCode.PermissionDenied);
    const started = JSON.parse((await rpc('StartTask', { taskId: mine.id, name: '', synchronous: false }, tina)).json) as { value: string };
    expect(started.value).toMatch(/^[0-9a-f-]{36}$/);
    const results = await q.list('executionresult', admin, { filter: `executionID eq ${started.value}`, full: true });
    expect(results).toMatchObject([{ id: started.value, status: 1, taskID: mine.id, appID: own.id }]);
    const sam = asUser('CORP', 'sam', { context: 'hub' });
    expect((await failure(rpc('StartTask', { taskId: mine.id, name: '', synchronous: false }, sam))).code).toBe(ErrorCode.NotFound);
  });

  it('execution results are read-only for clients', async () => {
    expect((await failure(q.create('executionresult', { status: 7 }, admin))).code).toBe(ErrorCode.InvalidArgument);
    const any = (await q.list('executionresult', admin))[0]!;
    const full = await q.get('executionresult', any.id, admin);
    expect((await failure(q.update('executionresult', any.id, { ...full, status: 7 }, admin))).code).toBe(ErrorCode.InvalidArgument);
  });
});
