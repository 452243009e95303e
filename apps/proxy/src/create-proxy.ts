import { createServer, type Server, type ServerOptions } from 'node:https';
import type { AddressInfo } from 'node:net';
import { Redis } from 'ioredis';
import { readSecretFile, type LoadedConfig } from '@trustzone/config';
import { createServiceHost } from '@trustzone/service-host';
import { bindServerToTrustStore, openTrustStore } from '@trustzone/trust';
import { createIdpRuntime } from './idp/idp-runtime';
import { proxyApiApp } from './api/api-app';
import { AuditAggregator } from './audit/audit-aggregator';
import { ProxyAudit } from './audit/proxy-audit';
import { LoginTargetStore } from './auth/login-target-store';
import { createTicketStore } from './auth/ticket-store.factory';
import { clientFacingApp } from './client/client-facing-app';
import type { ProxyDeps } from './client/proxy-deps';
import type { proxyConfigSpec } from './config';
import { TokenBucketLimiter } from './edge/token-bucket-limiter';
import { AnonymousSessionCap } from './session/anonymous-session-cap';
import { createSessionStore } from './session/session-store.factory';
import { closeUpstreams, createUpstreams } from './upstreams';
import { VirtualProxyRegistry } from './virtual-proxy/virtual-proxy-registry';
import { createQixRelay } from './ws/qix-relay';

/** Builds the proxy: the only door of the site (client-facing HTTPS + the mTLS proxy API). */
export async function createProxy({ config, warnings }: LoadedConfig<typeof proxyConfigSpec>) {
  const host = createServiceHost({ service: 'proxy', dataDir: config.dataDir, logLevel: config.logLevel, logStdout: config.logStdout, warnings });
  const log = host.logger;
  // Clients are outside the zone: the client-facing certificate comes from a different CA.
  const clientFacing = openTrustStore({ certsDir: host.paths.certs, name: config.clientFacingCert });
  const engines = (config.engineAddresses ?? config.engineAddress).split(',').map((a) => a.trim()).filter(Boolean);
  const upstreams = createUpstreams(host.tls, { repository: config.repositoryAddress, engines });
  const redisUrl = config.redisUrl ?? (config.redisUrlFile ? readSecretFile(config.redisUrlFile, 'TZ_REDIS_URL_FILE') : undefined);
  const redis = redisUrl ? new Redis(redisUrl, { maxRetriesPerRequest: 2, connectTimeout: 5_000 }) : undefined;
  redis?.on('error', (e) => log.warn('redis connection problem', { error: e.message }));
  // Refuse to start without the shared store rather than serve with sessions nobody else sees.
  if (redis) await waitForRedis(redis, 10_000);
  const sessions = await createSessionStore({ ...(redis ? { redis } : {}), onListenerError: (e) => log.error('session listener failed', { error: String(e) }) });
  const registry = new VirtualProxyRegistry(upstreams, log.child({ component: 'virtual-proxies' }), config.upstreamDeadlineMs);

  const requests = host.metrics.counter('tz_http_requests_total', 'HTTP requests, by listener and status');
  const latency = host.metrics.histogram('tz_http_request_duration_seconds', 'HTTP request latency, by listener');
  const started = host.metrics.counter('tz_sessions_started_total', 'sessions started on this proxy, by login method');
  const audit = new ProxyAudit(upstreams, config.upstreamDeadlineMs);
  const aggregate = new AuditAggregator(audit, {
    intervalMs: config.refusalAuditIntervalMs,
    onFlushError: (e, lost) => log.warn('aggregated audit records not written yet', { error: e instanceof Error ? e.message : String(e), lost }),
  });
  const anonymousCap = new AnonymousSessionCap(config.maxAnonymousSessions);
  sessions.onEnded((id) => anonymousCap.ended(id));
  const deps: ProxyDeps = {
    sessionStoreHealth: async () => {
      if (!redis) return 'memory';
      const pong = await Promise.race([redis.ping(), new Promise<string>((r) => setTimeout(() => r('timeout'), 1_000).unref())]);
      return pong === 'PONG' ? 'ok' : 'unavailable';
    },
    observe: {
      request: (listener, status, ms) => {
        requests.inc({ listener, status: String(status) });
        latency.observe({ listener }, ms / 1000);
      },
      sessionStarted: (via) => started.inc({ via }),
    },
    upstreams,
    registry,
    sessions,
    tickets: createTicketStore({ ttlMs: config.ticketTtlMs, ...(redis ? { redis } : {}) }),
    ipLimiter: new TokenBucketLimiter({ ratePerSecond: config.rateIpPerSecond, burst: config.rateIpPerSecond * 2 }),
    userLimiter: new TokenBucketLimiter({ ratePerSecond: config.rateUserPerSecond, burst: config.rateUserPerSecond * 2 }),
    audit,
    aggregate,
    anonymousCap,
    integrationTrust: host.store,
    logger: log,
    deadlineMs: config.upstreamDeadlineMs,
    maxBodyBytes: config.maxBodyBytes,
    reloadDeadlineMs: config.reloadDeadlineMs,
    idp: createIdpRuntime({ oidc: { timeoutSeconds: Math.ceil(config.upstreamDeadlineMs / 1000) } }),
    // Five minutes to log in at the portal; bounded so unauthenticated visits cannot grow it.
    loginTargets: new LoginTargetStore({ ttlMs: 5 * 60_000, maxEntries: 10_000 }),
    apiPort: { current: config.apiPort },
  };
  sessions.onEnded((_id, reason) => log.info('session ended', { reason }));

  // Node enforces headersTimeout/requestTimeout only when it sweeps connections (every 30 s by
  // default), and a TLS handshake may stall for 120 s: both let a slow client hold a socket far
  // longer than configured. Sweep at least twice per headers timeout, and give the handshake the
  // same budget as the request head.
  const limits: ServerOptions = {
    maxHeaderSize: config.maxHeaderBytes,
    connectionsCheckingInterval: Math.max(100, Math.min(1_000, Math.floor(config.headersTimeoutMs / 2))),
    handshakeTimeout: config.headersTimeoutMs,
  };
  const cfServer = createServer({ ...clientFacing.serverTlsOptions({ requireClientCert: false }), ...limits }, clientFacingApp(deps));
  const apiServer = createServer({ ...host.store.serverTlsOptions({ requireClientCert: true }), ...limits }, proxyApiApp(deps));
  for (const s of [cfServer, apiServer]) {
    s.headersTimeout = config.headersTimeoutMs;
    s.requestTimeout = config.requestTimeoutMs;
    s.keepAliveTimeout = config.idleTimeoutMs;
    s.on('tlsClientError', () => undefined); // failed handshakes (scanners, wrong CA) are expected noise
  }
  const qix = createQixRelay(deps, host.tls);
  host.metrics.gauge('tz_qix_open_sockets', 'QIX websockets open on this proxy', () => qix.count());
  const sessionEvents = host.metrics.counter('tz_sessions_ended_total', 'sessions ended, by reason');
  sessions.onEnded((_id, reason) => sessionEvents.inc({ reason }));
  cfServer.on('upgrade', (req, socket, head) => qix.handleUpgrade(req, socket, head));
  const unbind = [bindServerToTrustStore(cfServer, clientFacing, { requireClientCert: false }), bindServerToTrustStore(apiServer, host.store, { requireClientCert: true })];

  return {
    host,
    deps,
    servers: { clientFacing: cfServer, api: apiServer },
    qix,
    async listen(port = config.port, apiPort = config.apiPort) {
      await registry.start();
      upstreams.engines.start();
      aggregate.start();
      const bound = await listen(cfServer, config.host, port);
      const apiBound = await listen(apiServer, config.apiHost, apiPort);
      deps.apiPort.current = apiBound;
      const metricsPort = await host.startMetrics(config.apiHost, config.metricsPort);
      log.info('proxy listening', { port: bound, apiPort: apiBound });
      return {
        port: bound,
        apiPort: apiBound,
        metricsPort,
        stop: async (deadlineMs: number) => {
          registry.stop();
          qix.close();
          for (const u of unbind) u();
          await Promise.all([close(cfServer, deadlineMs), close(apiServer, deadlineMs)]);
          // What was counted this interval is written while the repository is still reachable.
          await aggregate.close().catch((e: unknown) => log.warn('aggregated audit records lost at shutdown', { error: e instanceof Error ? e.message : String(e) }));
          await sessions.close();
          redis?.disconnect();
          closeUpstreams(upstreams);
          clientFacing.close();
          host.close();
        },
      };
    },
  };
}

function listen(server: Server, hostName: string, port: number): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, hostName, () => resolve((server.address() as AddressInfo).port));
  });
}

/** Stops accepting, lets running requests finish up to the deadline, then cuts what is left. */
function close(server: Server, deadlineMs: number): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(() => server.closeAllConnections(), deadlineMs);
    server.close(() => {
      clearTimeout(timer);
      resolve();
    });
    server.closeIdleConnections();
  });
}

function waitForRedis(redis: Redis, timeoutMs: number): Promise<void> {
  if (redis.status === 'ready') return Promise.resolve();
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`Redis (TZ_REDIS_URL) did not answer within ${timeoutMs} ms`)), timeoutMs);
    redis.once('ready', () => {
      clearTimeout(timer);
      resolve();
    });
  });
}
