import { closeSync, fsyncSync, mkdirSync, openSync, readFileSync, renameSync, rmSync, statSync, chmodSync, writeSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { dirname, basename, join } from 'node:path';
import { TrustError, TrustErrorCode } from './trust.error';

/** PEM files, site.json and issued.json are small; anything larger is a wrong path or an attack. */
export const MAX_FILE_BYTES = 4 * 1024 * 1024;

/** Reads a small text file; missing, unreadable and oversized files are errors that name the file. */
export function readSmallFile(path: string, what = 'file'): string {
  let size: number;
  try {
    const st = statSync(path);
    if (!st.isFile()) throw new TrustError(TrustErrorCode.FileMissing, `${path}: ${what} is not a regular file`, path);
    size = st.size;
  } catch (e) {
    if (e instanceof TrustError) throw e;
    throw new TrustError(TrustErrorCode.FileMissing, `${path}: ${what} missing`, path);
  }
  if (size > MAX_FILE_BYTES) throw new TrustError(TrustErrorCode.FileTooLarge, `${path}: ${what} larger than ${MAX_FILE_BYTES} bytes`, path);
  try {
    return readFileSync(path, 'utf8');
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code ?? 'error';
    throw new TrustError(TrustErrorCode.FileMissing, `${path}: cannot read ${what} (${code})`, path);
  }
}

/**
 * Writes to a temp file in the same directory with the final mode, fsyncs, then renames: a reader
 * (or a certificate watcher) sees the old file or the new one, never half of one, and a key is
 * never briefly readable with a wider mode.
 */
export function writeFileAtomic(path: string, data: string, mode: number): void {
  const tmp = join(dirname(path), `.${basename(path)}.${randomBytes(6).toString('hex')}.tmp`);
  const fd = openSync(tmp, 'wx', mode);
  try {
    writeSync(fd, data);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  try {
    chmodSync(tmp, mode); // the umask may have narrowed the mode given to open
    renameSync(tmp, path);
  } catch (e) {
    rmSync(tmp, { force: true });
    throw e;
  }
}

/** Creates a directory (and parents) and forces its mode, which mkdir's umask would otherwise change. */
export function ensureDir(path: string, mode: number): void {
  mkdirSync(path, { recursive: true, mode });
  chmodSync(path, mode);
}
