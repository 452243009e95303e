import { VERSION } from '@trustzone/config';
import { healthHandlers, HealthService, TrustZoneServer, trustZoneTls, type RefusedCall, type TlsSource } from '@trustzone/contracts';
import { createLogger, type Logger, type LogLevel } from '@trustzone/logging';
import { openTrustStore, resolveDataDir, sitePaths, type SitePaths, type TrustStore } from '@trustzone/trust';
import { join } from 'node:path';
import { Metrics } from './metrics';
import { startMetricsServer } from './metrics-server';
import { registerProcessMetrics } from './process-metrics';

export interface ServiceHostOptions {
  service: 'repository' | 'engine' | 'proxy';
  dataDir: string;
  logLevel: LogLevel;
  logStdout: boolean;
  /** Config warnings (unsafe development defaults) to log loudly at start. */
  warnings?: string[];
}

export interface ServiceHost {
  paths: SitePaths;
  logger: Logger;
  store: TrustStore;
  tls: TlsSource;
  server: TrustZoneServer;
  metrics: Metrics;
  /** Where refused calls go besides the log and metrics (the repository's audit trail). */
  onRefused(sink: (r: RefusedCall) => void): void;
  /** Dependency checks Health reports (e.g. database, audit trail), once they exist. */
  setChecks(checks: () => Promise<Record<string, string>>): void;
  /** Starts GET /metrics (mTLS) when `port` is set; resolves the bound port. */
  startMetrics(host: string, port: number | undefined): Promise<number | undefined>;
  close(): void;
}

/**
 * What every service process sets up the same way: the operational log, its trust-zone identity
 * (key file permission check, watched files), and a guarded gRPC server already answering
 * Health.Check. Refusals and handler failures are logged here once.
 */
export function createServiceHost(o: ServiceHostOptions): ServiceHost {
  const paths = sitePaths(resolveDataDir(o.dataDir));
  const logger = createLogger({ service: o.service, level: o.logLevel, file: join(paths.logs, `${o.service}.log`), stdout: o.logStdout });
  for (const w of o.warnings ?? []) logger.warn(`unsafe configuration: ${w}`);
  const store = openTrustStore({ certsDir: paths.certs, name: o.service });
  store.on('error', (e) => logger.warn('certificate reload failed; keeping the previous set', { error: e.message }));
  store.on('anchor-refused', (e) => logger.error('a CA in the trust bundle is not endorsed by a trusted CA and is NOT trusted', { error: e.message }));
  store.on('change', (m) => logger.info('trust material reloaded', { serial: m.serial, notAfter: m.notAfter.toISOString() }));
  const tls = trustZoneTls(store);
  const metrics = new Metrics();
  const processMetrics = registerProcessMetrics(metrics);
  const calls = metrics.counter('tz_grpc_requests_total', 'gRPC calls served, by method and result code');
  const latency = metrics.histogram('tz_grpc_request_duration_seconds', 'gRPC call latency, by method');
  const refused = metrics.counter('tz_grpc_refused_total', 'calls refused by the caller-identity check');
  let sink: ((r: RefusedCall) => void) | undefined;
  let checks: (() => Promise<Record<string, string>>) | undefined;
  const server = new TrustZoneServer({
    tls,
    volume: o.service,
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
    service: o.service,
    version: VERSION,
    certificate: () => ({ serial: store.current().serial, notAfter: store.current().notAfter.toISOString() }),
    checks: async () => (checks ? checks() : {}),
  }));
  let metricsServer: { close(): void } | undefined;
  return {
    paths,
    logger,
    store,
    tls,
    server,
    metrics,
    onRefused: (f) => {
      sink = f;
    },
    setChecks: (f) => {
      checks = f;
    },
    async startMetrics(host, port) {
      if (port === undefined) return undefined;
      const m = await startMetricsServer({ host, port, store, metrics });
      metricsServer = m.server;
      return m.port;
    },
    close: () => {
      processMetrics.stop();
      metricsServer?.close();
      store.close();
    },
  };
}
