import { lstat, realpath } from 'node:fs/promises';
import { basename, dirname, isAbsolute, join, resolve, sep } from 'node:path';
import { parseLibPath } from '@trustzone/load-script';

export interface GrantedConnection {
  name: string;
  /** Absolute directory; the runner passes its realpath. */
  dir: string;
  /** STORE may write here (Update on the connection for the user and the app owner). */
  writable?: boolean;
}

/** Error messages name the lib:// reference, never a server path (they reach the script author). */
export class FileAccessError extends Error {}

const unavailableError = (connection: string): FileAccessError =>
  new FileAccessError(`data connection "${connection}" is not available on this engine (its folder is missing or is not a folder)`);

export function inside(root: string, candidate: string): boolean {
  return candidate === root || candidate.startsWith(root.endsWith(sep) ? root : root + sep);
}

/** Names the engine uses for its own temp and lock files: a script may neither read nor write them. */
const RESERVED = /^\.(tmp|lock)-/;

/**
 * Resolves `lib://<name>/<rel>` under the granted directories. Refuses `..`, absolute paths, NUL
 * and — because Node 20's permission model follows symlinks out of granted directories — anything
 * whose realpath leaves the directory. One instance per reload: realpaths of roots are cached.
 */
export class ConnectionPaths {
  private readonly grants: Map<string, GrantedConnection>;
  private readonly roots = new Map<string, Promise<string>>();
  private readonly missing: Set<string>;

  constructor(connections: readonly GrantedConnection[], unavailable: readonly string[] = []) {
    this.grants = new Map(connections.map((c) => [c.name, c] as const));
    this.missing = new Set(unavailable);
  }

  grant(connection: string): GrantedConnection {
    if (this.missing.has(connection)) throw unavailableError(connection);
    const g = this.grants.get(connection);
    if (g === undefined) throw new FileAccessError(`data connection "${connection}" is not granted to this reload`);
    return g;
  }

  async root(connection: string): Promise<string> {
    const g = this.grant(connection);
    let root = this.roots.get(connection);
    if (!root) this.roots.set(connection, (root = realpath(g.dir)));
    return root.catch(() => {
      throw unavailableError(connection);
    });
  }

  /** The lexical target inside the connection (not yet checked against symlinks). */
  private async candidate(connection: string, relativePath: string): Promise<{ root: string; path: string }> {
    this.grant(connection);
    const checked = parseLibPath(`lib://${connection}/${relativePath}`);
    if ('error' in checked) throw new FileAccessError(checked.error);
    if (isAbsolute(relativePath)) throw new FileAccessError('absolute paths are not allowed');
    const root = await this.root(connection);
    const path = resolve(root, relativePath);
    if (!inside(root, path)) throw new FileAccessError('path leaves the data connection');
    if (RESERVED.test(basename(path))) throw new FileAccessError('file names starting with .tmp- or .lock- are reserved');
    return { root, path };
  }

  /** An existing file to read: its realpath, which must stay inside the connection. */
  async existing(connection: string, relativePath: string): Promise<string> {
    const { root, path } = await this.candidate(connection, relativePath);
    let real: string;
    try {
      real = await realpath(path);
    } catch {
      throw new FileAccessError('file not found');
    }
    if (!inside(root, real)) throw new FileAccessError('path leaves the data connection (symbolic link)');
    return real;
  }

  /** An existing folder (for listings): its realpath, inside the connection. */
  async folder(connection: string, relativeDir: string): Promise<string> {
    if (relativeDir === '') return this.root(connection);
    return this.existing(connection, relativeDir);
  }

  /**
   * A file to write: the connection must be writable, its folder must exist inside the connection
   * (realpath), and an existing file there must be a regular file — not a symlink, which the
   * rename would replace but a reader might have followed, nor a folder.
   */
  async writable(connection: string, relativePath: string): Promise<string> {
    if (!this.grant(connection).writable) {
      throw new FileAccessError(`data connection "${connection}" may not be written by this reload (STORE needs Update on the connection)`);
    }
    const { root, path } = await this.candidate(connection, relativePath);
    let folder: string;
    try {
      folder = await realpath(dirname(path));
    } catch {
      throw new FileAccessError('the target folder does not exist');
    }
    if (!inside(root, folder)) throw new FileAccessError('path leaves the data connection (symbolic link)');
    const target = join(folder, basename(path));
    const st = await lstat(target).catch(() => null);
    if (st && !st.isFile()) throw new FileAccessError('the target exists and is not a regular file');
    return target;
  }
}
