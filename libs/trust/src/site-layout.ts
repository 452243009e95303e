import { existsSync } from 'node:fs';
import { isAbsolute, join, resolve } from 'node:path';

/**
 * Directory modes of trust-zone.md ("Server security"). `private/` holds one folder per private key
 * (`private/<name>/<name>_key.pem`) so a deployment can hand each service its own key and nothing
 * else (docker-compose.yml mounts `private/proxy` into the proxy), while `certs/` holds only public
 * material (CA certificates, CRL, service certificates, the registry).
 */
export const SITE_DIRS = { certs: 0o700, private: 0o700, db: 0o700, apps: 0o700, logs: 0o750, audit: 0o700, keys: 0o700 } as const;
export const CERT_FILE_MODE = 0o644;
export const KEY_FILE_MODE = 0o600;
export const DEFAULT_DATA_DIR = '.trustzone';
export const ENDORSEMENTS_FILE = 'root-endorsements.pem';

/** Names of cert/key pairs: `<data>/certs/<name>.pem` + `<data>/private/<name>/<name>_key.pem`. */
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
  /** `<data>/private`: one 0700 folder per private key. */
  private: string;
  crl: string;
  issued: string;
  /** Cross-certificates by which a trusted CA endorses a new one (CA rotation; see anchor-pinning.ts). */
  endorsements: string;
  lock: string;
  cert(name: string): string;
  /** The folder holding `<name>`'s private key and nothing else. */
  keyDir(name: string): string;
  key(name: string): string;
  /** Where the key lived before the private/ split (`tz site upgrade` moves it). */
  legacyKey(name: string): string;
}

export function sitePaths(dataDir: string): SitePaths {
  const certs = join(dataDir, 'certs');
  const privateDir = join(dataDir, 'private');
  return {
    dataDir,
    siteJson: join(dataDir, 'site.json'),
    certs,
    db: join(dataDir, 'db'),
    apps: join(dataDir, 'apps'),
    logs: join(dataDir, 'logs'),
    audit: join(dataDir, 'audit'),
    keys: join(dataDir, 'keys'),
    private: privateDir,
    crl: join(certs, 'crl.pem'),
    issued: join(certs, 'issued.json'),
    endorsements: join(certs, ENDORSEMENTS_FILE),
    lock: join(certs, '.lock'),
    cert: (name) => join(certs, `${name}.pem`),
    keyDir: (name) => join(privateDir, name),
    key: (name) => join(privateDir, name, `${name}_key.pem`),
    legacyKey: (name) => join(certs, `${name}_key.pem`),
  };
}

/** `--data-dir` > `TZ_DATA_DIR` > `./.trustzone`, resolved against `cwd`. Every process uses this rule. */
export function resolveDataDir(flag: string | undefined, env: NodeJS.ProcessEnv = process.env, cwd = process.cwd()): string {
  const chosen = flag ?? (env['TZ_DATA_DIR'] || undefined) ?? DEFAULT_DATA_DIR;
  return isAbsolute(chosen) ? chosen : resolve(cwd, chosen);
}

/**
 * The key file to read for `name`: `private/<name>/` — or, on a site `tz site upgrade` has not
 * moved yet, the old place in certs/. Writers always write the new place.
 */
export function siteKeyFile(paths: SitePaths, name: string): string {
  const split = paths.key(name);
  return !existsSync(split) && existsSync(paths.legacyKey(name)) ? paths.legacyKey(name) : split;
}
