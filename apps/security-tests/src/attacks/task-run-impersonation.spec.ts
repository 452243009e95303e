import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EngineService, ErrorCode, TrustZoneClient, trustZoneTls, type EngineDefinition } from '@trustzone/contracts';
import { identityAllowList, openTrustStore, sitePaths } from '@trustzone/trust';
import { ADMIN, ok, startAttackSite, type AttackSite } from '../test-support/attack-site';

// Elevation of privilege › scheduled reloads. The scheduler runs task reloads as INTERNAL\sa_scheduler
// with the id of a run it started; that pair is honoured only from the repository and only for a run
// in progress. Neither the proxy's identity nor a front-door user calling itself sa_scheduler gets a
// reload, a task start or a result out of it.
let a: AttackSite;
let appId: string;
let taskId: string;
const SA = 'INTERNAL\\sa_scheduler';

beforeAll(async () => {
  a = await startAttackSite();
  appId = ok<{ id: string }>(await a.as(ADMIN, 'POST', '/qrs/app', { name: 'payroll' }), 'app').id;
  ok(await a.as(ADMIN, 'PUT', `/qrs/app/${appId}/script`, { script: 'T: LOAD * INLINE [\nA\n1\n];' }), 'script');
  taskId = ok<{ id: string }>(await a.as(ADMIN, 'POST', '/qrs/reloadtask', { name: 'payroll nightly', app: { id: appId } }), 'task').id;
}, 180_000);

afterAll(async () => {
  await a?.stop();
});

describe('Elevation of privilege › scheduled reloads', () => {
  it('the proxy identity cannot make the engine run a reload as a task run', async () => {
    const store = openTrustStore({ certsDir: sitePaths(a.site.dataDir).certs, name: 'proxy' });
    const engine = new TrustZoneClient<EngineDefinition>(EngineService, { address: `localhost:${a.site.ports.engine}`, tls: trustZoneTls(store), expect: identityAllowList(['engine']) });
    try {
      const user = { userDirectory: 'INTERNAL', userId: 'sa_scheduler', context: 'management' as const, attributes: {}, anonymous: false, ip: '', secure: true };
      const attempt = async () => {
        for await (const _ of engine.serverStream('Reload', { appId, taskExecutionId: randomUUID() }, { deadlineMs: 10_000, user })) void _;
      };
      await expect(attempt()).rejects.toMatchObject({ code: ErrorCode.PermissionDenied });
    } finally {
      engine.close();
      store.close();
    }
  });

  it('a front-door caller named INTERNAL\\sa_scheduler has no task, reload or result rights', async () => {
    expect((await a.as(SA, 'POST', `/qrs/task/${taskId}/start/synchronous`, {})).status).toBe(404);
    expect((await a.as(SA, 'POST', `/qrs/app/${appId}/reload`)).status).toBe(404);
    const started = ok<{ value: string }>(await a.as(ADMIN, 'POST', `/qrs/task/${taskId}/start/synchronous`, {}), 'admin start');
    expect(ok<unknown[]>(await a.as(SA, 'GET', '/qrs/executionresult'), 'results')).toEqual([]);
    expect((await a.as(SA, 'GET', `/qrs/executionresult/${started.value}`)).status).toBe(404);
  });
});
