import { constants } from 'node:fs';
import { open } from 'node:fs/promises';

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
