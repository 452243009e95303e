import type { FileContent, ScriptFileSink, ScriptFileSource, StoredFileKind } from '../script-file-source';

/** In-memory `lib://` files for tests: `files['conn/path']`. Writes land in the same map. */
export function memoryFiles(files: Record<string, FileContent>): ScriptFileSource & ScriptFileSink & { writes: { key: string; kind: StoredFileKind }[] } {
  const writes: { key: string; kind: StoredFileKind }[] = [];
  return {
    writes,
    read(connection, path) {
      const content = files[`${connection}/${path}`];
      if (content === undefined) throw new Error('file not found');
      return content;
    },
    async list(connection, pattern) {
      const re = new RegExp(`^${pattern.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '[^/]*').replace(/\?/g, '[^/]')}$`);
      return Object.keys(files).filter((k) => k.startsWith(`${connection}/`)).map((k) => k.slice(connection.length + 1)).filter((p) => re.test(p)).sort();
    },
    async write(connection, path, bytes, kind) {
      files[`${connection}/${path}`] = bytes;
      writes.push({ key: `${connection}/${path}`, kind });
    },
  };
}
