import { basename } from 'node:path';
import { LoggingError, LoggingErrorCode } from '../logging.error';
import { acquireAuditLock, ensureAuditDir, listAuditFiles } from './audit-files';
import { recoverHead } from './audit-recovery';
import type { AuditEvent, AuditRecord, AuditService } from './audit-record';
import { RETENTION_ACTION, closingCheckpoint, deleteCoveredFiles, filesOverBudget, readRetentionAnchor, writeRetentionAnchor } from './audit-retention';
import type { AuditSignerPem } from './checkpoint-signer';
import { createCheckpointSigner } from './checkpoint-signer';
import { AuditWriter } from './audit-writer';

export interface AuditLogOptions {
  /** The audit directory (created 0700); files are `audit-NNNNNN.jsonl`, 0600. */
  dir: string;
  /** The repository's key and certificate; checkpoints are signed with the key. */
  signer: AuditSignerPem;
  /** A signed checkpoint after this many records (default 1000)… */
  checkpointEvery?: number;
  /** …or after this many ms with unsigned records (default 60000). */
  checkpointMs?: number;
  /** Rotate to a new file once the current one reaches this size (default 64 MiB). */
  maxFileBytes?: number;
  /**
   * Keep at most this many bytes of audit files: after a rotation the oldest files are dropped,
   * anchored by a signed checkpoint and an `audit.retention` record (audit-retention.ts), so the
   * rest still verifies. 0 (default) keeps everything. At least twice `maxFileBytes`.
   */
  retainBytes?: number;
  /** The service that writes this log: the actor of the log's own records (default repository). */
  service?: AuditService;
  /** Told about each retention step (or why one could not be done); for the operational log. */
  onRetention?: (r: { dropped: string[]; upToSeq: number } | { error: string }) => void;
  now?: () => Date;
}

export interface AuditLog {
  /** Resolves once the record is written and fdatasync-ed; rejects if it is not (then fail the action). */
  append(event: AuditEvent): Promise<AuditRecord>;
  /** Waits until everything appended so far is durable. */
  flush(): Promise<void>;
  /** Appends a signed checkpoint now if any record is not yet covered by one. */
  checkpoint(): Promise<void>;
  /** Signs what is unsigned, flushes and releases the log. */
  close(): Promise<void>;
  /** Side file that received a torn last line cut off at open, if there was one. */
  readonly recoveredTornFile: string | undefined;
  lastSeq(): number;
  /** Signs the next checkpoints with this key and certificate (after a certificate rotation). */
  setSigner(signer: AuditSignerPem): void;
}

function positiveInt(name: string, value: number): number {
  if (!Number.isInteger(value) || value <= 0) throw new LoggingError(LoggingErrorCode.InvalidOption, `${name} must be a positive integer`);
  return value;
}

/**
 * Opens (or creates) the tamper-evident audit log. A torn last line from a crash is cut off into a
 * side file, and a checkpoint is signed at once over records that survived unsigned, so whatever
 * was durable before the crash is anchored before anything new is added.
 */
export async function openAuditLog(options: AuditLogOptions): Promise<AuditLog> {
  const checkpointEvery = positiveInt('checkpointEvery', options.checkpointEvery ?? 1000);
  const checkpointMs = positiveInt('checkpointMs', options.checkpointMs ?? 60_000);
  const maxFileBytes = positiveInt('maxFileBytes', options.maxFileBytes ?? 64 * 1024 * 1024);
  const retainBytes = options.retainBytes ?? 0;
  if (!Number.isInteger(retainBytes) || retainBytes < 0 || (retainBytes > 0 && retainBytes < 2 * maxFileBytes)) {
    throw new LoggingError(LoggingErrorCode.InvalidOption, `retainBytes must be 0 (keep everything) or at least twice maxFileBytes (${2 * maxFileBytes})`);
  }
  const signer = createCheckpointSigner(options.signer);
  await ensureAuditDir(options.dir);
  const unlock = await acquireAuditLock(options.dir);
  let writer: AuditWriter;
  let tornFile: string | undefined;
  let retaining: Promise<void> = Promise.resolve();
  const retain = (): void => {
    if (retainBytes === 0) return;
    retaining = retaining.then(() => applyRetention(options, writer, retainBytes)).catch((e: unknown) => options.onRetention?.({ error: (e as Error).message }));
  };
  try {
    const head = await recoverHead(options.dir, await listAuditFiles(options.dir));
    tornFile = head.tornFile;
    writer = await AuditWriter.open({ dir: options.dir, signer, checkpointEvery, maxFileBytes, now: options.now ?? (() => new Date()), onRotated: retain }, head);
    if (!head.lastIsCheckpoint) await writer.requestCheckpoint();
    await finishInterruptedRetention(options.dir);
    retain();
  } catch (error) {
    await unlock();
    throw error;
  }
  const timer = setInterval(() => {
    if (writer.pendingSinceCheckpoint > 0) writer.requestCheckpoint().catch(() => undefined);
  }, checkpointMs);
  timer.unref();
  let closed = false;
  const closedError = (): Promise<never> => Promise.reject(new LoggingError(LoggingErrorCode.LogClosed, 'audit log is closed'));
  return {
    recoveredTornFile: tornFile,
    append: (event) => (closed ? closedError() : writer.enqueue(event)),
    flush: () => writer.idle(),
    checkpoint: () => (closed ? closedError() : writer.requestCheckpoint()),
    lastSeq: () => writer.lastSeq,
    setSigner: (pem) => writer.setSigner(createCheckpointSigner(pem)),
    async close() {
      if (closed) return;
      closed = true;
      clearInterval(timer);
      try {
        await retaining;
        await writer.requestCheckpoint();
        if (writer.pendingSinceCheckpoint > 0) {
          throw new LoggingError(LoggingErrorCode.WriteFailed, `audit log ${options.dir}: the closing checkpoint could not be written; the last records are chained but unsigned`);
        }
      } finally {
        await writer.close();
        await unlock();
      }
    },
  };
}

/**
 * One retention step: the files over budget are dropped, newest of them last, anchored by the
 * checkpoint that ends the last one. The record goes into the chain first (durable), then the
 * anchor, then the deletions: a crash at any point leaves a trail that verifies (leftover files
 * are skipped by the verifier and deleted at the next open).
 */
async function applyRetention(options: AuditLogOptions, writer: AuditWriter, retainBytes: number): Promise<void> {
  const files = await listAuditFiles(options.dir);
  const drop = await filesOverBudget(files, retainBytes);
  const last = drop.at(-1);
  if (!last) return;
  const anchor = await closingCheckpoint(last);
  if (!anchor) throw new LoggingError(LoggingErrorCode.LogCorrupt, `audit retention: ${basename(last.path)} does not end with a signed checkpoint; nothing was dropped`, last.path);
  const dropped = drop.map((f) => basename(f.path));
  await writer.enqueue({ actor: { service: options.service ?? 'repository' }, action: RETENTION_ACTION, outcome: 'success', details: { upToSeq: anchor.entry.seq, anchorHash: anchor.hash, files: dropped, retainBytes } });
  await writeRetentionAnchor(options.dir, anchor);
  await deleteCoveredFiles(options.dir, files, anchor.entry.seq);
  options.onRetention?.({ dropped, upToSeq: anchor.entry.seq });
}

async function finishInterruptedRetention(dir: string): Promise<void> {
  const read = await readRetentionAnchor(dir);
  if (read.kind === 'anchor') await deleteCoveredFiles(dir, await listAuditFiles(dir), read.anchor.entry.seq);
}
