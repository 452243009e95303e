import { constants } from 'node:fs';
import type { FileHandle } from 'node:fs/promises';
import { open } from 'node:fs/promises';
import { join } from 'node:path';
import { LoggingError, LoggingErrorCode } from '../logging.error';
import { fsyncDir } from '@trustzone/config';
import { AUDIT_FILE_MODE, auditFileName } from './audit-files';
import type { AuditHead } from './audit-recovery';
import { sealLine, sealText, sha256Hex } from './audit-line';
import { toJsonLine } from '../safe-json';
import type { AuditCheckpoint, AuditEvent, AuditRecord } from './audit-record';
import { MAX_LINE_BYTES } from './audit-record';
import { prepareEvent } from './audit-event';
import type { CheckpointSigner } from './checkpoint-signer';
import { checkpointMessage } from './checkpoint-signer';

export interface AuditWriterOptions {
  dir: string;
  signer: CheckpointSigner;
  checkpointEvery: number;
  maxFileBytes: number;
  now: () => Date;
  /** Called (not awaited) after the writer moved on to a new file: the retention policy's cue. */
  onRotated?: () => void;
}

interface Pending {
  event: AuditEvent;
  time: string;
  /** The record's JSON between `"seq":N,` and `,"prev":…`, serialised at append time (see enqueue). */
  fragment: string;
  resolve: (record: AuditRecord) => void;
  reject: (error: Error) => void;
}

/** The part of a file handle the writer uses (a seam for tests that simulate a failing disk). */
export type AppendTarget = Pick<FileHandle, 'write' | 'datasync' | 'truncate' | 'close'>;

/** O_NOFOLLOW: an audit file replaced by a symlink (to /dev/null, say) is refused, not followed. */
const APPEND_FLAGS = constants.O_WRONLY | constants.O_APPEND | constants.O_CREAT | constants.O_NOFOLLOW;

async function openForAppend(path: string): Promise<FileHandle> {
  const handle = await open(path, APPEND_FLAGS, AUDIT_FILE_MODE);
  try {
    if (!(await handle.stat()).isFile()) throw new LoggingError(LoggingErrorCode.FileUnsafe, `${path} is not a regular file`, path);
    await handle.chmod(AUDIT_FILE_MODE);
    return handle;
  } catch (error) {
    await handle.close();
    throw error;
  }
}

/** Bytes a record line adds around its fragment: seq, prev and hash fields (with room to spare). */
const RECORD_OVERHEAD_BYTES = 256;

/** Upper bound on records per write so one batch's buffer stays small. */
const MAX_BATCH = 4096;

/**
 * Group commit: appends that arrive while a write is in flight are queued and go out together as
 * one write + one fdatasync, so durability costs one disk flush per batch rather than per record.
 * Sequence numbers and the chain are assigned when a batch is built, from the last durable line,
 * so a failed write leaves no gap: the file is truncated back and the next batch reuses the numbers.
 */
export class AuditWriter {
  private queue: Pending[] = [];
  private running: Promise<void> | null = null;
  private checkpointWanted = false;
  private sinceCheckpoint = 0;
  private broken: Error | null = null;
  private signer: CheckpointSigner;

  constructor(
    private readonly options: AuditWriterOptions,
    private head: AuditHead,
    private handle: AppendTarget,
  ) {
    this.sinceCheckpoint = head.lastIsCheckpoint ? 0 : 1;
    this.signer = options.signer;
  }

  /** Signs the next checkpoints with another key (the repository's certificate was rotated). */
  setSigner(signer: CheckpointSigner): void {
    this.signer = signer;
  }

  static async open(options: AuditWriterOptions, head: AuditHead): Promise<AuditWriter> {
    const handle = await openForAppend(join(options.dir, auditFileName(head.fileIndex)));
    if (head.size === 0) await fsyncDir(options.dir);
    return new AuditWriter(options, head, handle);
  }

  get lastSeq(): number {
    return this.head.seq;
  }

  get pendingSinceCheckpoint(): number {
    return this.sinceCheckpoint;
  }

  enqueue(event: AuditEvent): Promise<AuditRecord> {
    if (this.broken) return Promise.reject(this.broken);
    let prepared: AuditEvent;
    try {
      prepared = prepareEvent(event);
    } catch (error) {
      return Promise.reject(error as Error);
    }
    const time = this.options.now().toISOString();
    // Serialising here, not when the batch is built, keeps the chained part of a batch (numbering,
    // hashing) down to string concatenation and two SHA-256s per record.
    const fragment = toJsonLine({ time, ...prepared }).slice(1, -1);
    if (Buffer.byteLength(fragment, 'utf8') + RECORD_OVERHEAD_BYTES > MAX_LINE_BYTES) {
      return Promise.reject(new LoggingError(LoggingErrorCode.RecordTooLarge, `audit record exceeds ${MAX_LINE_BYTES} bytes`));
    }
    return new Promise<AuditRecord>((resolve, reject) => {
      this.queue.push({ event: prepared, time, fragment, resolve, reject });
      this.schedule();
    });
  }

  /** Asks for a checkpoint in the next batch (timer, close, rotation); no-op when nothing is unsigned. */
  requestCheckpoint(): Promise<void> {
    if (this.sinceCheckpoint === 0 && this.queue.length === 0) return this.idle();
    this.checkpointWanted = true;
    this.schedule();
    return this.idle();
  }

  async idle(): Promise<void> {
    while (this.running) await this.running;
    if (this.broken) throw this.broken;
  }

  async close(): Promise<void> {
    await this.handle.close();
  }

  private schedule(): void {
    if (this.running) return;
    this.running = this.drain().finally(() => {
      this.running = null;
      // Work that arrived after the drain loop's last check (a checkpoint request) gets a new drain.
      if (!this.broken && (this.queue.length > 0 || this.checkpointWanted)) this.schedule();
    });
  }

  private async drain(): Promise<void> {
    // Let every append issued in this turn of the event loop join the first batch.
    await new Promise<void>((r) => setImmediate(r));
    while ((this.queue.length > 0 || this.checkpointWanted) && !this.broken) {
      const batch = this.queue.splice(0, MAX_BATCH);
      try {
        await this.writeBatch(batch);
      } catch (cause) {
        // Only a bug gets here (writeBatch handles I/O errors); settle every waiter and stop writing.
        this.broken = new LoggingError(LoggingErrorCode.LogBroken, `audit log stopped: ${(cause as Error).message}`);
        for (const p of batch) p.reject(this.broken);
      }
    }
    for (const p of this.queue.splice(0)) p.reject(this.broken ?? new LoggingError(LoggingErrorCode.LogBroken, 'audit log is broken'));
  }

  private checkpointLine(seq: number, prev: string): string {
    const time = this.options.now().toISOString();
    const upTo = seq - 1;
    const sig = this.signer.sign(checkpointMessage(seq, upTo, prev, time));
    const body: Omit<AuditCheckpoint, 'hash'> = { seq, kind: 'checkpoint', time, upTo, prev, signer: this.signer.thumbprint, sig };
    return sealLine(body).line;
  }

  private async writeBatch(batch: Pending[]): Promise<void> {
    let { seq, prev } = this.head;
    let since = this.sinceCheckpoint;
    const lines: string[] = [];
    const accepted: Array<{ pending: Pending; record: AuditRecord }> = [];
    const addCheckpoint = (): void => {
      seq += 1;
      const line = this.checkpointLine(seq, prev);
      lines.push(line);
      prev = sha256Hex(line);
      since = 0;
    };
    for (const pending of batch) {
      seq += 1;
      const { line, hash } = sealText(`{"seq":${seq},${pending.fragment},"prev":"${prev}"}`);
      lines.push(line);
      accepted.push({ pending, record: { seq, time: pending.time, ...pending.event, prev, hash } });
      prev = sha256Hex(line);
      since += 1;
      if (since >= this.options.checkpointEvery) addCheckpoint();
    }
    const rotate = this.head.size + lines.reduce((n, l) => n + Buffer.byteLength(l) + 1, 0) >= this.options.maxFileBytes;
    // Every file ends with a signed checkpoint, so rotated files are anchored on their own.
    if ((this.checkpointWanted || rotate) && since > 0) addCheckpoint();
    this.checkpointWanted = false;
    if (lines.length === 0) return;
    const buffer = Buffer.from(`${lines.join('\n')}\n`, 'utf8');
    try {
      await this.writeFully(buffer);
      await this.handle.datasync();
    } catch (cause) {
      await this.rollBack();
      const error = new LoggingError(LoggingErrorCode.WriteFailed, `audit write failed: ${(cause as Error).message}`, undefined, cause);
      for (const { pending } of accepted) pending.reject(error);
      return;
    }
    this.head = { ...this.head, seq, prev, size: this.head.size + buffer.length, lastIsCheckpoint: since === 0 };
    this.sinceCheckpoint = since;
    for (const { pending, record } of accepted) pending.resolve(record);
    if (rotate) await this.rotate();
  }

  private async writeFully(buffer: Buffer): Promise<void> {
    let offset = 0;
    while (offset < buffer.length) {
      const { bytesWritten } = await this.handle.write(buffer, offset, buffer.length - offset, null);
      offset += bytesWritten;
    }
  }

  /** Cuts a failed batch back off; if even that fails the log refuses all further appends (fail closed). */
  private async rollBack(): Promise<void> {
    try {
      await this.handle.truncate(this.head.size);
      await this.handle.datasync();
    } catch (error) {
      this.broken = new LoggingError(LoggingErrorCode.LogBroken, `audit log cannot be repaired after a failed write (${(error as Error).message}); reopen it`);
    }
  }

  private async rotate(): Promise<void> {
    const next = this.head.fileIndex + 1;
    let handle: FileHandle;
    try {
      handle = await openForAppend(join(this.options.dir, auditFileName(next)));
      await fsyncDir(this.options.dir);
    } catch {
      // Keep appending to the current file; the size check asks for rotation again after the next batch.
      return;
    }
    const old = this.handle;
    this.handle = handle;
    this.head = { ...this.head, fileIndex: next, size: 0 };
    await old.close();
    this.options.onRotated?.();
  }
}
