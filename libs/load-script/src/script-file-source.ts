/**
 * How the executor reaches `lib://<connection>/<path>` files. The lib never touches the disk: the
 * engine's sandboxed reload worker supplies the implementations, which resolve the path under the
 * connection's directory, refuse escapes, and (for writes) hand the bytes to the engine, which
 * alone may write and encrypt. `path` has already passed `parseLibPath`. Error messages thrown here
 * are shown to the script author, so they must not reveal server paths.
 */

/** A file's content: bytes, or text from a source that already decoded it (tests, inline sources). */
export type FileContent = Uint8Array | string;

export interface ScriptFileSource {
  /** The whole file. Binary formats (qvd, xlsx) need bytes. */
  read(connection: string, relativePath: string): Promise<FileContent> | FileContent;
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
