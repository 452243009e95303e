import { open, readFile, rename, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { fsyncDir } from '@trustzone/config';
import type { AuditFile } from './audit-files';
import { AUDIT_FILE_MODE } from './audit-files';
import { parseLine, sha256Hex } from './audit-line';
import type { AuditCheckpoint } from './audit-record';
import { MAX_LINE_BYTES, isCheckpoint } from './audit-record';
import { readLastLine } from './audit-recovery';

/**
 * Retention keeps the audit trail verifiable after its oldest files are deleted. Every rotated file
 * ends with a signed checkpoint; when files are dropped, the checkpoint that ended the last dropped
 * file is kept in this file. Its signature vouches for the hash of the last dropped record, and its
 * own hash is the `prev` of the first record still on disk, so the verifier starts the chain there.
 * Before anything is deleted an `audit.retention` record naming that checkpoint goes into the
 * chain itself: a trail that starts late without such a record was cut by someone else.
 */
export const RETENTION_ANCHOR_FILE = 'retention-anchor.jsonl';
export const RETENTION_ACTION = 'audit.retention';

export interface RetentionAnchor {
  line: string;
  entry: AuditCheckpoint;
  /** SHA-256 of the line: the `prev` of the first kept record. */
  hash: string;
}

export type AnchorRead = { kind: 'none' } | { kind: 'bad'; detail: string } | { kind: 'anchor'; anchor: RetentionAnchor };

export async function readRetentionAnchor(dir: string): Promise<AnchorRead> {
  let text: string;
  try {
    const path = join(dir, RETENTION_ANCHOR_FILE);
    if ((await stat(path)).size > MAX_LINE_BYTES + 1) return { kind: 'bad', detail: 'the retention anchor is larger than a checkpoint' };
    text = await readFile(path, 'utf8');
  } catch {
    return { kind: 'none' };
  }
  const line = text.endsWith('\n') ? text.slice(0, -1) : text;
  const parsed = parseLine(line);
  if (!parsed.ok || !parsed.selfConsistent || !isCheckpoint(parsed.entry)) return { kind: 'bad', detail: 'the retention anchor is not an intact checkpoint' };
  return { kind: 'anchor', anchor: { line, entry: parsed.entry, hash: sha256Hex(line) } };
}

/** The files to drop, oldest first, so the trail fits `retainBytes`; never the file being written. */
export async function filesOverBudget(files: readonly AuditFile[], retainBytes: number): Promise<AuditFile[]> {
  const sizes = await Promise.all(files.map(async (f) => (await stat(f.path)).size));
  let total = sizes.reduce((a, b) => a + b, 0);
  const drop: AuditFile[] = [];
  for (let i = 0; i < files.length - 1 && total > retainBytes; i++) {
    drop.push(files[i] as AuditFile);
    total -= sizes[i] as number;
  }
  return drop;
}

/** The checkpoint ending `file` (every rotated file ends with one), or undefined if it does not. */
export async function closingCheckpoint(file: AuditFile): Promise<RetentionAnchor | undefined> {
  const { line } = await readLastLine(file.path, false);
  if (line === null) return undefined;
  const parsed = parseLine(line);
  if (!parsed.ok || !parsed.selfConsistent || !isCheckpoint(parsed.entry)) return undefined;
  return { line, entry: parsed.entry, hash: parsed.lineHash };
}

/** Writes the anchor (temp file + rename, 0600), durable before any file is deleted. */
export async function writeRetentionAnchor(dir: string, anchor: RetentionAnchor): Promise<void> {
  const tmp = join(dir, `.${RETENTION_ANCHOR_FILE}.tmp`);
  const handle = await open(tmp, 'w', AUDIT_FILE_MODE);
  try {
    await handle.writeFile(`${anchor.line}\n`);
    await handle.sync();
  } finally {
    await handle.close();
  }
  await rename(tmp, join(dir, RETENTION_ANCHOR_FILE));
  await fsyncDir(dir);
}

/**
 * Deletes, oldest first, the files wholly covered by the anchor (their last entry is at or before
 * it). Run after a retention step and again at open, which finishes a step a crash interrupted.
 */
export async function deleteCoveredFiles(dir: string, files: readonly AuditFile[], anchorSeq: number): Promise<string[]> {
  const deleted: string[] = [];
  for (const f of files.slice(0, -1)) {
    const { line } = await readLastLine(f.path, false);
    const parsed = line === null ? undefined : parseLine(line);
    if (!parsed?.ok || parsed.entry.seq > anchorSeq) break;
    await rm(f.path);
    deleted.push(f.path);
  }
  if (deleted.length > 0) await fsyncDir(dir);
  return deleted;
}
