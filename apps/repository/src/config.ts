import { z } from 'zod';
import { bindHost, bool, commonKeys, key, loadConfig, metricsPort, port, type ConfigOf } from '@trustzone/config';

/** The repository's configuration: every key, its variable, its meaning and default (docs/configuration.md). */
export const repositoryConfigSpec = {
  ...commonKeys,
  metricsPort: key('TZ_REPOSITORY_METRICS_PORT', 'Port of GET /metrics (Prometheus, mutual TLS with a site certificate); 0 picks a free port, "off" disables it.', metricsPort(9242)),
  host: bindHost('TZ_REPOSITORY_HOST', 'repository gRPC listener'),
  port: key('TZ_REPOSITORY_PORT', 'Port of the repository gRPC listener (mTLS).', port(4242)),
  databaseUrl: key('TZ_DATABASE_URL', 'Database: a file: URL (SQLite) or postgresql://…; default: SQLite in <data>/db/repository.db.', z.string().optional()),
  databaseUrlFile: key('TZ_DATABASE_URL_FILE', 'File holding the database URL (use instead of TZ_DATABASE_URL when it contains a password).', z.string().optional()),
  migrationsDir: key('TZ_MIGRATIONS_DIR', 'Folder holding prisma/<provider>/migrations; default: the prisma/ folder of the installation.', z.string().optional()),
  secretsKeyFile: key('TZ_REPOSITORY_SECRETS_KEY_FILE', 'Key (64 hex, mode 0600) that seals secrets the repository stores, such as OIDC client secrets; created on first start. Default <data>/keys/repository-secrets.key. Repositories sharing one database need the same file.', z.string().optional()),
  auditCheckpointEvery: key('TZ_AUDIT_CHECKPOINT_EVERY', 'Signed audit checkpoint every N records.', z.coerce.number().int().min(1).default(1000)),
  auditCheckpointMs: key('TZ_AUDIT_CHECKPOINT_MS', 'Signed audit checkpoint at least every N ms.', z.coerce.number().int().min(100).default(60_000)),
  auditMaxFileBytes: key('TZ_AUDIT_MAX_FILE_BYTES', 'Start a new audit file (audit-NNNNNN.jsonl) once the current one reaches this many bytes; every file ends with a signed checkpoint.', z.coerce.number().int().min(4096).default(64 * 1024 ** 2)),
  auditRetainBytes: key(
    'TZ_AUDIT_RETAIN_BYTES',
    'Audit retention: keep at most this many bytes of audit files, dropping the oldest whole files after a rotation (the trail stays verifiable from a signed retention anchor and an audit.retention record). 0 keeps everything; otherwise at least twice TZ_AUDIT_MAX_FILE_BYTES. Copy audit/ elsewhere (tz site backup) if you must keep more.',
    z.coerce.number().int().min(0).default(2 * 1024 ** 3),
  ),
  diskLowFreeBytes: key('TZ_DISK_LOW_FREE_BYTES', 'Free space below which the data directory counts as low: tz_data_dir_low_disk = 1 on /metrics, a warning in the log and in tz site status. Nothing is refused because of it.', z.coerce.number().int().min(0).default(1024 ** 3)),
  certRetireCheckMs: key('TZ_CERT_RETIRE_CHECK_MS', 'How often the repository revokes certificates whose grace period after a rotation is over (when it can read the site CA key); 0 leaves it to tz certs.', z.coerce.number().int().min(0).default(5_000)),
  proxyPort: key('TZ_PROXY_PORT', "The proxy's client-facing port: the seeded default virtual proxy allows WebSocket origins <site host>:<this port>.", port(8443)),
  engineAddress: key('TZ_ENGINE_ADDRESS', 'host:port of the engine the scheduler runs reload tasks on (a single-engine site).', z.string().default('localhost:4747')),
  engineAddresses: key('TZ_ENGINE_ADDRESSES', 'Comma list of engine host:port (scale-out); overrides TZ_ENGINE_ADDRESS. Task runs go round robin over them.', z.string().optional()),
  scheduler: key('TZ_SCHEDULER', 'Run the task scheduler in this repository (on: it competes for the site\'s scheduler lease; off: it never runs tasks).', bool(true)),
  schedulerTickMs: key('TZ_SCHEDULER_TICK_MS', 'How often the scheduler looks for due triggers and queued runs (a trigger fires at most this late).', z.coerce.number().int().min(50).max(60_000).default(500)),
  schedulerLeaseMs: key('TZ_SCHEDULER_LEASE_MS', 'Lifetime of the scheduler lease; another repository takes over this long after the holder stops renewing it.', z.coerce.number().int().min(1_000).max(600_000).default(10_000)),
  schedulerConcurrency: key('TZ_SCHEDULER_CONCURRENCY', 'Task runs the scheduler keeps going at once (the engines bound their own reload queues too).', z.coerce.number().int().min(1).max(64).default(4)),
  taskRetryDelayMs: key('TZ_TASK_RETRY_DELAY_MS', 'Wait before a failed run is retried (when the task allows retries).', z.coerce.number().int().min(0).max(3_600_000).default(5_000)),
  engineBusyDelayMs: key('TZ_ENGINE_BUSY_DELAY_MS', 'Wait before a run is offered again when the engine answered that its reload queue is full (429); not counted as a retry.', z.coerce.number().int().min(100).max(3_600_000).default(5_000)),
  taskStartWaitMs: key('TZ_TASK_START_WAIT_MS', 'How long POST /qrs/task/{id}/start/synchronous waits for a scheduler to start the run before answering the empty GUID.', z.coerce.number().int().min(100).max(600_000).default(15_000)),
  exportTicketMs: key('TZ_EXPORT_TICKET_MS', 'Lifetime of an app export or script log download link (single use).', z.coerce.number().int().min(1_000).max(24 * 3_600_000).default(10 * 60_000)),
  seedOnly: key('TZ_SEED_ONLY', 'Migrate and seed the database, then exit (what `tz init` runs; same as the --seed-only flag).', bool(false)),
};

export type RepositoryConfig = ConfigOf<typeof repositoryConfigSpec>;

export function loadRepositoryConfig(env: NodeJS.ProcessEnv = process.env) {
  return loadConfig(repositoryConfigSpec, env);
}
