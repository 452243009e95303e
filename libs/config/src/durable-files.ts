import { constants } from 'node:fs';
import { open } from 'node:fs/promises';
import { hostname } from 'node:os';

/** A rename or a new file only survives a crash once the directory entry itself is flushed. */
export async function fsyncDir(dir: string): Promise<void> {
  const handle = await open(dir, constants.O_RDONLY);
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}

/**
 * Whether a process with this pid exists (the owner of a lock file). EPERM means it exists but
 * belongs to another user: alive, so its lock is not stolen.
 */
export function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * The owner a lock file names: pid and host. Services in containers share a volume from separate PID
 * namespaces, where another container's pid means nothing (and is often our own: each container
 * numbers from 1), so a pid alone would let one container take over another's live lock, or refuse
 * its own stale one forever. The host name (each container has its own; a restarted container keeps
 * it) says whose pid it is. Assumes no two PID namespaces sharing the volume share a host name.
 */
export interface LockOwner {
  pid: number;
  /** Absent in locks written before the host was recorded: taken as this host's. */
  host?: string;
}

export const lockOwnerText = (): string => `${process.pid}@${hostname()}`;

export function parseLockOwner(text: string): LockOwner | undefined {
  const m = /^(\d{1,10})(?:@([^\s@]{1,255}))?$/.exec(text.trim());
  if (!m) return undefined;
  const pid = Number(m[1]);
  return pid > 0 ? { pid, ...(m[2] ? { host: m[2] } : {}) } : undefined;
}

/**
 * `elsewhere`: another host's process, whose liveness cannot be told from here (callers keep the
 * lock: fail closed). `mine`: this pid on this host — held by this process if the caller says so,
 * else left by an earlier process that had our pid (a restarted container): stale.
 */
export function lockOwnerState(owner: LockOwner): 'mine' | 'alive' | 'dead' | 'elsewhere' {
  if (owner.host !== undefined && owner.host !== hostname()) return 'elsewhere';
  if (owner.pid === process.pid) return 'mine';
  return processAlive(owner.pid) ? 'alive' : 'dead';
}
