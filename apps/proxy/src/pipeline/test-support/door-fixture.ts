import { readFileSync } from 'node:fs';
import { createServer, request, type Server } from 'node:https';
import type { AddressInfo } from 'node:net';
import WebSocket from 'ws';
import { createLogger } from '@trustzone/logging';
import { createTestSite, type TestSite } from '@trustzone/testing';
import { issueCertificate } from '@trustzone/trust';
import { proxyApiApp } from '../../api/api-app';
import { AuditAggregator } from '../../audit/audit-aggregator';
import type { ProxyAuditEvent } from '../../audit/proxy-audit';
import { MemoryTicketStore } from '../../auth/ticket-store';
import { clientFacingApp } from '../../client/client-facing-app';
import { createIdpRuntime } from '../../idp/idp-runtime';
import { LoginTargetStore } from '../../auth/login-target-store';
import type { ProxyDeps } from '../../client/proxy-deps';
import { TokenBucketLimiter } from '../../edge/token-bucket-limiter';
import { AnonymousSessionCap } from '../../session/anonymous-session-cap';
import { MemorySessionStore } from '../../session/memory-session-store';
import type { Upstreams } from '../../upstreams';
import { parseVirtualProxyConfig, type VirtualProxyConfigInput } from '../../virtual-proxy/virtual-proxy-config.schema';
import type { VirtualProxyRegistry } from '../../virtual-proxy/virtual-proxy-registry';
import { createQixRelay } from '../../ws/qix-relay';
import type { DoorName } from '../exchange';
import type { StepName } from '../step';

class RawBody {
  constructor(readonly text: string) {}
}

export interface Answer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  text: string;
  json: unknown;
}

/**
 * The proxy's three doors in this process, each on its real listener: the client-facing handler on
 * TLS with the client-facing certificate, the API handler on mutual TLS with the site CA, and the
 * QIX relay on the client-facing server's `upgrade` event. Stores, limiters, the aggregator and the
 * trust store are the real ones; the repository answers only what the routes under test ask
 * (Authorize: no; RecordLogin: recorded), so what is observed is the proxy's own handling. Every step each door runs is
 * recorded in `steps`, every audit record in `records`.
 */
export interface Doors {
  site: TestSite;
  deps: ProxyDeps;
  steps: { door: DoorName; step: StepName }[];
  records: ProxyAuditEvent[];
  /** `form`: a urlencoded body sent as is (the Content-Type header is the caller's). */
  client(path: string, headers?: Record<string, string>, method?: string, form?: string): Promise<Answer>;
  api(path: string, headers?: Record<string, string>, method?: string, body?: unknown): Promise<Answer>;
  upgrade(path: string, headers?: Record<string, string>): Promise<{ status: number; headers: Record<string, string | string[] | undefined> }>;
  stepsOf(door: DoorName): StepName[];
  close(): Promise<void>;
}

export async function startDoors(options: { virtualProxies?: VirtualProxyConfigInput[]; ipRate?: number; idp?: Parameters<typeof createIdpRuntime>[0] } = {}): Promise<Doors> {
  const site = await createTestSite();
  const steps: Doors['steps'] = [];
  const records: ProxyAuditEvent[] = [];
  const sink = { record: async (e: ProxyAuditEvent) => void records.push(e) };
  const configs = (options.virtualProxies ?? [{}]).map(parseVirtualProxyConfig);
  // RecordLogin may carry the login's own audit record (report-login.ts): kept like the repository would.
  const recordLogin = (req: { audit?: { action: string; outcome: ProxyAuditEvent['outcome']; user: string; reason: string; detailsJson: string } }) => {
    const a = req.audit;
    if (a) records.push({ action: a.action, outcome: a.outcome, ...(a.user ? { user: a.user } : {}), ...(a.reason ? { reason: a.reason } : {}), ...(a.detailsJson ? { details: JSON.parse(a.detailsJson) as Record<string, unknown> } : {}) });
    return {};
  };
  const upstreams = { repository: { unary: async (method: string, req: unknown) => (method === 'Authorize' ? { allowed: false } : method === 'RecordLogin' ? recordLogin(req as Parameters<typeof recordLogin>[0]) : Promise.reject(new Error(`${method} is not served here`))) } } as unknown as Upstreams;
  const sessions = new MemorySessionStore({ sweepIntervalMs: 0 });
  const rate = options.ipRate ?? 1_000;
  const deps: ProxyDeps = {
    upstreams,
    registry: { all: () => configs } as unknown as VirtualProxyRegistry,
    sessions,
    tickets: new MemoryTicketStore(),
    ipLimiter: new TokenBucketLimiter({ ratePerSecond: rate, burst: rate * 2 }),
    userLimiter: new TokenBucketLimiter({ ratePerSecond: 1_000, burst: 2_000 }),
    audit: sink,
    aggregate: new AuditAggregator(sink, { intervalMs: 60_000 }),
    anonymousCap: new AnonymousSessionCap(100),
    integrationTrust: site.store('proxy'),
    logger: createLogger({ service: 'proxy', stdout: false }),
    deadlineMs: 5_000,
    maxBodyBytes: 64 * 1024,
    observe: { request: () => undefined, sessionStarted: () => undefined, step: (door, step) => void steps.push({ door, step }) },
    sessionStoreHealth: async () => 'memory',
    reloadDeadlineMs: 5_000,
    idp: createIdpRuntime(options.idp),
    loginTargets: new LoginTargetStore({ ttlMs: 60_000, maxEntries: 100 }),
    apiPort: { current: 4243 },
  };
  const clientServer = createServer(site.store('client-facing').serverTlsOptions({ requireClientCert: false }), clientFacingApp(deps));
  const apiServer = createServer(site.store('proxy').serverTlsOptions({ requireClientCert: true }), proxyApiApp(deps));
  const qix = createQixRelay(deps);
  clientServer.on('upgrade', (req, socket, head) => qix.handleUpgrade(req, socket, head));
  const [clientPort, apiPort] = await Promise.all([listen(clientServer), listen(apiServer)]);
  const clientCa = readFileSync(site.paths.cert('client-facing-ca'), 'utf8');
  const rootCa = readFileSync(site.paths.cert('root'), 'utf8');
  const portal = await issueCertificate({ ca: site.rootCa, commonName: 'portal', identity: { kind: 'integration', siteId: site.siteId, name: 'portal' }, dnsNames: ['localhost'], usage: ['clientAuth'] });

  const call = (port: number, tls: object, path: string, headers: Record<string, string>, method: string, body?: unknown) =>
    new Promise<Answer>((resolve, reject) => {
      const raw = body instanceof RawBody ? body.text : undefined;
      const text = body === undefined ? undefined : raw ?? JSON.stringify(body);
      const type = raw === undefined ? { 'content-type': 'application/json' } : {};
      const req = request({ host: '127.0.0.1', servername: 'tz.test', port, path, method, agent: false, ...tls, headers: { ...headers, ...(text !== undefined ? { ...type, 'content-length': String(Buffer.byteLength(text)) } : {}) } }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => {
          const t = Buffer.concat(chunks).toString('utf8');
          let json: unknown;
          try {
            json = t ? JSON.parse(t) : undefined;
          } catch {
            json = undefined;
          }
          resolve({ status: res.statusCode ?? 0, headers: res.headers, text: t, json });
        });
      });
      req.on('error', reject);
      req.end(text);
    });

  return {
    site,
    deps,
    steps,
    records,
    client: (path, headers = {}, method = 'GET', form) => call(clientPort, { ca: clientCa }, path, headers, method, form === undefined ? undefined : new RawBody(form)),
    api: (path, headers = {}, method = 'GET', body) => call(apiPort, { ca: rootCa, cert: portal.certPem, key: portal.keyPem }, path, headers, method, body),
    upgrade: (path, headers = {}) =>
      new Promise((resolve) => {
        // ws hands servername on to tls.connect (its option types leave it out).
        const ws = new WebSocket(`wss://127.0.0.1:${clientPort}${path}`, { ca: clientCa, servername: 'tz.test', headers } as WebSocket.ClientOptions);
        ws.on('open', () => {
          resolve({ status: 101, headers: {} });
          ws.terminate();
        });
        ws.on('unexpected-response', (_req, res) => {
          resolve({ status: res.statusCode ?? 0, headers: res.headers });
          res.resume();
          ws.terminate();
        });
        ws.on('error', () => resolve({ status: 0, headers: {} }));
      }),
    stepsOf: (door) => steps.filter((s) => s.door === door).map((s) => s.step),
    async close() {
      qix.close();
      await Promise.all([clientServer, apiServer].map((s) => new Promise((r) => s.close(r))));
      await sessions.close();
      site.cleanup();
    },
  };
}

function listen(server: Server): Promise<number> {
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve((server.address() as AddressInfo).port)));
}
