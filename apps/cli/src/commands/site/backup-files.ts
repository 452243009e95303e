import { createHash } from 'node:crypto';
import { chmodSync, copyFileSync, existsSync, mkdirSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';

/** The parts of a data dir a backup carries (logs are operational and stay behind; the database is dumped separately). */
/** `engine-secrets` is where the compose site keeps the app authentication key (mounted there in init). */
export const BACKUP_PARTS = ['site.json', 'certs', 'private', 'keys', 'engine-secrets', 'apps', 'audit'] as const;

/** Files under `root` for the given top-level parts, skipping the stores' temp and lock files. */
export function listFiles(root: string, parts: readonly string[]): string[] {
  const out: string[] = [];
  const walk = (rel: string) => {
    const abs = join(root, rel);
    if (!existsSync(abs)) return;
    const st = statSync(abs);
    if (st.isDirectory()) for (const name of readdirSync(abs).sort()) walk(join(rel, name));
    else if (st.isFile() && !/(^|\/)\.(tmp|lock)-|\.lock$/.test(rel)) out.push(rel);
  };
  for (const p of parts) walk(p);
  return out;
}

export const sha256File = (path: string): string => createHash('sha256').update(readFileSync(path)).digest('hex');

/** Copies a file keeping its mode (keys stay 0600); directories get 0700. */
export function copyWithMode(from: string, to: string): void {
  mkdirSync(dirname(to), { recursive: true, mode: 0o700 });
  copyFileSync(from, to);
  chmodSync(to, statSync(from).mode & 0o777);
}

/**
 * pg_dump / pg_restore connection arguments without the password on the command line (where `ps`
 * would show it): the password goes to the child's environment as PGPASSWORD.
 */
export function pgConnection(url: string): { dbname: string; env: NodeJS.ProcessEnv } {
  const u = new URL(url);
  const password = decodeURIComponent(u.password);
  u.password = '';
  return { dbname: u.toString(), env: { ...process.env, ...(password ? { PGPASSWORD: password } : {}) } };
}
