import { appendFileSync, chownSync, existsSync, mkdirSync, readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { SiteTestError, SiteTestErrorCode } from '../site-tests.error';
import { must } from './host-command';
import type { ServicePlan } from './service-plan';

/** The host's PostgreSQL server binaries (Debian layout), newest major version first. */
export function postgresBinDir(): string {
  const base = '/usr/lib/postgresql';
  const versions = existsSync(base) ? readdirSync(base).filter((v) => existsSync(join(base, v, 'bin', 'initdb'))).sort((a, b) => Number(b) - Number(a)) : [];
  if (!versions[0]) throw new SiteTestError(SiteTestErrorCode.HostUnsupported, 'no PostgreSQL server binaries in /usr/lib/postgresql/<version>/bin');
  return join(base, versions[0], 'bin');
}

export function postgresAccount(): { uid: number; gid: number } {
  return { uid: Number(must('id', ['-u', 'postgres']).trim()), gid: Number(must('id', ['-g', 'postgres']).trim()) };
}

/**
 * What the official postgres image's entrypoint does on an empty volume, with the compose service's
 * environment: initdb as the postgres account with POSTGRES_USER and the password from
 * POSTGRES_PASSWORD_FILE, local socket trusted, every network login by POSTGRES_HOST_AUTH_METHOD,
 * then POSTGRES_DB created. Returns the server command line (listening on every address of its
 * namespace, socket in the service's /var/run/postgresql tmpfs).
 */
export function preparePostgres(plan: ServicePlan): string[] {
  const bin = postgresBinDir();
  const env = plan.env;
  const user = env['POSTGRES_USER'] ?? 'postgres';
  const db = env['POSTGRES_DB'] ?? user;
  const method = env['POSTGRES_HOST_AUTH_METHOD'] ?? 'scram-sha-256';
  const pwfile = env['POSTGRES_PASSWORD_FILE'];
  const pgdata = env['PGDATA'];
  const socketDir = plan.mounts.find((m) => m.target === '/var/run/postgresql')?.host;
  if (!pwfile || !pgdata || !socketDir) throw new SiteTestError(SiteTestErrorCode.ComposeInvalid, 'postgres needs POSTGRES_PASSWORD_FILE, PGDATA and a /var/run/postgresql tmpfs');
  if (!/^[a-z_][a-z0-9_]*$/.test(db)) throw new SiteTestError(SiteTestErrorCode.ComposeInvalid, `POSTGRES_DB "${db}" is not a plain identifier`);
  const account = postgresAccount();
  for (const dir of [dirname(pgdata), pgdata]) {
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    chownSync(dir, account.uid, account.gid);
  }
  const asPostgres = (args: string[], input?: string) => must('runuser', ['-u', 'postgres', '--', ...args], { timeoutMs: 60_000, ...(input !== undefined ? { input } : {}) });
  asPostgres([join(bin, 'initdb'), '-D', pgdata, '-U', user, `--pwfile=${pwfile}`, '--auth-local=trust', `--auth-host=${method}`, '-E', 'UTF8', '--no-sync']);
  appendFileSync(join(pgdata, 'pg_hba.conf'), `\n# as the postgres image: network logins from anywhere, with the password\nhost all all all ${method}\n`);
  asPostgres([join(bin, 'postgres'), '--single', '-D', pgdata, 'postgres'], `CREATE DATABASE ${db};\n`);
  return [join(bin, 'postgres'), '-D', pgdata, '-c', 'listen_addresses=*', '-c', `unix_socket_directories=${socketDir}`, '-p', '5432', '-c', 'fsync=off'];
}
