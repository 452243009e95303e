import { execFileSync } from 'node:child_process';
import { resolve } from 'node:path';

/**
 * Multi-process tests spawn the bundled services from dist/. Build once per test run so a
 * test never runs against stale bundles (esbuild takes well under a second when warm).
 */
export default function setup(): void {
  const root = resolve(new URL('.', import.meta.url).pathname, '..');
  execFileSync(process.execPath, [resolve(root, 'tools/build.mjs'), '--quiet'], { stdio: 'inherit', cwd: root });
}
