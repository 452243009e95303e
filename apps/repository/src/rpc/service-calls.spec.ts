import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ErrorCode, HealthService, TrustZoneClient, trustZoneTls, type HealthDefinition } from '@trustzone/contracts';
import { identityAllowList } from '@trustzone/trust';
import { tailAuditLog } from '@trustzone/logging';
import { testProviders } from '../db/test-database';
import { EVERYONE_STREAM_ID } from '../seed/well-known-ids';
import { asUser, DEADLINE, startRepository, type RepositoryHarness } from '../test-support/repository-harness';
import { failure, repositoryCalls, type Entity } from '../test-support/repository-calls';

describe.each(testProviders())('service-to-service calls on %s', (provider) => {
  let h: RepositoryHarness;
  let q: ReturnType<typeof repositoryCalls>;
  const admin = asUser('CORP', 'admin');
  const gina = asUser('CORP', 'gina', { context: 'hub' });
  const auditTail = (filter: Parameters<typeof tailAuditLog>[0]['filter']) => tailAuditLog({ dir: h.site.paths.audit, filter });
  let ginaApp: Entity;
  let shared: Entity;

  beforeAll(async () => {
    h = await startRepository(provider);
    q = repositoryCalls(h.proxy);
    await q.create('user', { userDirectory: 'CORP', userId: 'gina', groups: ['Ops'] }, admin);
    await q.create('user', { userDirectory: 'CORP', userId: 'auditor', roles: ['AuditAdmin'] }, admin);
    await q.create('custompropertydefinition', { name: 'AccessGroup', objectTypes: ['DataConnection'] }, admin);
    shared = await q.create('dataconnection', { name: 'shared', connectionString: 'ops/shared', customProperties: [{ definition: { name: 'AccessGroup' }, value: 'Ops' }] }, admin);
    await q.create('dataconnection', { name: 'secret', connectionString: 'finance/secret' }, admin);
    ginaApp = await q.create('app', { name: 'gina app' }, gina);
    const current = await q.get('app', ginaApp.id, gina);
    expect(current.id).toBe(ginaApp.id);
  });
  afterAll(() => h?.stop());

  it('PrepareReload gives the engine only the data connections the reloading user may read (the script is in the app file)', async () => {
    const plan = await h.engine.unary('PrepareReload', { type: 'app', id: ginaApp.id, privileges: false }, { ...DEADLINE, user: gina });
    expect(plan).toMatchObject({ appId: ginaApp.id, runAs: 'CORP\\gina' });
    expect(Object.keys(plan)).not.toContain('script');
    expect(plan.connections).toEqual([{ name: 'shared', path: 'ops/shared', writable: false }]);
    // Someone who may read but not update an app gets no plan; one who may not read it, NotFound.
    const ivan = asUser('CORP', 'ivan', { context: 'hub' });
    const everyoneApp = await q.create('app', { name: 'gina shares' }, gina);
    await q.publish(everyoneApp.id, EVERYONE_STREAM_ID, asUser('CORP', 'gina'));
    expect((await failure(h.engine.unary('PrepareReload', { type: 'app', id: everyoneApp.id, privileges: false }, { ...DEADLINE, user: ivan }))).code).toBe(ErrorCode.PermissionDenied);
    expect((await failure(h.engine.unary('PrepareReload', { type: 'app', id: ginaApp.id, privileges: false }, { ...DEADLINE, user: ivan }))).code).toBe(ErrorCode.NotFound);
    // The proxy may not ask at all.
    expect((await failure(h.proxy.unary('PrepareReload', { type: 'app', id: ginaApp.id, privileges: false }, { ...DEADLINE, user: gina }))).code).toBe(ErrorCode.PermissionDenied);
    expect(shared.connectionString).toBe('ops/shared');
  });

  it('AuthorizeAppScript: Update on the app (readers refused, strangers told NotFound), reads audited; only the engine asks', async () => {
    const read = { appId: ginaApp.id, write: false, scriptBytes: 0, via: 'qrs' };
    expect(JSON.parse((await h.engine.unary('AuthorizeAppScript', read, { ...DEADLINE, user: gina })).json)).toMatchObject({ appId: ginaApp.id });
    expect((await auditTail({ action: 'app.script.read', targetId: ginaApp.id })).entries.at(-1)).toMatchObject({ outcome: 'success', actor: { user: 'CORP\\gina' }, details: { via: 'qrs' } });
    const ivan = asUser('CORP', 'ivan', { context: 'hub' });
    expect((await failure(h.engine.unary('AuthorizeAppScript', read, { ...DEADLINE, user: ivan }))).code).toBe(ErrorCode.NotFound);
    const shares = await q.create('app', { name: 'gina shares script' }, gina);
    await q.publish(shares.id, EVERYONE_STREAM_ID, asUser('CORP', 'gina'));
    expect((await failure(h.engine.unary('AuthorizeAppScript', { ...read, appId: shares.id }, { ...DEADLINE, user: ivan }))).code).toBe(ErrorCode.PermissionDenied);
    expect((await failure(h.proxy.unary('AuthorizeAppScript', read, { ...DEADLINE, user: gina }))).code).toBe(ErrorCode.PermissionDenied);
    expect((await failure(h.engine.unary('AuthorizeAppScript', { ...read, write: true, scriptBytes: 4 * 1024 * 1024 + 1 }, { ...DEADLINE, user: gina }))).field).toBe('script');
    expect((await failure(h.engine.unary('AuthorizeAppScript', { ...read, via: 'other' }, { ...DEADLINE, user: gina }))).field).toBe('via');
  });

  it('RecordAppScript moves the app\'s modifiedDate and audits the write with its size, never its text', async () => {
    const before = await q.get('app', ginaApp.id, gina);
    const app = JSON.parse((await h.engine.unary('RecordAppScript', { appId: ginaApp.id, write: true, scriptBytes: 42, via: 'qix' }, { ...DEADLINE, user: gina })).json) as Entity;
    expect(app.id).toBe(ginaApp.id);
    expect(Date.parse(String(app['modifiedDate']))).toBeGreaterThan(Date.parse(String(before['modifiedDate'])));
    const rec = (await auditTail({ action: 'entity.update', targetId: ginaApp.id })).entries.at(-1);
    expect(rec).toMatchObject({ outcome: 'success', details: { field: 'script', via: 'qix', scriptBytes: 42 } });
  });

  it('RecordReload stamps the app and audits the outcome with the engine and the user', async () => {
    await h.engine.unary('RecordReload', { appId: ginaApp.id, succeeded: true, fileSize: 4096, error: '', durationMs: 120 }, { ...DEADLINE, user: gina });
    const app = await q.get('app', ginaApp.id, gina);
    expect(app.fileSize).toBe(4096);
    expect(typeof app.lastReloadTime).toBe('string');
    await h.engine.unary('RecordReload', { appId: ginaApp.id, succeeded: false, fileSize: 0, error: 'line 3: unknown table', durationMs: 5 }, { ...DEADLINE, user: gina });
    const records = (await auditTail({ action: 'app.reload', targetId: ginaApp.id })).entries;
    expect(records.map((r) => ('outcome' in r ? [r.outcome, r.actor.service, r.actor.user, r.reason ?? null] : []))).toEqual([
      ['success', 'engine', 'CORP\\gina', null],
      ['failure', 'engine', 'CORP\\gina', 'line 3: unknown table'],
    ]);
  });

  it('only the proxy asserts users for the /qrs API: the CLI identity and the engine are refused, and the refusal is audited', async () => {
    const cli = await failure(h.cli.unary('ListEntities', { type: 'app', filter: '', orderby: '', full: false, countOnly: false, privileges: false }, { ...DEADLINE, user: admin }));
    expect(cli.code).toBe(ErrorCode.PermissionDenied);
    // The engine relays users for reads it needs (GetEntity, ListEntities) but never writes entities.
    expect((await failure(h.engine.unary('CreateEntity', { type: 'app', id: '', json: '{"name":"x"}', privileges: false }, { ...DEADLINE, user: admin }))).code).toBe(ErrorCode.PermissionDenied);
    expect(JSON.parse((await h.engine.unary('GetEntity', { type: 'app', id: ginaApp.id, privileges: false }, { ...DEADLINE, user: gina })).json)).toMatchObject({ id: ginaApp.id });
    expect((await failure(h.proxy.unary('ListEntities', { type: 'app', filter: '', orderby: '', full: false, countOnly: false, privileges: false }, DEADLINE))).code).toBe(ErrorCode.Unauthenticated);
    // The refusal record is written asynchronously (the call had already failed): wait for it.
    let refused: unknown[] = [];
    for (let i = 0; i < 50 && refused.length === 0; i++) {
      refused = (await auditTail({ action: 'call.refused' })).entries.filter((e) => 'details' in e && e.details?.['caller'] === 'integration:tz-cli');
      if (refused.length === 0) await new Promise((r) => setTimeout(r, 20));
    }
    expect(refused[0]).toMatchObject({ outcome: 'denied', details: { method: '/trustzone.v1.Repository/ListEntities', assertedUser: true } });
  });

  it('RecordAudit records proxy and engine events with the caller’s identity, durable before it returns', async () => {
    await h.proxy.unary('RecordAudit', { action: 'auth.login', outcome: 'success', user: 'CORP\\gina', targetType: '', targetId: '', reason: '', detailsJson: JSON.stringify({ virtualProxy: '', ip: '10.1.1.1' }) }, DEADLINE);
    const last = (await auditTail({ action: 'auth.login' })).entries.at(-1);
    expect(last).toMatchObject({ actor: { service: 'proxy', user: 'CORP\\gina' }, outcome: 'success', details: { virtualProxy: '', ip: '10.1.1.1' } });
    expect((await failure(h.proxy.unary('RecordAudit', { action: 'auth.login', outcome: 'maybe', user: '', targetType: '', targetId: '', reason: '', detailsJson: '' }, DEADLINE))).field).toBe('outcome');
    expect((await failure(h.proxy.unary('RecordAudit', { action: 'Not A Verb', outcome: 'success', user: '', targetType: '', targetId: '', reason: '', detailsJson: '' }, DEADLINE))).code).toBe(ErrorCode.InvalidArgument);
  });

  it('ReadAudit is refused to a normal user (and the denial recorded) and answers AuditAdmin and RootAdmin', async () => {
    expect((await failure(h.proxy.unary('ReadAudit', { json: '{}' }, { ...DEADLINE, user: asUser('CORP', 'gina') }))).code).toBe(ErrorCode.PermissionDenied);
    const denial = (await auditTail({ action: 'access.denied', user: 'CORP\\gina' })).entries.at(-1);
    expect(denial).toMatchObject({ target: { type: 'AuditLog' } });
    for (const who of [asUser('CORP', 'auditor'), admin]) {
      const res = JSON.parse((await h.proxy.unary('ReadAudit', { json: JSON.stringify({ action: 'access.denied', user: 'CORP\\gina', limit: '5' }) }, { ...DEADLINE, user: who })).json) as { records: { action: string; actor: { user?: string } }[] };
      expect(res.records.length).toBeGreaterThan(0);
      expect(res.records.every((r) => r.action === 'access.denied' && r.actor.user === 'CORP\\gina')).toBe(true);
    }
  });

  it('Authorize answers the engine for the asserted user; a denied and a missing resource get the same answer', async () => {
    const ask = (id: string, user = gina) => h.engine.unary('Authorize', { resourceType: 'App', resourceId: id, action: 'read' }, { ...DEADLINE, user });
    expect((await ask(ginaApp.id)).allowed).toBe(true);
    const stranger = asUser('CORP', 'stranger', { context: 'hub' });
    const denied = await ask(ginaApp.id, stranger);
    const missing = await ask('00000000-0000-4000-8000-00000000abcd', stranger);
    expect(denied).toEqual({ allowed: false, reason: missing.reason, groups: [] });
    expect(missing.allowed).toBe(false);
  });

  it('RecordLogin persists a login\'s attributes onto the user; Authorize answers the groups rules and section access share', async () => {
    const hana = asUser('CORP', 'hana', { context: 'hub' });
    await q.create('user', { userDirectory: 'CORP', userId: 'hana', attributes: [{ attributeType: 'Group', attributeValue: 'Ops' }] }, admin);
    const app = await q.create('app', { name: 'hana app' }, hana);
    const login = [{ type: 'group', value: 'Sales' }, { type: 'GROUP', value: 'EMEA' }, { type: 'email', value: 'h@x' }];
    await h.proxy.unary('RecordLogin', { method: 'ticket', attributes: login }, { ...DEADLINE, user: hana });
    const expected = [...new Set(['Ops', ...login.filter((a) => a.type.toLowerCase() === 'group').map((a) => a.value)])].sort();
    const auth = await h.engine.unary('Authorize', { resourceType: 'App', resourceId: app.id, action: 'read' }, { ...DEADLINE, user: hana });
    expect(auth).toMatchObject({ allowed: true, groups: expected });
    const stored = (await q.get('user', (await q.list('user', admin, { filter: "userId eq 'hana'" }))[0]!.id, admin)) as unknown as { id: string; attributes: { attributeType: string; attributeValue: string; source: string }[] };
    expect(stored.attributes.map((a) => `${a.source}:${a.attributeType}=${a.attributeValue}`)).toEqual(['qrs:Group=Ops', ...login.map((a) => `ticket:${a.type}=${a.value}`)]);
    const updates = (await auditTail({ action: 'entity.update', targetId: stored.id })).entries;
    expect(updates.some((r) => 'reason' in r && r.reason === 'ticket login attributes')).toBe(true);
    // The next ticket login replaces the previous one's attributes; the QRS-set group stays.
    await h.proxy.unary('RecordLogin', { method: 'ticket', attributes: [] }, { ...DEADLINE, user: hana });
    expect((await h.engine.unary('Authorize', { resourceType: 'App', resourceId: app.id, action: 'read' }, { ...DEADLINE, user: hana })).groups).toEqual(['Ops']);
    // Only the proxy reports logins, and only with a known method.
    expect((await failure(h.engine.unary('RecordLogin', { method: 'ticket', attributes: [] }, { ...DEADLINE, user: hana }))).code).toBe(ErrorCode.PermissionDenied);
    expect((await failure(h.proxy.unary('RecordLogin', { method: 'qrs', attributes: [] }, { ...DEADLINE, user: hana }))).code).toBe(ErrorCode.InvalidArgument);
  });

  it('RecordLogin carrying the login\'s own audit record writes it durably before answering, for the asserted user, checked as RecordAudit checks it', async () => {
    const ivan = asUser('CORP', 'ivan', { context: 'hub' });
    const audit = { action: 'session.start', outcome: 'success', user: 'CORP\\ivan', targetType: '', targetId: '', reason: '', detailsJson: JSON.stringify({ via: 'oidc', virtualProxy: 'oidc', ip: '10.2.2.2' }) };
    await h.proxy.unary('RecordLogin', { method: 'oidc', attributes: [{ type: 'group', value: 'Sales' }], audit }, { ...DEADLINE, user: ivan });
    const last = (await auditTail({ action: 'session.start', user: 'CORP\\ivan' })).entries.at(-1);
    expect(last).toMatchObject({ outcome: 'success', actor: { service: 'proxy', user: 'CORP\\ivan' }, details: { via: 'oidc', virtualProxy: 'oidc', ip: '10.2.2.2' } });
    // A bad record fails the whole call (the proxy then ends the new session): nothing is acknowledged unaudited.
    expect((await failure(h.proxy.unary('RecordLogin', { method: 'oidc', attributes: [], audit: { ...audit, outcome: 'maybe' } }, { ...DEADLINE, user: ivan }))).field).toBe('outcome');
    // Without one, nothing more is written than before.
    const before = (await auditTail({ action: 'session.start', user: 'CORP\\ivan' })).entries.length;
    await h.proxy.unary('RecordLogin', { method: 'oidc', attributes: [] }, { ...DEADLINE, user: ivan });
    expect((await auditTail({ action: 'session.start', user: 'CORP\\ivan' })).entries.length).toBe(before);
  });

  it('ListVirtualProxies returns the seeded default proxy in the proxy’s own field names, to the proxy only', async () => {
    const vps = JSON.parse((await h.proxy.unary('ListVirtualProxies', {}, DEADLINE)).json) as Record<string, unknown>[];
    expect(vps).toHaveLength(1);
    expect(vps[0]).toMatchObject({ prefix: '', authenticationMethod: 'ticket', anonymousAccessMode: 0, sessionInactivityTimeout: 30, sameSite: 'Lax' });
    expect(vps[0]!['websocketCrossOriginWhiteList']).toEqual(expect.arrayContaining([`${h.site.manifest.hosts[0]}:8443`, 'localhost:8443']));
    // Unset optional settings are left out, not sent as "" (the proxy's schema would reject those).
    expect(Object.entries(vps[0]!).filter(([, v]) => v === '').map(([k]) => k)).toEqual(['prefix']);
    expect((await failure(h.engine.unary('ListVirtualProxies', {}, DEADLINE))).code).toBe(ErrorCode.PermissionDenied);
  });

  it('Health reports the database and the audit trail', async () => {
    const health = new TrustZoneClient<HealthDefinition>(HealthService, { address: `localhost:${h.port}`, tls: trustZoneTls(h.site.store('engine')), expect: identityAllowList(['repository']) });
    try {
      expect(await health.unary('Check', {}, DEADLINE)).toMatchObject({ status: 'ok', service: 'repository', callerIdentity: 'engine', checks: { database: 'ok', audit: 'ok' } });
    } finally {
      health.close();
    }
  });

  it('Explain and the audit matrix need Read on the security rules; for an admin they agree with the decisions', async () => {
    const req = { user: 'CORP\\gina', resource: `App_${ginaApp.id}`, action: 'update' };
    expect((await failure(h.proxy.unary('Explain', req, { ...DEADLINE, user: asUser('CORP', 'gina') }))).code).toBe(ErrorCode.PermissionDenied);
    const x = JSON.parse((await h.proxy.unary('Explain', req, { ...DEADLINE, user: admin })).json) as { decision: { kind: string; grantedBy?: string[] }; text: string };
    expect(x.decision.kind).toBe('allow');
    expect(x.text).toMatch(/^ALLOWED update/);
    const other = JSON.parse((await h.proxy.unary('Explain', { ...req, user: 'CORP\\auditor' }, { ...DEADLINE, user: admin })).json) as { decision: { kind: string } };
    expect(other.decision.kind).toBe('deny');

    const body = { resourceType: 'App', resourceFilter: `id eq ${ginaApp.id}`, userFilter: "userId eq 'gina' or userId eq 'auditor'", actions: ['read', 'update'], context: 'management' };
    const m = JSON.parse((await h.proxy.unary('AuditMatrix', { json: JSON.stringify(body) }, { ...DEADLINE, user: admin })).json) as { users: { id: string; userId: string }[]; cells: { userId: string; granted: { action: string }[] }[] };
    const ginaId = m.users.find((u) => u.userId === 'gina')!.id;
    const auditorId = m.users.find((u) => u.userId === 'auditor')!.id;
    const granted = (id: string) => m.cells.find((c) => c.userId === id)!.granted.map((g) => g.action);
    expect(granted(ginaId)).toEqual(['read', 'update']);
    expect(granted(auditorId)).toEqual(['read']);
    expect((await failure(h.proxy.unary('AuditMatrix', { json: JSON.stringify(body) }, { ...DEADLINE, user: asUser('CORP', 'gina') }))).code).toBe(ErrorCode.PermissionDenied);
  });
});
