import { chmod, mkdir, open, readFile, readdir, rm, stat } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { lockOwnerState, lockOwnerText, parseLockOwner } from '@trustzone/config';
import { LoggingError, LoggingErrorCode } from '../logging.error';

export const AUDIT_DIR_MODE = 0o700;
export const AUDIT_FILE_MODE = 0o600;
const FILE_NAME = /^audit-(\d{6})\.jsonl$/;
const LOCK_NAME = 'audit.lock';

export const auditFileName = (index: number): string => `audit-${String(index).padStart(6, '0')}.jsonl`;

export interface AuditFile {
  index: number;
  path: string;
}

/** The log's files in chain order (rotation numbers them). */
export async function listAuditFiles(dir: string): Promise<AuditFile[]> {
  const names = await readdir(dir);
  return names
    .map((name) => FILE_NAME.exec(name))
    .filter((m): m is RegExpExecArray => m !== null)
    .map((m) => ({ index: Number(m[1]), path: join(dir, m[0]) }))
    .sort((a, b) => a.index - b.index);
}

/** trust-zone.md "Server security": audit/ is 0700; a directory we create gets it regardless of umask. */
export async function ensureAuditDir(dir: string): Promise<void> {
  const existed = await stat(dir).then((s) => s.isDirectory(), () => false);
  if (!existed) {
    await mkdir(dir, { recursive: true, mode: AUDIT_DIR_MODE });
    await chmod(dir, AUDIT_DIR_MODE);
  }
}

/** The logs this process holds: "open in this process" is known here, not read back from the lock file. */
const heldHere = new Set<string>();

/**
 * One writer per log: two interleaving writers would fork the chain. The lock file holds the
 * writer's pid and host (lockOwnerText); a lock left by a dead process (kill -9, power loss, a
 * restarted container whose new process got the old pid) is taken over. A lock of another host
 * (another container on the same volume, e.g. the CLI in `init` while the repository runs) is
 * never taken over: whether its writer lives cannot be told from here.
 */
export async function acquireAuditLock(dir: string): Promise<() => Promise<void>> {
  const path = resolve(dir, LOCK_NAME);
  if (heldHere.has(path)) throw new LoggingError(LoggingErrorCode.LogLocked, `audit log ${dir} is already open in this process`, path);
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      const handle = await open(path, 'wx', AUDIT_FILE_MODE);
      await handle.writeFile(lockOwnerText());
      await handle.close();
      heldHere.add(path);
      return async () => {
        heldHere.delete(path);
        await rm(path, { force: true });
      };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      const owner = parseLockOwner(await readFile(path, 'utf8').catch(() => ''));
      const state = owner ? lockOwnerState(owner) : 'dead';
      if (owner && state === 'alive') throw new LoggingError(LoggingErrorCode.LogLocked, `audit log ${dir} is already open by process ${owner.pid}`, path);
      if (owner && state === 'elsewhere') {
        throw new LoggingError(LoggingErrorCode.LogLocked, `audit log ${dir} is open by process ${owner.pid} on host ${owner.host ?? ''} (remove ${path} only if nothing there runs)`, path);
      }
      await rm(path, { force: true });
    }
  }
  throw new LoggingError(LoggingErrorCode.LogLocked, `could not lock audit log ${dir}`, path);
}
