import { credentials as grpcCredentials, Metadata } from '@grpc/grpc-js';
import { connect as tlsConnect } from 'node:tls';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestSite, writeTestCert, type TestSite } from '@trustzone/testing';
import { identityAllowList, normalizeSerial, revokeCert, rotateServiceCert, type TrustStore } from '@trustzone/trust';
import {
  callers,
  ErrorCode,
  healthHandlers,
  HealthService,
  RepositoryService,
  ServiceError,
  TrustZoneClient,
  TrustZoneServer,
  trustZoneTls,
  unary,
  type HealthDefinition,
  type RepositoryDefinition,
  type RepositoryHandlers,
  type GuardedHandlers,
  type TlsSource,
  type RefusedCall,
} from './index';

// Every test here runs real TLS 1.2+/1.3 handshakes over real sockets with certificates from a real
// site CA (libs/trust): nothing is mocked.
let site: TestSite;
let other: TestSite;
let server: TrustZoneServer;
let serverStore: TrustStore;
let port: number;
const refused: RefusedCall[] = [];
/** The `resource` of each Explain call whose handler saw its abort signal fire. */
const sawAbort: string[] = [];

function repoHandlers(): GuardedHandlers<RepositoryHandlers> {
  const notImplemented = unary({ callers: callers.services('proxy'), user: 'optional' }, async () => {
    throw new ServiceError(ErrorCode.FailedPrecondition, 'not part of this test');
  });
  const handlers = Object.fromEntries(Object.keys(RepositoryService.service).map((m) => [m, notImplemented])) as unknown as GuardedHandlers<RepositoryHandlers>;
  return {
    ...handlers,
    // Only the proxy may call About; an asserted user is forbidden on it.
    About: unary({ callers: callers.services('proxy'), user: 'none' }, async (_req, ctx) => ({ json: JSON.stringify({ caller: ctx.callerName }) })),
    // Authorize acts for an end user asserted by the proxy.
    Authorize: unary({ callers: callers.services('proxy', 'engine'), user: 'required' }, async (_req, ctx) => ({ allowed: true, reason: ctx.user?.userId ?? '' })),
    // Explain waits for its call to be cancelled (reading the signal at once, or only after 500 ms
    // for resource "late"); it returns only once the signal is aborted, and records that it was.
    Explain: unary({ callers: callers.services('proxy'), user: 'optional' }, async (req, ctx) => {
      // A handler whose write hits a full disk (as the engine's app store or the audit trail would).
      if (req.resource === 'disk-full') throw Object.assign(new Error('ENOSPC: no space left on device, write /var/lib/tz/apps/x.tmp'), { code: 'ENOSPC' });
      if (req.resource === 'late') await new Promise((r) => setTimeout(r, 500));
      const signal = ctx.signal;
      if (!signal.aborted) await new Promise<void>((resolve) => signal.addEventListener('abort', () => resolve(), { once: true }));
      sawAbort.push(req.resource);
      return { json: '{}' };
    }),
  };
}

/** A TLS source from explicit PEMs: lets a test present any certificate while trusting the real server. */
function pemSource(base: TlsSource, cert: string, key: string): TlsSource {
  return { ...base, current: () => ({ ...base.current(), cert, key }) };
}

function client<D>(ctor: typeof HealthService | typeof RepositoryService, tls: TlsSource, expectService = 'repository') {
  return new TrustZoneClient<D>(ctor, { address: `localhost:${port}`, tls, expect: identityAllowList([expectService]) });
}

beforeAll(async () => {
  [site, other] = await Promise.all([createTestSite(), createTestSite({ siteName: 'other' })]);
  serverStore = site.store('repository');
  server = new TrustZoneServer({ tls: trustZoneTls(serverStore), onRefused: (r) => refused.push(r), volume: 'repository' });
  server.addService(HealthService.service, healthHandlers({ service: 'repository', version: 't', certificate: () => ({ serial: serverStore.current().serial, notAfter: serverStore.current().notAfter.toISOString() }) }));
  server.addService(RepositoryService.service, repoHandlers());
  port = await server.listen('127.0.0.1', 0);
});

afterAll(async () => {
  await server?.shutdown(1000);
  site?.cleanup();
  other?.cleanup();
});

describe('gRPC over mutual TLS inside the trust zone', () => {
  it('a valid site certificate succeeds and the callee reports the caller identity', async () => {
    const c = client<HealthDefinition>(HealthService, trustZoneTls(site.store('proxy')));
    const res = await c.unary('Check', {}, { deadlineMs: 5000 });
    expect(res.callerIdentity).toBe('proxy');
    expect(res.service).toBe('repository');
    c.close();
  });

  it('a handler failing with ENOSPC reaches the caller as STORAGE_FULL naming the volume, without the path', async () => {
    const c = client<RepositoryDefinition>(RepositoryService, trustZoneTls(site.store('proxy')));
    const e = await c.unary('Explain', { user: '', resource: 'disk-full', action: 'read' }, { deadlineMs: 5000 }).then(() => undefined, (err: unknown) => err);
    expect(e).toBeInstanceOf(ServiceError);
    expect((e as ServiceError).code).toBe(ErrorCode.StorageFull);
    expect((e as ServiceError).message).toMatch(/^the repository's data volume is full; nothing was written/);
    expect((e as ServiceError).message).not.toMatch(/ENOSPC|\/var\/lib/);
    c.close();
  });

  it('the integration identity of the CLI is seen as such', async () => {
    const c = client<HealthDefinition>(HealthService, trustZoneTls(site.store('cli')));
    expect((await c.unary('Check', {}, { deadlineMs: 5000 })).callerIdentity).toBe('integration:tz-cli');
    c.close();
  });

  it('refuses a call without a client certificate at the handshake', async () => {
    const ca = readFileSync(join(site.paths.certs, 'root.pem'));
    const raw = new HealthService(`127.0.0.1:${port}`, grpcCredentials.createSsl(ca, null, null, { checkServerIdentity: () => undefined }));
    const err = await new Promise<Error | null>((resolve) => (raw.Check as NonNullable<typeof raw.Check>).call(raw, {}, new Metadata(), { deadline: Date.now() + 5000 }, (e: Error | null) => resolve(e)));
    expect(err).not.toBeNull();
    expect(String(err?.message)).toMatch(/UNAVAILABLE|handshake|certificate|alert/i);
    raw.close();
  });

  it('refuses a certificate from another site CA', async () => {
    const base = trustZoneTls(site.store('proxy'));
    const foreign = pemSource(base, readFileSync(other.paths.cert('proxy'), 'utf8'), readFileSync(other.paths.key('proxy'), 'utf8'));
    const c = client<HealthDefinition>(HealthService, foreign);
    await expect(c.unary('Check', {}, { deadlineMs: 5000 })).rejects.toMatchObject({ code: ErrorCode.Unavailable });
    c.close();
  });

  it('refuses a certificate from the client-facing CA', async () => {
    const base = trustZoneTls(site.store('proxy'));
    const cf = pemSource(base, readFileSync(site.paths.cert('client-facing'), 'utf8'), readFileSync(site.paths.key('client-facing'), 'utf8'));
    const c = client<HealthDefinition>(HealthService, cf);
    await expect(c.unary('Check', {}, { deadlineMs: 5000 })).rejects.toMatchObject({ code: ErrorCode.Unavailable });
    c.close();
  });

  it.each([
    ['expired', { notBefore: new Date(Date.now() - 10 * 86400e3), notAfter: new Date(Date.now() - 86400e3) }],
    ['not yet valid', { notBefore: new Date(Date.now() + 86400e3), notAfter: new Date(Date.now() + 10 * 86400e3) }],
  ])('refuses a site certificate that is %s', async (_label, window) => {
    const dir = join(site.dataDir, '..', `probe-${_label.replace(/ /g, '-')}`);
    await writeTestCert(dir, 'probe', site.rootCa, { identity: { kind: 'service', siteId: site.siteId, service: 'proxy' }, ...window });
    const base = trustZoneTls(site.store('proxy'));
    const c = client<HealthDefinition>(HealthService, pemSource(base, readFileSync(join(dir, 'probe.pem'), 'utf8'), readFileSync(join(dir, 'probe_key.pem'), 'utf8')));
    await expect(c.unary('Check', {}, { deadlineMs: 5000 })).rejects.toMatchObject({ code: ErrorCode.Unavailable });
    c.close();
  });

  it('refuses a valid site identity calling an RPC it is not allowed to call', async () => {
    const c = client<RepositoryDefinition>(RepositoryService, trustZoneTls(site.store('engine')));
    await expect(c.unary('About', {}, { deadlineMs: 5000 })).rejects.toMatchObject({ code: ErrorCode.PermissionDenied });
    expect(refused.some((r) => r.caller === 'engine' && r.method.endsWith('/About'))).toBe(true);
    c.close();
  });

  it('refuses a user assertion from an identity that may not assert users, and one on a method that forbids it', async () => {
    const user = { userDirectory: 'CORP', userId: 'alice', context: 'hub' as const, attributes: {}, anonymous: false, ip: '127.0.0.1', secure: true };
    const asEngine = client<RepositoryDefinition>(RepositoryService, trustZoneTls(site.store('engine')));
    await expect(asEngine.unary('Authorize', { resourceType: 'App', resourceId: 'x', action: 'read' }, { deadlineMs: 5000, user })).rejects.toMatchObject({ code: ErrorCode.PermissionDenied });
    const asProxy = client<RepositoryDefinition>(RepositoryService, trustZoneTls(site.store('proxy')));
    expect((await asProxy.unary('Authorize', { resourceType: 'App', resourceId: 'x', action: 'read' }, { deadlineMs: 5000, user })).reason).toBe('alice');
    await expect(asProxy.unary('About', {}, { deadlineMs: 5000, user })).rejects.toMatchObject({ code: ErrorCode.PermissionDenied });
    await expect(asProxy.unary('Authorize', { resourceType: 'App', resourceId: 'x', action: 'read' }, { deadlineMs: 5000 })).rejects.toMatchObject({ code: ErrorCode.Unauthenticated });
    asEngine.close();
    asProxy.close();
  });

  it("a client's cancel reaches the handler's abort signal; a signal first read after the call ended is already aborted", async () => {
    const c = client<RepositoryDefinition>(RepositoryService, trustZoneTls(site.store('proxy')));
    const abort = new AbortController();
    const call = c.unary('Explain', { user: '', resource: 'x', action: 'read' }, { deadlineMs: 5000, signal: abort.signal });
    setTimeout(() => abort.abort(), 100);
    await expect(call).rejects.toBeInstanceOf(ServiceError);
    await expect.poll(() => sawAbort, { timeout: 2000 }).toEqual(['x']);
    // A handler that reads the signal only after its call has ended (deadline 300 ms) finds it aborted.
    const late = c.unary('Explain', { user: '', resource: 'late', action: 'read' }, { deadlineMs: 300 });
    await expect(late).rejects.toMatchObject({ code: ErrorCode.DeadlineExceeded });
    await expect.poll(() => sawAbort, { timeout: 2000 }).toEqual(['x', 'late']);
    c.close();
  });

  it('requires a deadline on every call', async () => {
    const c = client<HealthDefinition>(HealthService, trustZoneTls(site.store('proxy')));
    await expect(c.unary('Check', {}, { deadlineMs: 0 })).rejects.toMatchObject({ code: ErrorCode.InvalidArgument });
    c.close();
  });
});

describe('certificate lifecycle on a running server', () => {
  it('rotating the server certificate keeps calls working and presents the new serial afterwards', async () => {
    const c = client<HealthDefinition>(HealthService, trustZoneTls(site.store('proxy')));
    const before = normalizeSerial(serverStore.current().serial);
    await c.unary('Check', {}, { deadlineMs: 5000 });
    const rotated = await rotateServiceCert(site.dataDir, 'repository');
    await waitFor(() => normalizeSerial(serverStore.current().serial) !== before, 5000);
    expect((await c.unary('Check', {}, { deadlineMs: 5000 })).callerIdentity).toBe('proxy');
    const presented = await presentedSerial(port);
    expect(presented).toBe(normalizeSerial(serverStore.current().serial));
    expect(presented).not.toBe(before);
    expect(normalizeSerial(rotated.serial)).toBe(presented);
    c.close();
  });

  it('a revoked client certificate is refused by the running server within 5 s, without restart', async () => {
    const proxyStore = site.store('proxy');
    const c = client<HealthDefinition>(HealthService, trustZoneTls(proxyStore));
    expect((await c.unary('Check', {}, { deadlineMs: 5000 })).callerIdentity).toBe('proxy');
    const revokedAt = Date.now();
    await revokeCert(site.dataDir, 'proxy', { includeCurrent: true });
    let err: unknown;
    while (Date.now() - revokedAt < 5000) {
      try {
        await c.unary('Check', {}, { deadlineMs: 2000 });
        await new Promise((r) => setTimeout(r, 100));
      } catch (e) {
        err = e;
        break;
      }
    }
    expect(err, 'the revoked certificate still worked after 5 s').toBeInstanceOf(ServiceError);
    expect((err as ServiceError).code).toMatch(/UNAUTHENTICATED|UNAVAILABLE/);
    expect(Date.now() - revokedAt).toBeLessThan(5000);
    c.close();
  });
});

async function waitFor(cond: () => boolean, ms: number): Promise<void> {
  const end = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > end) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** The serial of the certificate the server presents on a brand-new TLS connection. */
function presentedSerial(p: number): Promise<string> {
  const cli = site.store('cli').current();
  return new Promise((resolve, reject) => {
    const s = tlsConnect({ host: '127.0.0.1', port: p, ca: cli.caPem, cert: cli.certPem, key: cli.keyPem, ALPNProtocols: ['h2'], checkServerIdentity: () => undefined }, () => {
      resolve(normalizeSerial(s.getPeerCertificate().serialNumber));
      s.destroy();
    });
    s.on('error', reject);
  });
}
