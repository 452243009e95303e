import { chmod, mkdir, open, readFile, readdir, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { processAlive } from '@trustzone/config';
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

/**
 * One writer per log: two interleaving writers would fork the chain. The lock file holds the
 * writer's pid; a lock left by a dead process (kill -9, power loss) is taken over.
 */
export async function acquireAuditLock(dir: string): Promise<() => Promise<void>> {
  const path = join(dir, LOCK_NAME);
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      const handle = await open(path, 'wx', AUDIT_FILE_MODE);
      await handle.writeFile(String(process.pid));
      await handle.close();
      return () => rm(path, { force: true });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      const holder = Number((await readFile(path, 'utf8').catch(() => '')).trim());
      if (Number.isInteger(holder) && holder > 0 && holder !== process.pid && processAlive(holder)) {
        throw new LoggingError(LoggingErrorCode.LogLocked, `audit log ${dir} is already open by process ${holder}`, path);
      }
      if (holder === process.pid) throw new LoggingError(LoggingErrorCode.LogLocked, `audit log ${dir} is already open in this process`, path);
      await rm(path, { force: true });
    }
  }
  throw new LoggingError(LoggingErrorCode.LogLocked, `could not lock audit log ${dir}`, path);
}
