import { constants, readSync, type Dirent } from 'node:fs';
import { open, readdir, type FileHandle } from 'node:fs/promises';
import { posix } from 'node:path';
import { compileGlob } from '@trustzone/data-model';
import { openedBytes, type OpenedFile, type ScriptFileSource } from '@trustzone/load-script';
import { ConnectionPaths, FileAccessError, type GrantedConnection } from './connection-paths';

export type { GrantedConnection } from './connection-paths';

/** The first bytes of a file in the encrypted envelope (libs/app-store app-file-format.ts). */
const SEALED_MAGIC = [0x54, 0x5a, 0x41, 0x50]; // "TZAP"
/** FileList answers at most this many names; more is an error, never a silent cut. */
export const MAX_LISTED_FILES = 10_000;

/** Asks the engine to open an encrypted file: the worker holds no keys. */
export type SealedFileOpener = (connection: string, relativePath: string) => Promise<Uint8Array>;

export interface ConnectionFileSourceOptions {
  maxFileBytes: number;
  /** Without it an encrypted file is refused. */
  openSealed?: SealedFileOpener;
  /** Connections granted but unusable on this engine: reading one fails naming it. */
  unavailable?: readonly string[];
}

/**
 * The reload worker's file access: reads resolve under the granted connection folders (see
 * ConnectionPaths) and the final open uses O_NOFOLLOW on the resolved path, so swapping the last
 * component for a symlink after the check does not help. A file in the encrypted envelope is not
 * decrypted here — the worker has no keys — but handed to the engine, which reads it again itself.
 */
export function createConnectionFileSource(connections: readonly GrantedConnection[], options: ConnectionFileSourceOptions | number): ScriptFileSource {
  const o = typeof options === 'number' ? { maxFileBytes: options } : options;
  const paths = new ConnectionPaths(connections, o.unavailable);
  const sealed = (connection: string, relativePath: string): Promise<Uint8Array> => {
    if (!o.openSealed) throw new FileAccessError('the file is encrypted and this reload cannot open encrypted files');
    return o.openSealed(connection, relativePath);
  };
  return {
    async read(connection: string, relativePath: string): Promise<Uint8Array> {
      const bytes = await readBounded(await paths.existing(connection, relativePath), o.maxFileBytes);
      if (!SEALED_MAGIC.every((b, i) => bytes[i] === b)) return bytes;
      return sealed(connection, relativePath);
    },
    async open(connection: string, relativePath: string): Promise<OpenedFile> {
      const { handle, size } = await openBounded(await paths.existing(connection, relativePath), o.maxFileBytes);
      const magic = new Uint8Array(SEALED_MAGIC.length);
      const readAt = (into: Uint8Array, position: number): number => readSync(handle.fd, into, 0, into.length, position);
      let isSealed: boolean;
      try {
        isSealed = readAt(magic, 0) === magic.length && SEALED_MAGIC.every((b, i) => magic[i] === b);
      } catch (e) {
        await handle.close();
        throw e;
      }
      if (!isSealed) return { size, readAt, close: () => handle.close() };
      await handle.close();
      return openedBytes(await sealed(connection, relativePath));
    },
    async list(connection: string, pattern: string): Promise<string[]> {
      const slash = pattern.lastIndexOf('/');
      const dir = slash < 0 ? '' : pattern.slice(0, slash);
      const glob = pattern.slice(slash + 1);
      if (/[*?]/.test(dir)) throw new FileAccessError('wildcards are only allowed in the file name');
      if (glob === '' || /[\u0000-\u001f\\]/.test(glob)) throw new FileAccessError('invalid file pattern');
      const folder = await paths.folder(connection, dir);
      let entries: Dirent[];
      try {
        entries = await readdir(folder, { withFileTypes: true });
      } catch {
        throw new FileAccessError('folder not found');
      }
      // `*` any run, `?` one character, case-insensitive as Qlik's file names are on Windows; no
      // regular expression, so an author's pattern cannot backtrack for minutes.
      const matches = compileGlob(glob);
      const names = entries.filter((e) => e.isFile() && !e.name.startsWith('.tmp-') && !e.name.startsWith('.lock-') && matches(e.name)).map((e) => e.name);
      if (names.length > MAX_LISTED_FILES) throw new FileAccessError(`more than ${MAX_LISTED_FILES} files match ${JSON.stringify(pattern)}`);
      return names.sort().map((n) => (dir === '' ? n : posix.join(dir, n)));
    },
  };
}

/** Opens a regular file without following a last-component symlink, within the size limit. */
async function openBounded(path: string, maxFileBytes: number): Promise<{ handle: FileHandle; size: number }> {
  let handle;
  try {
    handle = await open(path, constants.O_RDONLY | constants.O_NOFOLLOW);
  } catch {
    throw new FileAccessError('file cannot be opened');
  }
  try {
    const st = await handle.stat();
    if (!st.isFile()) throw new FileAccessError('not a regular file');
    if (st.size > maxFileBytes) throw new FileAccessError(`file is larger than the limit maxFileBytes (${maxFileBytes})`);
    return { handle, size: st.size };
  } catch (e) {
    await handle.close();
    throw e;
  }
}

async function readBounded(path: string, maxFileBytes: number): Promise<Uint8Array> {
  const { handle } = await openBounded(path, maxFileBytes);
  try {
    const buf = await handle.readFile();
    if (buf.length > maxFileBytes) throw new FileAccessError(`file is larger than the limit maxFileBytes (${maxFileBytes})`);
    return new Uint8Array(buf.buffer, buf.byteOffset, buf.length);
  } finally {
    await handle.close();
  }
}
