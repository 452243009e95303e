import { constants } from 'node:fs';
import { open, realpath } from 'node:fs/promises';
import { isAbsolute, resolve, sep } from 'node:path';
import { parseLibPath, type ScriptFileSource } from '@trustzone/load-script';

export interface GrantedConnection {
  name: string;
  /** Absolute directory; the runner passes its realpath. */
  dir: string;
}

function inside(root: string, candidate: string): boolean {
  return candidate === root || candidate.startsWith(root.endsWith(sep) ? root : root + sep);
}

/** Error messages name the lib:// reference, never a server path (they reach the script author). */
class FileAccessError extends Error {}

/**
 * Resolves `lib://<name>/<rel>` under the granted directory of connection <name>. Refuses `..`,
 * absolute paths, NUL and — because Node 20's permission model follows symlinks out of granted
 * directories — anything whose realpath leaves the directory. The final open uses O_NOFOLLOW on
 * the resolved path, so swapping the last component for a symlink after the check does not help.
 */
export function createConnectionFileSource(connections: readonly GrantedConnection[], maxFileBytes: number, unavailable: readonly string[] = []): ScriptFileSource {
  const dirs = new Map(connections.map((c) => [c.name, c.dir] as const));
  const missing = new Set(unavailable);
  const roots = new Map<string, Promise<string>>();
  return {
    async read(connection: string, relativePath: string): Promise<string> {
      if (missing.has(connection)) throw new FileAccessError(`data connection "${connection}" is not available on this engine (its folder is missing or is not a folder)`);
      const dir = dirs.get(connection);
      if (dir === undefined) throw new FileAccessError(`data connection "${connection}" is not granted to this reload`);
      const checked = parseLibPath(`lib://${connection}/${relativePath}`);
      if ('error' in checked) throw new FileAccessError(checked.error);
      if (isAbsolute(relativePath)) throw new FileAccessError('absolute paths are not allowed');
      let root = roots.get(connection);
      if (!root) roots.set(connection, (root = realpath(dir)));
      const rootReal = await root.catch(() => {
        throw new FileAccessError(`data connection "${connection}" is not available on this engine (its folder is missing or is not a folder)`);
      });
      const candidate = resolve(rootReal, relativePath);
      if (!inside(rootReal, candidate)) throw new FileAccessError('path leaves the data connection');
      let real: string;
      try {
        real = await realpath(candidate);
      } catch {
        throw new FileAccessError('file not found');
      }
      if (!inside(rootReal, real)) throw new FileAccessError('path leaves the data connection (symbolic link)');
      return readBounded(real, maxFileBytes);
    },
  };
}

async function readBounded(path: string, maxFileBytes: number): Promise<string> {
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
    const buf = await handle.readFile();
    if (buf.length > maxFileBytes) throw new FileAccessError(`file is larger than the limit maxFileBytes (${maxFileBytes})`);
    try {
      return new TextDecoder('utf-8', { fatal: true, ignoreBOM: false }).decode(buf);
    } catch {
      throw new FileAccessError('file is not valid UTF-8');
    }
  } finally {
    await handle.close();
  }
}
