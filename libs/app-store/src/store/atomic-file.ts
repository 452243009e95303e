import { randomBytes } from 'node:crypto';
import { constants } from 'node:fs';
import type { FileHandle } from 'node:fs/promises';
import { open, rename, rm } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';

/** Prefix of temp files, so listings can ignore them and a later run can clean them up. */
export const TEMP_PREFIX = '.tmp-';

/** Flushes a directory so a rename or unlink in it survives a crash. */
export async function fsyncDir(dir: string): Promise<void> {
  const handle = await open(dir, constants.O_RDONLY);
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}

/**
 * Replaces `file` atomically: write a temp file in the same directory, fsync it, rename it over the
 * target, fsync the directory. A crash at any point leaves either the old file or the new one under
 * the real name, never a half-written one (rename is atomic within a file system, POSIX rename(2)).
 */
export async function writeFileAtomic(file: string, parts: Iterable<Uint8Array>, mode: number): Promise<number> {
  const dir = dirname(file);
  const temp = join(dir, `${TEMP_PREFIX}${basename(file)}.${randomBytes(6).toString('hex')}`);
  const handle = await open(temp, constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL | constants.O_NOFOLLOW, mode);
  let total = 0;
  try {
    try {
      await handle.chmod(mode);
      let batch: Uint8Array[] = [];
      let batchBytes = 0;
      // Parts may be produced lazily (encryption in steps); gather them into writev calls of a few MiB.
      for (const part of parts) {
        if (part.length === 0) continue;
        batch.push(part);
        batchBytes += part.length;
        if (batch.length >= WRITEV_MAX_PARTS || batchBytes >= WRITEV_MAX_BYTES) {
          await writeAll(handle, batch);
          total += batchBytes;
          batch = [];
          batchBytes = 0;
        }
      }
      await writeAll(handle, batch);
      total += batchBytes;
      await handle.sync();
    } finally {
      await handle.close();
    }
    await rename(temp, file);
  } catch (error) {
    await rm(temp, { force: true });
    throw error;
  }
  await fsyncDir(dir);
  return total;
}

const WRITEV_MAX_PARTS = 512;
const WRITEV_MAX_BYTES = 8 * 1024 * 1024;

async function writeAll(handle: FileHandle, parts: Uint8Array[]): Promise<void> {
  let pending = parts;
  while (pending.length > 0) {
    let { bytesWritten } = await handle.writev(pending);
    // writev may write less than asked; drop what was written and retry the rest.
    const rest: Uint8Array[] = [];
    for (const part of pending) {
      if (bytesWritten >= part.length) bytesWritten -= part.length;
      else {
        rest.push(part.subarray(bytesWritten));
        bytesWritten = 0;
      }
    }
    pending = rest;
  }
}
