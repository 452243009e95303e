import { join } from 'node:path';
import { VERSION } from '@trustzone/config';
import { healthHandlers, HealthService, TrustZoneServer, trustZoneTls, type RefusedCall } from '@trustzone/contracts';
import { createLogger, type LogLevel } from '@trustzone/logging';
import { Metrics, startMetricsServer, type ServiceHost } from '@trustzone/service-host';
import { openTrustStore, resolveDataDir, sitePaths } from '@trustzone/trust';

export interface RepositoryHost extends ServiceHost {
  /** Where refused calls go besides the operational log and metrics (the audit trail, once open). */
  onRefused(sink: (r: RefusedCall) => void): void;
  /** Dependency checks Health reports (database, audit trail), once they exist. */
  setChecks(checks: () => Promise<Record<string, string>>): void;
}

/**
 * createServiceHost (@trustzone/service-host) with one addition: refused calls also reach the
 * audit trail — "anything else asserting a user is refused and audited"
 * (proxy-and-repository-api.md) — and the trail is the repository's. Same logger, trust store,
 * metrics and Health wiring as every other service.
 */
export function createRepositoryHost(o: { dataDir: string; logLevel: LogLevel; logStdout: boolean; warnings?: string[] }): RepositoryHost {
  const paths = sitePaths(resolveDataDir(o.dataDir));
  const logger = createLogger({ service: 'repository', level: o.logLevel, file: join(paths.logs, 'repository.log'), stdout: o.logStdout });
  for (const w of o.warnings ?? []) logger.warn(`unsafe configuration: ${w}`);
  const store = openTrustStore({ certsDir: paths.certs, name: 'repository' });
  store.on('error', (e) => logger.warn('certificate reload failed; keeping the previous set', { error: e.message }));
  store.on('change', (m) => logger.info('trust material reloaded', { serial: m.serial, notAfter: m.notAfter.toISOString() }));
  const tls = trustZoneTls(store);
  const metrics = new Metrics();
  const calls = metrics.counter('tz_grpc_requests_total', 'gRPC calls served, by method and result code');
  const latency = metrics.histogram('tz_grpc_request_duration_seconds', 'gRPC call latency, by method');
  const refused = metrics.counter('tz_grpc_refused_total', 'calls refused by the caller-identity check');
  let sink: ((r: RefusedCall) => void) | undefined;
  let checks: (() => Promise<Record<string, string>>) | undefined;
  const server = new TrustZoneServer({
    tls,
    onCall: (method, code, ms) => {
      calls.inc({ method, code });
      latency.observe({ method }, ms / 1000);
    },
    onRefused: (r) => {
      refused.inc({ method: r.method });
      logger.warn('call refused', { ...r });
      sink?.(r);
    },
    onError: (method, e) => logger.error('handler failed', { method, error: e instanceof Error ? e.message : String(e) }),
  });
  server.addService(HealthService.service, healthHandlers({
    service: 'repository',
    version: VERSION,
    certificate: () => ({ serial: store.current().serial, notAfter: store.current().notAfter.toISOString() }),
    checks: async () => (checks ? checks() : { database: 'starting' }),
  }));
  let metricsServer: { close(): void } | undefined;
  return {
    paths,
    logger,
    store,
    tls,
    server,
    metrics,
    async startMetrics(host, port) {
      if (port === undefined) return undefined;
      const m = await startMetricsServer({ host, port, store, metrics });
      metricsServer = m.server;
      return m.port;
    },
    close: () => {
      metricsServer?.close();
      store.close();
    },
    onRefused: (s) => (sink = s),
    setChecks: (c) => (checks = c),
  };
}
