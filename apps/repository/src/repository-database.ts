import { mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { SitePaths } from '@trustzone/trust';
import { readSecretFile } from '@trustzone/config';
import { createRepositoryStores, migrateDatabase, migrationsDirFor, openDatabase, parseDatabaseUrl, type Database, type RepositoryStores } from './db';
import type { RepositoryConfig } from './config';
import { openSecretBox } from './secrets/secret-box';

/** prisma/ of the installation: three levels up from both apps/repository/src and dist/apps/repository. */
const DEFAULT_PRISMA_ROOT = resolve(__dirname, '..', '..', '..', 'prisma');

/** TZ_DATABASE_URL, else the file TZ_DATABASE_URL_FILE names, else SQLite in <data>/db. */
export function databaseUrl(config: Pick<RepositoryConfig, 'databaseUrl' | 'databaseUrlFile'>, paths: SitePaths): string {
  if (config.databaseUrl) return config.databaseUrl;
  if (config.databaseUrlFile) return readSecretFile(config.databaseUrlFile, 'TZ_DATABASE_URL_FILE');
  mkdirSync(paths.db, { recursive: true, mode: 0o700 });
  return `file:${join(paths.db, 'repository.db')}`;
}

/** Brings the schema up to date, then opens it (the repository is the database's only writer). */
export async function openRepositoryDatabase(config: Pick<RepositoryConfig, 'databaseUrl' | 'databaseUrlFile' | 'migrationsDir'> & { secretsKeyFile?: string | undefined }, paths: SitePaths): Promise<{ database: Database; stores: RepositoryStores; applied: string[] }> {
  const url = databaseUrl(config, paths);
  const provider = parseDatabaseUrl(url).provider;
  const migrated = await migrateDatabase({ url, migrationsDir: migrationsDirFor(config.migrationsDir ?? DEFAULT_PRISMA_ROOT, provider) });
  const database = await openDatabase({ url });
  // keys/, not private/: `tz init --force` replaces private/ wholesale, and the secrets outlive it.
  const secrets = openSecretBox(config.secretsKeyFile ?? join(paths.keys, 'repository-secrets.key'));
  return { database, stores: createRepositoryStores(database.db, { secrets }), applied: migrated.applied };
}
