import { constants } from 'node:fs';
import { open, writeFile } from 'node:fs/promises';
import { LoggingError, LoggingErrorCode } from '../logging.error';
import type { AuditFile } from './audit-files';
import { fsyncDir } from '@trustzone/config';
import { AUDIT_FILE_MODE } from './audit-files';
import { parseLine } from './audit-line';
import { GENESIS_HASH, MAX_LINE_BYTES, isCheckpoint } from './audit-record';

/** Where appending resumes: the last complete record and the chain value after it. */
export interface AuditHead {
  fileIndex: number;
  /** Bytes in the current file (appends go after them). */
  size: number;
  seq: number;
  prev: string;
  lastIsCheckpoint: boolean;
  /** Side file that received a torn last line, when one was cut off. */
  tornFile?: string;
}

const NEWLINE = 0x0a;

interface LastLine {
  line: string | null;
  size: number;
  tornFile?: string;
}

/**
 * Reads the last complete line of a file. With `repair`, bytes after the last newline (a write cut
 * short by a crash) are moved to `<file>.torn-<ms>` for forensics and the file is truncated, so the
 * chain continues from the last complete record.
 */
export async function readLastLine(file: string, repair: boolean): Promise<LastLine> {
  // O_NOFOLLOW: never read, let alone truncate, whatever a symlinked audit file points to.
  const handle = await open(file, (repair ? constants.O_RDWR : constants.O_RDONLY) | constants.O_NOFOLLOW);
  try {
    let size = (await handle.stat()).size;
    const want = Math.min(size, 2 * MAX_LINE_BYTES + 2);
    const tail = Buffer.alloc(want);
    await handle.read(tail, 0, want, size - want);
    const coversFile = want === size;
    let end = want;
    let tornFile: string | undefined;
    if (want > 0 && tail[want - 1] !== NEWLINE) {
      const cut = tail.lastIndexOf(NEWLINE) + 1;
      if (cut === 0 && !coversFile) throw new LoggingError(LoggingErrorCode.LogCorrupt, `the end of ${file} is not a record`, file);
      if (!repair) throw new LoggingError(LoggingErrorCode.LogCorrupt, `${file} does not end with a complete line`, file);
      tornFile = `${file}.torn-${Date.now()}`;
      await writeFile(tornFile, tail.subarray(cut), { mode: AUDIT_FILE_MODE, flush: true });
      size -= want - cut;
      await handle.truncate(size);
      await handle.sync();
      end = cut;
    }
    if (end === 0) return { line: null, size, ...(tornFile ? { tornFile } : {}) };
    // Buffer#lastIndexOf treats a negative offset as counted from the end, hence the guard.
    const start = end >= 2 ? tail.lastIndexOf(NEWLINE, end - 2) + 1 : 0;
    if (start === 0 && !coversFile) throw new LoggingError(LoggingErrorCode.LogCorrupt, `the last line of ${file} is too long`, file);
    return { line: tail.toString('utf8', start, end - 1), size, ...(tornFile ? { tornFile } : {}) };
  } finally {
    await handle.close();
  }
}

/** Finds the head of an existing log, cutting off a torn last line of the newest file. */
export async function recoverHead(dir: string, files: readonly AuditFile[]): Promise<AuditHead> {
  const newest = files.at(-1);
  if (newest === undefined) return { fileIndex: 1, size: 0, seq: 0, prev: GENESIS_HASH, lastIsCheckpoint: true };
  const current = await readLastLine(newest.path, true);
  if (current.tornFile !== undefined) await fsyncDir(dir);
  let found = current.line;
  let foundIn = newest.path;
  // A file left empty by a crash right after rotation: the head is the end of the previous file.
  for (let i = files.length - 2; found === null && i >= 0; i--) {
    const file = files[i] as AuditFile;
    found = (await readLastLine(file.path, false)).line;
    foundIn = file.path;
  }
  const torn = current.tornFile !== undefined ? { tornFile: current.tornFile } : {};
  if (found === null) return { fileIndex: newest.index, size: current.size, seq: 0, prev: GENESIS_HASH, lastIsCheckpoint: true, ...torn };
  const parsed = parseLine(found);
  if (!parsed.ok || !parsed.selfConsistent) {
    throw new LoggingError(LoggingErrorCode.LogCorrupt, `the last record of ${foundIn} is damaged; run the audit verification`, foundIn);
  }
  return { fileIndex: newest.index, size: current.size, seq: parsed.entry.seq, prev: parsed.lineHash, lastIsCheckpoint: isCheckpoint(parsed.entry), ...torn };
}
