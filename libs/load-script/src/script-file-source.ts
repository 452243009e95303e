/**
 * How the executor reaches `lib://<connection>/<path>` files. The lib never touches the disk: the
 * engine's sandboxed reload worker supplies the implementations, which resolve the path under the
 * connection's directory, refuse escapes, and (for writes) hand the bytes to the engine, which
 * alone may write and encrypt. `path` has already passed `parseLibPath`. Error messages thrown here
 * are shown to the script author, so they must not reveal server paths.
 */

/** A file's content: bytes, or text from a source that already decoded it (tests, inline sources). */
export type FileContent = Uint8Array | string;

/**
 * A file opened for reading by position: delimited text is read through a small buffer that is
 * used again and again instead of the whole file at once (see text-pieces.ts for why).
 */
export interface OpenedFile {
  /** The file's size when it was opened: reads stop there. */
  readonly size: number;
  /** Copies up to `into.length` bytes from `position` into `into`; how many (0 at the end). */
  readAt(into: Uint8Array, position: number): number;
  close(): Promise<void> | void;
}

/** Bytes already in memory (an encrypted file the engine opened, tests) as an OpenedFile. */
export function openedBytes(bytes: Uint8Array): OpenedFile {
  return {
    size: bytes.length,
    readAt(into, position) {
      const part = bytes.subarray(Math.min(position, bytes.length), Math.min(position + into.length, bytes.length));
      into.set(part);
      return part.length;
    },
    close() {},
  };
}

export interface ScriptFileSource {
  /** The whole file. Binary formats (qvd, xlsx) need bytes. */
  read(connection: string, relativePath: string): Promise<FileContent> | FileContent;
  /**
   * Optional: the file opened for reading in blocks, under the same checks as `read` (delimited
   * text uses it; without it the whole file is read).
   */
  open?(connection: string, relativePath: string): Promise<OpenedFile>;
  /**
   * `FileList`: relative paths (in the connection, `/`-separated, sorted) of the regular files
   * matching `pattern` — a relative path whose last segment may hold `*` and `?`. The count is
   * bounded by the implementation; exceeding it is an error, never a silent cut.
   */
  list?(connection: string, pattern: string): Promise<string[]> | string[];
}

/** What kind of file a STORE writes: the engine encrypts QVDs when the site has a key. */
export type StoredFileKind = 'qvd' | 'text';

export interface ScriptFileSink {
  /** Replaces the file atomically; refused unless the connection may be written by this reload. */
  write(connection: string, relativePath: string, bytes: Uint8Array, kind: StoredFileKind): Promise<void>;
}

export { storeTable, type StoreFormat, type StoreContext, type StoreTarget, type StoreResult } from './table-store';
