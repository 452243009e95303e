import { resolve } from 'node:path';

/** The product version, reported by Health and /qrs/about (kept equal to package.json by a test). */
export const VERSION = '0.1.0';

/** Everything a site writes lives under one data directory (trust-zone.md, server security). */
export function dataDirFrom(env: NodeJS.ProcessEnv = process.env, cwd = process.cwd()): string {
  return resolve(cwd, env['TZ_DATA_DIR'] || '.trustzone');
}

export function sitePaths(dataDir: string) {
  return {
    dataDir,
    siteFile: resolve(dataDir, 'site.json'),
    certs: resolve(dataDir, 'certs'),
    db: resolve(dataDir, 'db'),
    apps: resolve(dataDir, 'apps'),
    logs: resolve(dataDir, 'logs'),
    audit: resolve(dataDir, 'audit'),
    keys: resolve(dataDir, 'keys'),
    defaultDatabaseUrl: `file:${resolve(dataDir, 'db', 'repository.db')}`,
  };
}
