import { readDataFile, writeDataFile, type AppAuthKey, type DataKeyStore } from '@trustzone/app-store';
import { ConnectionPaths, FileAccessError, type GrantedConnection } from './connection-paths';
import type { FileReply, FileRequest } from './reload-protocol';

export interface ReloadFileHostOptions {
  connections: readonly GrantedConnection[];
  /** Granted but unusable on this engine (missing folder): requests for them fail naming them. */
  unavailable?: readonly string[];
  /** Site encryption keys: QVDs are sealed with the active one, sealed files opened with any. */
  keyStore?: DataKeyStore;
  /** The site's app authentication key (engine-only): without it encrypted files can be neither written nor opened. */
  authKey?: AppAuthKey;
  /** Folder for the cross-process write locks shared with `tz apps rekey` (the apps folder). */
  lockDir: string;
  maxFileBytes: number;
  /** Bounds on what one reload may write (count and total bytes). */
  maxWrites: number;
  maxWrittenBytes: number;
  /** After each write, for the engine log (never for the script author). */
  onWritten?: (w: { connection: string; path: string; bytes: number; sealed: boolean }) => void;
}

/**
 * The engine's side of a reload's file requests. Writes land only in granted connections the
 * reload may write, inside their folders (realpath checks, no symlink targets), atomically, and
 * QVDs are encrypted in memory before a byte reaches the disk when the site has a key. Encrypted
 * files are opened only inside granted connections, and only their verified plaintext goes back.
 * Every refusal is a reply (the worker's STORE fails with a script error); the engine's own paths
 * and internal errors never reach the worker.
 */
export class ReloadFileHost {
  private readonly paths: ConnectionPaths;
  private writes = 0;
  private written = 0;

  constructor(private readonly o: ReloadFileHostOptions) {
    this.paths = new ConnectionPaths(o.connections, o.unavailable);
  }

  async handle(req: FileRequest): Promise<FileReply> {
    try {
      if (req.op === 'write') {
        await this.write(req.connection, req.path, req.bytes, req.kind);
        return { type: 'file-reply', id: req.id, ok: true };
      }
      const target = await this.paths.existing(req.connection, req.path);
      if (!this.o.authKey) throw new FileAccessError('this engine cannot open encrypted files');
      const { bytes } = await readDataFile(target, this.o.keyStore, this.o.authKey, this.o.maxFileBytes);
      return { type: 'file-reply', id: req.id, ok: true, bytes: new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.length) };
    } catch (e) {
      return { type: 'file-reply', id: req.id, ok: false, message: safeMessage(e) };
    }
  }

  private async write(connection: string, path: string, bytes: Uint8Array, kind: 'qvd' | 'text'): Promise<void> {
    if (this.writes + 1 > this.o.maxWrites) throw new FileAccessError(`more than ${this.o.maxWrites} STOREs in one reload`);
    if (bytes.length > this.o.maxFileBytes) throw new FileAccessError(`file is larger than the limit maxFileBytes (${this.o.maxFileBytes})`);
    if (this.written + bytes.length > this.o.maxWrittenBytes) throw new FileAccessError(`the reload would write more than ${this.o.maxWrittenBytes} bytes`);
    const target = await this.paths.writable(connection, path);
    this.writes++;
    this.written += bytes.length;
    const result = await writeDataFile(target, bytes, {
      seal: kind === 'qvd', lockDir: this.o.lockDir, ...(this.o.keyStore ? { keyStore: this.o.keyStore } : {}), ...(this.o.authKey ? { auth: this.o.authKey } : {}),
    });
    this.o.onWritten?.({ connection, path, bytes: result.bytes, sealed: result.thumbprint !== undefined });
  }
}

/** Access refusals and key-store verdicts are safe to show (they name no server path); anything else is not. */
function safeMessage(e: unknown): string {
  if (e instanceof FileAccessError) return e.message;
  if (e instanceof Error && e.name === 'AppStoreError') {
    const code = (e as Error & { code?: string }).code ?? '';
    if (code === 'AUTH_FAILED') return 'the encrypted file failed authentication (altered or damaged)';
    if (code === 'UNKNOWN_KEY' || code === 'UNWRAP_FAILED' || code === 'KEYSTORE_MISSING') return 'the file is encrypted under a key this site does not hold';
    if (code === 'ACTIVE_KEY_MISSING') return 'the site encrypts data files but its active key is not available';
    if (code === 'PAYLOAD_TOO_LARGE') return 'file is larger than the limit maxFileBytes';
    if (code === 'KEY_INVALID') return 'this engine cannot write encrypted files';
    if (code === 'LOCK_TIMEOUT') return 'the file is being written by another process';
    return 'the encrypted file cannot be opened';
  }
  const errno = (e as NodeJS.ErrnoException | undefined)?.code;
  if (errno === 'ELOOP') return 'the file is a symbolic link';
  if (errno === 'ENOSPC') return 'no space left on the data volume';
  return 'the file operation failed';
}
