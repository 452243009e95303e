import { LoggingError, LoggingErrorCode } from '../logging.error';
import { acquireAuditLock, ensureAuditDir, listAuditFiles } from './audit-files';
import { recoverHead } from './audit-recovery';
import type { AuditEvent, AuditRecord } from './audit-record';
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
  const signer = createCheckpointSigner(options.signer);
  await ensureAuditDir(options.dir);
  const unlock = await acquireAuditLock(options.dir);
  let writer: AuditWriter;
  let tornFile: string | undefined;
  try {
    const head = await recoverHead(options.dir, await listAuditFiles(options.dir));
    tornFile = head.tornFile;
    writer = await AuditWriter.open({ dir: options.dir, signer, checkpointEvery, maxFileBytes, now: options.now ?? (() => new Date()) }, head);
    if (!head.lastIsCheckpoint) await writer.requestCheckpoint();
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
    async close() {
      if (closed) return;
      closed = true;
      clearInterval(timer);
      try {
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
