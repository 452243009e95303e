import { open } from 'node:fs/promises';
import { basename } from 'node:path';
import type { AuditFile } from './audit-files';
import { MAX_LINE_BYTES } from './audit-record';
import { LineSource } from './line-source';

export interface AuditAnchor {
  fileIdx: number;
  /** 1-based line of the anchoring checkpoint within files[fileIdx]. */
  line: number;
}

function entryTime(text: string): { time: number; checkpoint: boolean } | undefined {
  try {
    const raw = JSON.parse(text) as { time?: unknown; kind?: unknown };
    const time = typeof raw.time === 'string' ? Date.parse(raw.time) : Number.NaN;
    return Number.isNaN(time) ? undefined : { time, checkpoint: raw.kind === 'checkpoint' };
  } catch {
    return undefined;
  }
}

async function firstLineTime(file: AuditFile): Promise<number | undefined> {
  const handle = await open(file.path, 'r');
  try {
    const buffer = Buffer.alloc(MAX_LINE_BYTES + 1);
    const { bytesRead } = await handle.read(buffer, 0, buffer.length, 0);
    const end = buffer.subarray(0, bytesRead).indexOf(0x0a);
    return end === -1 ? undefined : entryTime(buffer.toString('utf8', 0, end))?.time;
  } finally {
    await handle.close();
  }
}

/**
 * The last checkpoint written at or before `from`: verification can start there because its
 * signature vouches for everything before it. Only the file that contains `from` and the one before
 * it are scanned (every rotated file ends with a checkpoint). Null means "start at the beginning".
 */
export async function findAnchor(files: readonly AuditFile[], from: Date): Promise<AuditAnchor | null> {
  const limit = from.getTime();
  let containing = -1;
  for (let i = 0; i < files.length; i++) {
    const first = await firstLineTime(files[i] as AuditFile);
    if (first === undefined || first > limit) break;
    containing = i;
  }
  if (containing < 0) return null;
  const startIdx = Math.max(0, containing - 1);
  const names = files.map((f) => basename(f.path));
  const source = new LineSource(files.slice(0, containing + 1), startIdx);
  let anchor: AuditAnchor | null = null;
  try {
    for (let line = await source.next(); line !== undefined; line = await source.next()) {
      const info = entryTime(line.text);
      if (info === undefined) continue;
      if (info.time > limit) break;
      if (info.checkpoint) anchor = { fileIdx: names.indexOf(line.file), line: line.line };
    }
  } finally {
    await source.close();
  }
  return anchor;
}
