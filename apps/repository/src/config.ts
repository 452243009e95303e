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
  auditCheckpointEvery: key('TZ_AUDIT_CHECKPOINT_EVERY', 'Signed audit checkpoint every N records.', z.coerce.number().int().min(1).default(1000)),
  auditCheckpointMs: key('TZ_AUDIT_CHECKPOINT_MS', 'Signed audit checkpoint at least every N ms.', z.coerce.number().int().min(100).default(60_000)),
  proxyPort: key('TZ_PROXY_PORT', "The proxy's client-facing port: the seeded default virtual proxy allows WebSocket origins <site host>:<this port>.", port(8443)),
  seedOnly: key('TZ_SEED_ONLY', 'Migrate and seed the database, then exit (what `tz init` runs; same as the --seed-only flag).', bool(false)),
};

export type RepositoryConfig = ConfigOf<typeof repositoryConfigSpec>;

export function loadRepositoryConfig(env: NodeJS.ProcessEnv = process.env) {
  return loadConfig(repositoryConfigSpec, env);
}
