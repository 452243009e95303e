import { randomBytes } from 'node:crypto';
import { constants } from 'node:fs';
import { open, rename, rm } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { fsyncDir } from '@trustzone/config';
import type { FilePart } from '../format/file-part';
import { writeStaged } from './staged-writer';

/** Prefix of temp files, so listings can ignore them and a later run can clean them up. */
export const TEMP_PREFIX = '.tmp-';

/**
 * Replaces `file` atomically: write a temp file in the same directory, fsync it, rename it over the
 * target, fsync the directory. A crash at any point leaves either the old file or the new one under
 * the real name, never a half-written one (rename is atomic within a file system, POSIX rename(2)).
 */
export async function writeFileAtomic(file: string, parts: Iterable<FilePart>, mode: number): Promise<number> {
  const dir = dirname(file);
  const temp = join(dir, `${TEMP_PREFIX}${basename(file)}.${randomBytes(6).toString('hex')}`);
  const handle = await open(temp, constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL | constants.O_NOFOLLOW, mode);
  let total = 0;
  try {
    try {
      await handle.chmod(mode);
      // Parts may be produced lazily (encryption in steps); production overlaps the writes.
      total = await writeStaged(handle, parts);
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
