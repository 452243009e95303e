import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EngineService, ErrorCode, TrustZoneClient, trustZoneTls, type EngineDefinition } from '@trustzone/contracts';
import { identityAllowList, openTrustStore, sitePaths } from '@trustzone/trust';
import { ADMIN, ok, startAttackSite, type AttackSite } from '../test-support/attack-site';

// Elevation of privilege › scheduled reloads. The scheduler runs task reloads as INTERNAL\sa_scheduler
// with the id of a run it started; that pair is honoured only from the repository and only for a run
// in progress. The proxy's identity cannot make the engine run one, and no front-door login can be
// sa_scheduler (a root administrator by the shipped ServiceAccount rule, assertable only with an
// integration certificate on the API port).
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

  it('no front-door login can be INTERNAL\\sa_scheduler (a root administrator by the ServiceAccount rule)', async () => {
    // Only an integration certificate on the API port may act as a service account (service-accounts.spec.ts);
    // a portal cannot get a ticket or a session for it, so no browser ever holds its rights.
    const ticket = await a.api('/qps/ticket', { method: 'POST', body: { UserDirectory: 'INTERNAL', UserId: 'sa_scheduler', Attributes: [] } });
    expect(ticket.status).toBe(400);
    await expect(a.login(SA)).rejects.toThrow(/ticket refused: 400/);
    // The run binding holds whoever asks: a start by the administrator is a run, not a licence for sa_scheduler sessions.
    const started = ok<{ value: string }>(await a.as(ADMIN, 'POST', `/qrs/task/${taskId}/start/synchronous`, {}), 'admin start');
    expect(started.value).toMatch(/^[0-9a-f-]{36}$/);
  });
});
