import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { httpRequest } from '@trustzone/site-harness';
import { startConformanceSite, type ConformanceSite } from './test-support/conformance-site';
import { qlikRepoApi, qrsInteract, type QrsInteract } from './test-support/qlik-clients';

// Reload tasks and the scheduler, driven by qrs-interact and qlik-repo-api as their READMEs use them.
// Expected values come from the inputs: the due time from the trigger we write, row counts from the
// inline data of the scripts.

interface Result { id: string; status: number; startTime: string | null; stopTime: string | null; executionID: string; executingNodeName: string; fileReferenceID: string; scriptLogAvailable: boolean }
const ROWS = 25;
const SCRIPT = (table: string) => `${table}: LOAD * INLINE [\nN, Twice\n${Array.from({ length: ROWS }, (_, i) => `${i + 1}, ${2 * (i + 1)}`).join('\n')}\n];`;
/** A wall-clock time in UTC as Qlik's schema events write it, `ms` from now, on a whole second. */
const dueIn = (ms: number) => {
  const at = Math.ceil((Date.now() + ms) / 1000) * 1000;
  return { at, text: new Date(at).toISOString().slice(0, 23) };
};
const onceAt = (text: string) => ({ timeZone: 'UTC', daylightSavingTime: 0, startDate: text, expirationDate: '9999-01-01T00:00:00.000', schemaFilterDescription: ['* * - * * * * *'], incrementDescription: '0 0 0 0', incrementOption: 0, name: `once at ${text}`, enabled: true });

async function results(qrs: QrsInteract, taskId: string): Promise<Result[]> {
  return (await qrs.Get(`executionresult/full?filter=(taskID eq ${taskId})`)).body as Result[];
}

async function finished(qrs: QrsInteract, taskId: string, n = 1, timeoutMs = 30_000): Promise<Result[]> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const r = await results(qrs, taskId);
    if (r.filter((x) => x.status >= 6).length >= n) return r;
    if (Date.now() > until) throw new Error(`task ${taskId}: ${n} finished run(s) expected, have ${JSON.stringify(r.map((x) => x.status))}`);
    await sleep(100);
  }
}

async function appWithScript(s: ConformanceSite, name: string): Promise<string> {
  const app = await s.admin('POST', '/qrs/app', { name });
  const id = (app.json as { id: string }).id;
  expect((await s.admin('PUT', `/qrs/app/${id}/script`, { script: SCRIPT(name.replace(/\W/g, '')) })).status).toBe(200);
  return id;
}

function scenarios(label: string, start: () => Promise<ConformanceSite>) {
  describe(label, () => {
    let s: ConformanceSite;
    let qrs: QrsInteract;
    beforeAll(async () => {
      s = await start();
      qrs = qrsInteract(s);
    }, 240_000);
    afterAll(() => s?.stop());

    it('a task created with a schema event through POST /qrs/reloadtask/create fires within 2 s of its time, exactly once', async () => {
      const appId = await appWithScript(s, 'Scheduled');
      const due = dueIn(4_000);
      const created = await qrs.Post('reloadtask/create', { task: { app: { id: appId }, name: 'scheduled once' }, schemaEvents: [onceAt(due.text)], compositeEvents: [] }, 'json');
      expect(created.statusCode).toBe(201);
      const task = created.body as { id: string; taskType: number; operational: { nextExecution: string } };
      expect(task.taskType).toBe(0);
      expect(Date.parse(task.operational.nextExecution)).toBe(due.at);
      const [run] = await finished(qrs, task.id);
      expect(run!.status).toBe(7);
      const late = Date.parse(run!.startTime as string) - due.at;
      expect(late).toBeGreaterThanOrEqual(0);
      expect(late).toBeLessThanOrEqual(2_000);
      // Every repository has had several ticks since: still exactly one run.
      await sleep(2_000);
      expect(await results(qrs, task.id)).toHaveLength(1);
      const app = (await qrs.Get(`app/${appId}`)).body as { lastReloadTime: string | null };
      expect(Date.parse(app.lastReloadTime as string)).toBeGreaterThanOrEqual(due.at);
    });

    it('a composite event chains two tasks (qlik-repo-api), started synchronously; the run\'s script log is readable once', async () => {
      const api = await qlikRepoApi(s);
      const firstApp = await appWithScript(s, 'Extract');
      const secondApp = await appWithScript(s, 'Transform');
      const first = (await qrs.Post('reloadtask', { name: 'extract', app: { id: firstApp } }, 'json')).body as { id: string };
      const second = (await qrs.Post('reloadtask', { name: 'transform', app: { id: secondApp } }, 'json')).body as { id: string };
      const trigger = await api.compositeTriggers.create({ name: 'after extract', task: { id: second.id }, eventTasks: [{ id: first.id, state: 'success' }] });
      expect(trigger.details).toMatchObject({ eventType: 1, compositeRules: [{ ruleState: 1, reloadTask: { id: first.id } }] });
      const task = await api.tasks.get({ id: first.id });
      expect(task.details.taskType).toBe(0);
      const started = await task.startSynchronous();
      expect(started.data.value).toMatch(/^[0-9a-f]{8}-/);
      expect(started.data.value).not.toBe('00000000-0000-0000-0000-000000000000');
      const [firstRun] = await finished(qrs, first.id);
      expect(firstRun).toMatchObject({ id: started.data.value, executionID: started.data.value, status: 7, scriptLogAvailable: true });
      const [secondRun] = await finished(qrs, second.id);
      expect(secondRun!.status).toBe(7);
      expect(Date.parse(secondRun!.startTime as string)).toBeGreaterThanOrEqual(Date.parse(firstRun!.stopTime as string));

      const link = await qrs.Get(`reloadtask/${first.id}/scriptlog?fileReferenceId=${firstRun!.fileReferenceID}`);
      const ticket = link.body as string;
      const path = `/qrs/download/reloadtask/${ticket}/extract.log`;
      const asAdmin = { cert: s.certs, headers: { 'X-Qlik-User': 'UserDirectory=CORP; UserId=admin' } };
      const log = await httpRequest(s.site, s.site.ports.proxyApi, path, asAdmin);
      expect(log.status).toBe(200);
      expect(log.text).toContain(`Extract << ${ROWS} rows fetched`);
      expect(log.text).toContain('Execution finished.');
      expect((await httpRequest(s.site, s.site.ports.proxyApi, path, asAdmin)).status).toBe(404);
    });

    it('a failing task is retried as configured; each attempt is an execution result of the same run', async () => {
      const appId = (await s.admin('POST', '/qrs/app', { name: 'Broken' })).json as { id: string };
      expect((await s.admin('PUT', `/qrs/app/${appId.id}/script`, { script: 'LOAD * FROM [lib://nowhere/x.csv] (txt);' })).status).toBe(200);
      const task = (await qrs.Post('reloadtask', { name: 'broken', app: { id: appId.id }, maxRetries: 1 }, 'json')).body as { id: string };
      const started = (await qrs.Post(`task/${task.id}/start/synchronous`, {}, 'json')).body as { value: string };
      const runs = await finished(qrs, task.id, 2);
      expect(runs.map((r) => [r.executionID, r.status])).toEqual([[started.value, 8], [started.value, 8]]);
    });
  });
}

scenarios('one repository on SQLite', () => startConformanceSite());

if (process.env['TZ_TEST_PG_URL']) {
  scenarios('two repositories on PostgreSQL', () => startConformanceSite({ postgres: true, repositories: 2 }));

  describe('two repositories on PostgreSQL: the scheduler lease', () => {
    let s: ConformanceSite;
    beforeAll(async () => {
      s = await startConformanceSite({ postgres: true, repositories: 2 });
    }, 240_000);
    afterAll(() => s?.stop());

    it('when the leading repository dies (SIGKILL), the other takes over once the lease expires and fires the next trigger exactly once', async () => {
      const qrs = qrsInteract(s);
      const appId = await appWithScript(s, 'Takeover');
      const due = dueIn(3_000);
      const task = (await qrs.Post('reloadtask/create', { task: { app: { id: appId }, name: 'takeover' }, schemaEvents: [onceAt(due.text)] }, 'json')).body as { id: string };
      const [first] = await finished(qrs, task.id);
      const portOf = (r: Result) => Number(r.executingNodeName.split(':')[1]);
      const leader = s.repositories.find((r) => r.port === portOf(first!))!;
      const survivor = s.repositories.find((r) => r !== leader)!;
      await s.site.supervisor.kill(leader.label, 'SIGKILL');
      // The proxy and the engine use the first repository: bring it back when it was the one killed.
      // The restarted process is a new lease holder (holder ids are per process), so once the dead
      // holder's lease expires it races the survivor for it, fairly: either may fire the trigger,
      // but exactly one does.
      const restarted = leader.label === 'repository';
      if (restarted) await s.site.supervisor.startService('repository', leader.env, leader.label);
      const next = dueIn(5_000);
      expect((await qrs.Post('schemaevent', { ...onceAt(next.text), reloadTask: { id: task.id } }, 'json')).statusCode).toBe(201);
      const runs = await finished(qrs, task.id, 2, 40_000);
      await sleep(1_500);
      expect(await results(qrs, task.id)).toHaveLength(2);
      const second = runs.find((r) => r.id !== first!.id)!;
      expect(second.status).toBe(7);
      if (restarted) expect([survivor.port, leader.port]).toContain(portOf(second));
      else expect(portOf(second)).toBe(survivor.port);
    });
  });
}
