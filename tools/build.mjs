#!/usr/bin/env node
// Bundles every runnable entry point into dist/ with esbuild (one file per process, workspace libs
// inlined, npm packages left external). Runs on `npm ci` (prepare), before `npm start`, and once
// per test run, so spawned processes never run stale code. Reload workers are bundled with no
// externals at all: the sandbox only grants read access to its own file.
import { build } from 'esbuild';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildNative } from './native.mjs';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const quiet = process.argv.includes('--quiet');
const pkg = JSON.parse(readFileSync(resolve(root, 'package.json'), 'utf8'));
const external = [...Object.keys(pkg.dependencies ?? {}), ...Object.keys(pkg.devDependencies ?? {})].filter((n) => !n.startsWith('@trustzone/'))
  .flatMap((name) => [name, `${name}/*`]);

const entries = [
  { in: 'apps/cli/src/main.ts', out: 'apps/cli/tz' },
  { in: 'apps/repository/src/main.ts', out: 'apps/repository/main' },
  { in: 'apps/engine/src/main.ts', out: 'apps/engine/main' },
  { in: 'apps/proxy/src/main.ts', out: 'apps/proxy/main' },
  { in: 'apps/engine/src/reload/reload-worker.ts', out: 'apps/engine/reload-worker', sandboxed: true },
].filter((e) => existsSync(resolve(root, e.in)));

const started = Date.now();
await Promise.all(entries.map((e) => build({
  entryPoints: [resolve(root, e.in)],
  outfile: resolve(root, 'dist', `${e.out}.cjs`),
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'cjs',
  sourcemap: 'linked',
  external: e.sandboxed ? [] : external,
  logLevel: 'warning',
  define: { 'process.env.TZ_BUNDLED': '"1"' },
})));
const native = buildNative(root, { quiet });
if (!quiet) console.log(`build: ${entries.length} bundles${native.built ? ' + native AES-GCM' : ''} in ${Date.now() - started} ms → dist/`);
