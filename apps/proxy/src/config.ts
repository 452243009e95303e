import { z } from 'zod';
import { bindHost, commonKeys, key, loadConfig, metricsPort, port, type ConfigOf } from '@trustzone/config';

export const proxyConfigSpec = {
  ...commonKeys,
  metricsPort: key('TZ_PROXY_METRICS_PORT', 'Port of GET /metrics (Prometheus, mutual TLS with a site certificate); 0 picks a free port, "off" disables it.', metricsPort(9243)),
  host: bindHost('TZ_PROXY_HOST', 'client-facing HTTPS listener'),
  port: key('TZ_PROXY_PORT', 'Port of the client-facing HTTPS listener (client-facing certificate).', port(8443)),
  apiHost: bindHost('TZ_PROXY_API_HOST', 'proxy API listener'),
  apiPort: key('TZ_PROXY_API_PORT', 'Port of the proxy API (mutual TLS, integration certificates of the site CA).', port(4243)),
  repositoryAddress: key('TZ_REPOSITORY_ADDRESS', 'host:port of the repository.', z.string().default('localhost:4242')),
  engineAddress: key('TZ_ENGINE_ADDRESS', 'host:port of the engine (a single-engine site).', z.string().default('localhost:4747')),
  engineAddresses: key('TZ_ENGINE_ADDRESSES', 'Comma list of engine host:port (scale-out); overrides TZ_ENGINE_ADDRESS.', z.string().optional()),
  redisUrl: key('TZ_REDIS_URL', 'Redis URL for sessions and tickets shared by several proxies; default: in memory.', z.string().optional()),
  redisUrlFile: key('TZ_REDIS_URL_FILE', 'File holding the Redis URL (use instead of TZ_REDIS_URL when it holds a password, as in docker-compose).', z.string().optional()),
  clientFacingCert: key('TZ_CLIENT_FACING_CERT', 'Name of the client-facing cert/key pair in <data>/certs (<name>.pem, <name>_key.pem); an operator-supplied certificate goes there.', z.string().default('client-facing')),
  maxBodyBytes: key('TZ_MAX_BODY_BYTES', 'Largest request body accepted (413 above).', z.coerce.number().int().min(1024).max(64 * 1024 * 1024).default(1024 * 1024)),
  maxHeaderBytes: key('TZ_MAX_HEADER_BYTES', 'Largest request head (431 above).', z.coerce.number().int().min(1024).max(256 * 1024).default(16 * 1024)),
  rateIpPerSecond: key('TZ_RATE_IP_PER_SECOND', 'Requests per second per client IP (burst: 2×).', z.coerce.number().min(0.1).default(200)),
  maxAnonymousSessions: key('TZ_MAX_ANONYMOUS_SESSIONS', 'Anonymous sessions this proxy holds at once (each anonymous visitor is a user of its own, so the per-user limit never bounds them); beyond it new anonymous visitors get 503 with Retry-After.', z.coerce.number().int().min(0).max(10_000_000).default(10_000)),
  refusalAuditIntervalMs: key('TZ_REFUSAL_AUDIT_INTERVAL_MS', 'Refusals and failed logins before a login are audited as one record per source, event and interval, with a count: the interval length.', z.coerce.number().int().min(100).max(3_600_000).default(60_000)),
  rateUserPerSecond: key('TZ_RATE_USER_PER_SECOND', 'Requests per second per authenticated user (burst: 2×).', z.coerce.number().min(0.1).default(100)),
  headersTimeoutMs: key('TZ_HEADERS_TIMEOUT_MS', 'Time a client has to send the request head (slow-header defence).', z.coerce.number().int().min(100).default(10_000)),
  requestTimeoutMs: key('TZ_REQUEST_TIMEOUT_MS', 'Time a client has to send a whole request.', z.coerce.number().int().min(100).default(30_000)),
  idleTimeoutMs: key('TZ_IDLE_TIMEOUT_MS', 'Keep-alive idle time before the proxy closes a connection.', z.coerce.number().int().min(100).default(5_000)),
  reloadDeadlineMs: key('TZ_RELOAD_DEADLINE_MS', 'Longest a reload may run when started through the proxy.', z.coerce.number().int().min(1000).default(15 * 60_000)),
  ticketTtlMs: key('TZ_TICKET_TTL_MS', 'Lifetime of a login ticket; one minute at most (proxy-and-repository-api.md), shorter only.', z.coerce.number().int().min(1_000).max(60_000).default(60_000)),
  upstreamDeadlineMs: key('TZ_UPSTREAM_DEADLINE_MS', 'Deadline of a call to the repository or engine.', z.coerce.number().int().min(100).default(10_000)),
};

export type ProxyConfig = ConfigOf<typeof proxyConfigSpec>;

export function loadProxyConfig(env: NodeJS.ProcessEnv = process.env) {
  return loadConfig(proxyConfigSpec, env);
}
