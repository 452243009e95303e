/**
 * `lib://<Connection>/<relative/path>` — the only file reference a script may make
 * (load-script.md). This lib only refuses forms that are wrong whatever the file system says;
 * the engine side still resolves the path under the connection's directory and checks realpath
 * (symlinks), because only it can see the disk.
 */
export interface LibPath {
  connection: string;
  /** Relative path inside the connection, `/`-separated, no `.`/`..`/empty segments. */
  path: string;
}

const CONNECTION_NAME = /^[\p{L}\p{N} _.()-]{1,128}$/u;
// NUL and other control characters have no business in a file name and confuse path handling.
const CONTROL = /[\u0000-\u001f\u007f]/;
const MAX_PATH_CHARS = 1024;

/** Whether `name` may be a DataConnection name in `lib://<name>/…`. */
export function isConnectionName(name: string): boolean {
  return CONNECTION_NAME.test(name) && name !== '.' && name !== '..';
}

/** Parses a `lib://` reference or returns the reason it is refused. */
export function parseLibPath(raw: string): LibPath | { error: string } {
  const text = raw.trim();
  if (!/^lib:\/\//i.test(text)) return { error: 'only lib://<connection>/<path> file references are allowed' };
  const rest = text.slice('lib://'.length);
  const slash = rest.indexOf('/');
  if (slash <= 0) return { error: 'lib:// reference needs a connection name and a path' };
  const connection = rest.slice(0, slash);
  const path = rest.slice(slash + 1);
  if (!isConnectionName(connection)) {
    return { error: `invalid data connection name ${JSON.stringify(connection)}` };
  }
  if (path.length === 0 || path.length > MAX_PATH_CHARS) return { error: 'lib:// path is empty or too long' };
  if (CONTROL.test(path)) return { error: 'lib:// path contains control characters' };
  if (path.includes('\\')) return { error: 'lib:// path must use "/" separators' };
  if (path.startsWith('/')) return { error: 'lib:// path must be relative to the connection' };
  for (const segment of path.split('/')) {
    if (segment === '' || segment === '.' || segment === '..') {
      return { error: 'lib:// path may not contain empty, "." or ".." segments' };
    }
  }
  return { connection, path };
}
