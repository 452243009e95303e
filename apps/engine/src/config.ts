import { z } from 'zod';
import { bindHost, commonKeys, key, loadConfig, metricsPort, port, type ConfigOf } from '@trustzone/config';

export const engineConfigSpec = {
  ...commonKeys,
  metricsPort: key('TZ_ENGINE_METRICS_PORT', 'Port of GET /metrics (Prometheus, mutual TLS with a site certificate); 0 picks a free port, "off" disables it.', metricsPort(9747)),
  host: bindHost('TZ_ENGINE_HOST', 'engine gRPC listener'),
  port: key('TZ_ENGINE_PORT', 'Port of the engine gRPC listener (mTLS).', port(4747)),
  repositoryAddress: key('TZ_REPOSITORY_ADDRESS', 'host:port of the repository.', z.string().default('localhost:4242')),
  appsDir: key('TZ_APPS_DIR', 'Folder of app files (shared by every engine of the site); default <data>/apps.', z.string().optional()),
  keysDir: key('TZ_KEYS_DIR', 'Key store of app encryption keys; default <data>/keys.', z.string().optional()),
  appAuthKeyFile: key('TZ_APP_AUTH_KEY_FILE', 'The site\'s app authentication key (created by tz init; only engines and tz need it): app files are written under it and no other is read. Default <keys>/app-auth.key.', z.string().optional()),
  dataConnectionsDir: key('TZ_DATA_CONNECTIONS_DIR', 'Root of the data volume that folder data connections point into; default <data>/data.', z.string().optional()),
  repositoryDeadlineMs: key('TZ_REPOSITORY_DEADLINE_MS', 'Deadline of a call to the repository.', z.coerce.number().int().min(100).default(10_000)),
  reloadWorker: key('TZ_RELOAD_WORKER', 'Path of the bundled reload worker; default: next to the engine bundle.', z.string().optional()),
  reloadTimeoutMs: key('TZ_RELOAD_TIMEOUT_MS', 'A reload running longer is killed.', z.coerce.number().int().min(100).default(300_000)),
  reloadMemoryMb: key('TZ_RELOAD_MEMORY_MB', 'Heap limit of a reload process.', z.coerce.number().int().min(32).default(1024)),
  reloadConcurrency: key('TZ_RELOAD_CONCURRENCY', 'Reloads this engine runs at once; each is a process with up to TZ_RELOAD_MEMORY_MB of heap, so keep concurrency × that well below the engine\'s memory. More wait in the queue.', z.coerce.number().int().min(1).max(64).default(2)),
  reloadQueueLength: key('TZ_RELOAD_QUEUE_LENGTH', 'Reloads waiting for a free slot (in arrival order; the reload stream reports "queued" with the position). Beyond it a reload is refused: HTTP 429 with Retry-After.', z.coerce.number().int().min(0).max(10_000).default(8)),
  reloadPerUser: key('TZ_RELOAD_PER_USER', 'Reloads one user may have running and waiting together on this engine; beyond it: HTTP 429 with Retry-After.', z.coerce.number().int().min(1).max(10_000).default(4)),
  reloadNice: key('TZ_RELOAD_NICE', 'Scheduling priority (nice, 0-19) of reload processes: above 0 QIX sessions get the CPU first while reloads run.', z.coerce.number().int().min(0).max(19).default(10)),
  aesGcm: key('TZ_AES_GCM', 'AES-GCM used to decrypt app files: auto (the native addon from dist/native when it is built and passes its self-test, else node:crypto), native (refuse to start without it), node.', z.enum(['auto', 'native', 'node']).default('auto')),
  qixRecheckMs: key('TZ_QIX_RECHECK_MS', 'Every open QIX stream is re-checked at least this often (the re-checks spread over the interval): the proxy certificate it was opened under (CRL) and the user\'s Read on the app (repository rules); a stream that fails either is closed.', z.coerce.number().int().min(100).max(600_000).default(5_000)),
  qixCallerCloseSpreadMs: key('TZ_QIX_CALLER_CLOSE_SPREAD_MS', 'QIX streams whose proxy certificate stopped being valid in the same re-check (a rotation\'s retirement, a revocation) are closed spread evenly over this window instead of all at once, so their clients do not all reconnect at the same moment. Every such stream is closed within TZ_QIX_RECHECK_MS + this window of the certificate ending (docs/threat-model.md); 0 closes them all at once. Access revocations are never delayed.', z.coerce.number().int().min(0).max(120_000).default(10_000)),
  appExchangeDir: key('TZ_APP_EXCHANGE_DIR', 'Folder of partner sites for app export and import (<partner>/ca.pem, <partner>/encryption.pem); default <data>/exchange.', z.string().optional()),
  appImportMaxBytes: key('TZ_APP_IMPORT_MAX_BYTES', 'Largest app upload accepted (bytes); larger ones are refused while they arrive.', z.coerce.number().int().min(1024).max(2 ** 31 - 1).default(512 * 1024 * 1024)),
  cubeCacheMb: key('TZ_ENGINE_CUBE_CACHE_MB', 'MiB of computed hypercubes kept over every session of this engine, so a repeated selection state, another page or a GetLayout after GetHyperCubeData is answered without computing again (per session: never shared between sessions). More memory, fewer recomputations; 0 disables it (every call computes its cube).', z.coerce.number().int().min(0).max(1024 * 1024).default(64)),
  maxOpenApps: key('TZ_MAX_OPEN_APPS', 'Apps kept decoded in memory (least recently used are dropped).', z.coerce.number().int().min(1).default(16)),
};

export type EngineConfig = ConfigOf<typeof engineConfigSpec>;

export function loadEngineConfig(env: NodeJS.ProcessEnv = process.env) {
  return loadConfig(engineConfigSpec, env);
}
