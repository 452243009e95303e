/**
 * How the executor reads `lib://<connection>/<path>` files. The lib never touches the disk: the
 * engine's sandboxed reload worker supplies an implementation that resolves the path under the
 * connection's directory and refuses escapes. `path` has already passed `parseLibPath`.
 * Error messages thrown here are shown to the script author, so they must not reveal server paths.
 */
export interface ScriptFileSource {
  read(connection: string, relativePath: string): Promise<string> | string;
}
