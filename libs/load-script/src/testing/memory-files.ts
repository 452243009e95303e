import { compileGlob } from '@trustzone/data-model';
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
      const slash = pattern.lastIndexOf('/');
      const [dir, matches] = [pattern.slice(0, slash + 1), compileGlob(pattern.slice(slash + 1))];
      return Object.keys(files).filter((k) => k.startsWith(`${connection}/${dir}`)).map((k) => k.slice(connection.length + 1))
        .filter((p) => !p.slice(dir.length).includes('/') && matches(p.slice(dir.length))).sort();
    },
    async write(connection, path, bytes, kind) {
      files[`${connection}/${path}`] = bytes;
      writes.push({ key: `${connection}/${path}`, kind });
    },
  };
}
