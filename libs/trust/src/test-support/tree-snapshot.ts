import { createHash } from 'node:crypto';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';

/** path → "mode sha256" for every file and directory under `root`, to prove nothing changed. */
export function snapshotTree(root: string): Map<string, string> {
  const out = new Map<string, string>();
  const walk = (dir: string): void => {
    for (const name of readdirSync(dir)) {
      const path = join(dir, name);
      const st = statSync(path);
      const mode = (st.mode & 0o777).toString(8);
      if (st.isDirectory()) {
        out.set(`${relative(root, path)}/`, mode);
        walk(path);
      } else {
        out.set(relative(root, path), `${mode} ${createHash('sha256').update(readFileSync(path)).digest('hex')}`);
      }
    }
  };
  walk(root);
  return out;
}
