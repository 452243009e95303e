import { isAbsolute, join, resolve } from 'node:path';

/** Directory modes of trust-zone.md ("Server security"). */
export const SITE_DIRS = { certs: 0o700, db: 0o700, apps: 0o700, logs: 0o750, audit: 0o700, keys: 0o700 } as const;
export const CERT_FILE_MODE = 0o644;
export const KEY_FILE_MODE = 0o600;
export const DEFAULT_DATA_DIR = '.trustzone';

/** Names of cert/key pairs in `<data>/certs`: `<name>.pem` + `<name>_key.pem`. */
export type CertName = 'root' | 'client-facing-ca' | 'client-facing' | 'proxy' | 'repository' | 'engine' | 'cli';

export interface SitePaths {
  dataDir: string;
  siteJson: string;
  certs: string;
  db: string;
  apps: string;
  logs: string;
  audit: string;
  keys: string;
  crl: string;
  issued: string;
  lock: string;
  cert(name: string): string;
  key(name: string): string;
}

export function sitePaths(dataDir: string): SitePaths {
  const certs = join(dataDir, 'certs');
  return {
    dataDir,
    siteJson: join(dataDir, 'site.json'),
    certs,
    db: join(dataDir, 'db'),
    apps: join(dataDir, 'apps'),
    logs: join(dataDir, 'logs'),
    audit: join(dataDir, 'audit'),
    keys: join(dataDir, 'keys'),
    crl: join(certs, 'crl.pem'),
    issued: join(certs, 'issued.json'),
    lock: join(certs, '.lock'),
    cert: (name) => join(certs, `${name}.pem`),
    key: (name) => join(certs, `${name}_key.pem`),
  };
}

/** `--data-dir` > `TZ_DATA_DIR` > `./.trustzone`, resolved against `cwd`. Every process uses this rule. */
export function resolveDataDir(flag: string | undefined, env: NodeJS.ProcessEnv = process.env, cwd = process.cwd()): string {
  const chosen = flag ?? (env['TZ_DATA_DIR'] || undefined) ?? DEFAULT_DATA_DIR;
  return isAbsolute(chosen) ? chosen : resolve(cwd, chosen);
}
