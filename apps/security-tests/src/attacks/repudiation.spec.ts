import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tailAuditLog, verifyAuditLog, type AuditEntry, type AuditRecord } from '@trustzone/logging';
import { sitePaths } from '@trustzone/trust';
import { ADMIN, ok, startAttackSite, type AttackSite } from '../test-support/attack-site';
import { connectQix, rawUpgrade } from '../test-support/qix-client';
import { describeResponseScan } from '../test-support/response-scan';
import { createApp, inline } from '../test-support/site-content';
import { assertedUser, closeZoneStores, siteTls, zoneClients } from '../test-support/zone-client';

// Repudiation: "I never did that". A scripted session of management changes (by the admin) and
// refused attempts (by bob) runs through the real site; afterwards the audit trail must hold, for
// every step, a record naming the actor, the action and the target — and the chain must verify.
let a: AttackSite;
let bob: string;
let bobId: string;

interface Expect {
  step: string;
  /** The actor's user; '' for a record the proxy makes without one (the sender is unknown). */
  user: string;
  action: string | RegExp;
  targetId?: string;
  targetType?: string;
}
const expected: Expect[] = [];

const SCRIPT = `Section Access;\n${inline('SA', ['ACCESS', 'USERID'], [['ADMIN', 'INTERNAL\\SA_SCHEDULER'], ['ADMIN', 'CORP\\ADMIN']])}Section Application;\n${inline('T', ['A'], [[1], [2]])}`;

async function auditRecords(): Promise<AuditRecord[]> {
  const r = await tailAuditLog({ dir: sitePaths(a.site.dataDir).audit, limit: 10_000 });
  return r.entries.filter((e: AuditEntry): e is AuditRecord => 'actor' in e);
}

function missing(records: AuditRecord[]): Expect[] {
  return expected.filter((x) => !records.some((r) =>
    (x.user === '' ? r.actor.user === undefined : r.actor.user?.toLowerCase() === x.user.toLowerCase()) &&
    (typeof x.action === 'string' ? r.action === x.action : x.action.test(r.action)) &&
    (x.targetId === undefined || r.target?.id === x.targetId) &&
    (x.targetType === undefined || r.target?.type === x.targetType)));
}

beforeAll(async () => {
  // Refusals anyone can cause are written as one record per source and interval: a short interval here.
  a = await startAttackSite({ TZ_REFUSAL_AUDIT_INTERVAL_MS: '500' });
  bob = await a.login('CORP\\bob');
  ok(await a.client('/qrs/app', { headers: { Cookie: bob } }), 'first request (the repository records the user)');
  const users = ok<{ id: string; userId: string }[]>(await a.as(ADMIN, 'GET', `/qrs/user?filter=${encodeURIComponent("userId eq 'bob'")}`), 'bob');
  bobId = (users[0] as { id: string }).id;
}, 120_000);

afterAll(async () => {
  closeZoneStores();
  await a?.stop();
});

describe('Repudiation', () => {
  it('every management change of a scripted admin session has an audit record naming the admin, the action and the entity', async () => {
    const step = (name: string, action: string | RegExp, targetId: string, targetType?: string) => expected.push({ step: name, user: ADMIN, action, targetId, ...(targetType ? { targetType } : {}) });
    const finance = ok<{ id: string; modifiedDate: string }>(await a.as(ADMIN, 'POST', '/qrs/stream', { name: 'Finance' }), 'stream');
    step('create stream', 'entity.create', finance.id);
    ok(await a.as(ADMIN, 'PUT', `/qrs/stream/${finance.id}`, { ...finance, name: 'Finance' }), 'update stream');
    step('update stream', 'entity.update', finance.id);
    const rule = ok<{ id: string; modifiedDate: string }>(await a.as(ADMIN, 'POST', '/qrs/systemrule', { name: 'Finance readable', resourceFilter: 'Stream_*', rule: 'resource.name = "Finance"', actions: 2, ruleContext: 0 }), 'rule');
    step('create rule', 'entity.create', rule.id);
    ok(await a.as(ADMIN, 'PUT', `/qrs/systemrule/${rule.id}`, { ...ok<object>(await a.as(ADMIN, 'GET', `/qrs/systemrule/${rule.id}`), 'get rule'), comment: 'reviewed' }), 'update rule');
    step('update rule', 'entity.update', rule.id);
    const app = await createApp(a, 'Budget');
    step('create app', 'entity.create', app);
    ok(await a.as(ADMIN, 'PUT', `/qrs/app/${app}/script`, { script: SCRIPT }), 'script');
    step('set script', 'entity.update', app);
    ok(await a.as(ADMIN, 'POST', `/qrs/app/${app}/reload`), 'reload');
    step('reload', 'app.reload', app);
    ok(await a.as(ADMIN, 'PUT', `/qrs/app/${app}/publish?stream=${finance.id}`), 'publish');
    step('publish', 'app.publish', app);
    const copy = ok<{ id: string }>(await a.as(ADMIN, 'POST', `/qrs/app/${app}/copy?name=Budget%20copy`), 'copy');
    step('copy', 'app.copy', copy.id);
    ok(await a.as(ADMIN, 'DELETE', `/qrs/app/${copy.id}`), 'delete app');
    step('delete app', 'entity.delete', copy.id);
    const tag = ok<{ id: string }>(await a.as(ADMIN, 'POST', '/qrs/tag', { name: 'audited' }), 'tag');
    step('create tag', 'entity.create', tag.id);
    const dc = ok<{ id: string }>(await a.as(ADMIN, 'POST', '/qrs/dataconnection', { name: 'ledger', connectionString: 'ledger' }), 'dc');
    step('create data connection', 'entity.create', dc.id);
    const vp = ok<{ id: string }>(await a.as(ADMIN, 'POST', '/qrs/virtualproxyconfig', { prefix: 'audited', description: 'x', authenticationMethod: 'ticket' }), 'vp');
    step('create virtual proxy', 'entity.create', vp.id);
    const bobUser = ok<object>(await a.as(ADMIN, 'GET', `/qrs/user/${bobId}`), 'bob');
    ok(await a.as(ADMIN, 'PUT', `/qrs/user/${bobId}`, { ...bobUser, roles: ['Analyst'] }), 'roles');
    step('change roles', 'entity.update', bobId);
    // The same admin through a browser session on the client-facing port.
    const viaHub = ok<{ id: string }>(await a.client('/qrs/stream', { method: 'POST', headers: { Cookie: await a.login(ADMIN) }, body: { name: 'Made in the hub' } }), 'hub create');
    step('create stream through a session', 'entity.create', viaHub.id);

    const records = await auditRecords();
    expect(missing(records).map((m) => m.step)).toEqual([]);
    // Each change record also names the trust-zone hop it came through (from its certificate) and when:
    // the proxy, or the engine for a script (it lives in the app file; the engine writes it).
    for (const r of records.filter((x) => x.action.startsWith('entity.') && x.actor.user === ADMIN)) {
      const viaEngine = (r.details as { field?: unknown } | undefined)?.field === 'script';
      expect(r.actor.service, JSON.stringify(r)).toBe(viaEngine ? 'engine' : 'proxy');
      expect(Date.parse(r.time)).not.toBeNaN();
    }
  });

  it('every refused attempt of a scripted user session has an audit record naming the user', async () => {
    const deny = (name: string, action: string | RegExp, targetId?: string, user = 'CORP\\bob') => expected.push({ step: name, user, action, ...(targetId ? { targetId } : {}) });
    const streams = ok<{ id: string; name: string }[]>(await a.as(ADMIN, 'GET', '/qrs/stream'), 'streams');
    const finance = (streams.find((s) => s.name === 'Finance') as { id: string }).id;
    const draft = await createApp(a, 'Draft');
    const budget = (ok<{ id: string; name: string }[]>(await a.as(ADMIN, 'GET', '/qrs/app'), 'apps').find((x) => x.name === 'Budget') as { id: string }).id;
    const asBob = (method: string, path: string, body?: unknown) => a.client(path, { method, headers: { Cookie: bob }, ...(body === undefined ? {} : { body }) });

    expect((await asBob('GET', `/qrs/app/${draft}`)).status).toBe(404);
    deny('read an unreadable app', 'access.denied', draft);
    expect((await asBob('DELETE', `/qrs/stream/${finance}`)).status).toBe(403);
    deny('delete a stream', 'access.denied', finance);
    expect((await asBob('POST', '/qrs/systemrule', { name: 'mine', resourceFilter: '*', rule: '', actions: 8191, ruleContext: 0 })).status).toBe(403);
    deny('create a rule', 'access.denied');
    const me = ok<object>(await a.as(ADMIN, 'GET', `/qrs/user/${bobId}`), 'bob as the admin sees him');
    expect([403, 404]).toContain((await asBob('PUT', `/qrs/user/${bobId}`, { ...me, roles: ['RootAdmin'] })).status);
    deny('change own roles', 'access.denied', bobId);
    expect((await asBob('GET', '/qrs/audit')).status).toBe(403);
    deny('read the audit log', 'access.denied');
    // QIX: bob may read Budget (Finance stream) but section access admits only the admin.
    const q = await connectQix(a, bob, budget);
    await expect(q.global.openDoc(budget)).rejects.toMatchObject({ code: 5 });
    await q.close();
    deny('open an app section access refuses', 'app.open', budget);
    const token = await a.csrfToken(bob);
    expect((await rawUpgrade(a, `/app/${budget}?qlik-csrf-token=${token}`, { Cookie: bob, Origin: 'https://evil.example' })).status).toBe(403);
    // Checked before anyone is identified, like the xrfkey: bob's cookie rode along, bob did not send it.
    deny('websocket from a foreign origin', 'websocket.refused', undefined, '');
    expect((await a.client('/qrs/about', { xrfkey: false, headers: { Cookie: bob } })).status).toBe(403);
    // A forged cross-site request carries bob's cookie but bob did not send it: recorded, without a user.
    deny('a /qrs call without the xrfkey pair (CSRF)', 'csrf.refused', undefined, '');

    await expect.poll(async () => missing(await auditRecords()).filter((m) => m.user !== ADMIN).map((m) => m.step), { timeout: 10_000 }).toEqual([]);
    const records = await auditRecords();
    for (const r of records.filter((x) => x.actor.user === 'CORP\\bob' && x.outcome === 'denied')) expect(r.reason ?? r.action).toBeTruthy();
  });

  it('a non-proxy identity asserting a user is refused by the engine too, and the refusal is audited', async () => {
    const portal = zoneClients(a.site, { ...siteTls(a.site, 'proxy'), current: () => ({ ...siteTls(a.site, 'proxy').current(), cert: a.portal.cert, key: a.portal.key }) });
    const before = (await auditRecords()).filter((r) => r.action === 'call.refused').length;
    try {
      await expect(portal.engine.unary('AppDataInfo', { appId: '00000000-0000-4000-8000-000000000000' }, { deadlineMs: 5000, user: assertedUser(ADMIN, 'hub') })).rejects.toMatchObject({ code: 'PERMISSION_DENIED' });
    } finally {
      portal.close();
    }
    await expect.poll(async () => (await auditRecords()).filter((r) => r.action === 'call.refused' && (r.actor.service === 'engine' || String((r.details as { method?: string } | undefined)?.method).includes('Engine'))).length, { timeout: 5000 }).toBeGreaterThan(0);
    expect((await auditRecords()).filter((r) => r.action === 'call.refused').length).toBeGreaterThan(before);
  });

  it('CR/LF and forged JSON in user input cannot forge audit or log lines', async () => {
    const forged = `x"}\n{"seq":1,"actor":{"user":"CORP\\\\admin"},"action":"entity.delete","outcome":"success"}\r\n`;
    const created = await a.as(ADMIN, 'POST', '/qrs/stream', { name: forged });
    expect([201, 400]).toContain(created.status);
    expect((await a.api('/qps/ticket', { method: 'POST', body: { UserDirectory: 'CORP', UserId: `eve\n{"action":"auth.login"}` } })).status).toBe(400);
    await a.client('/qrs/about', { headers: { 'X-Qlik-User': 'UserDirectory=CORP; UserId=admin\r\n' } }).catch(() => undefined);
    const paths = sitePaths(a.site.dataDir);
    const verified = await verifyAuditLog({ dir: paths.audit, trustedCertPem: readFileSync(paths.cert('repository'), 'utf8') });
    expect(verified).toMatchObject({ ok: true });
    // Every line of every operational log is one JSON object: no line was injected.
    for (const f of readdirSync(paths.logs)) {
      for (const line of readFileSync(join(paths.logs, f), 'utf8').split('\n').filter((l) => l !== '')) expect(() => JSON.parse(line), `${f}: ${line.slice(0, 120)}`).not.toThrow();
    }
    // The only entity.delete records are the ones the admin really made (the copy deleted above).
    const deletes = (await auditRecords()).filter((r) => r.action === 'entity.delete');
    expect(deletes.every((r) => r.actor.user === ADMIN)).toBe(true);
    expect(deletes).toHaveLength(expected.filter((e) => e.action === 'entity.delete').length);
  });
});

describeResponseScan(() => a);
