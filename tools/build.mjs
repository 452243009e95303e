#!/usr/bin/env node
// Bundles every runnable entry point into dist/ with esbuild (one file per process, workspace libs
// inlined, npm packages left external). Runs on `npm ci` (prepare), before `npm start`, and once
// per test run, so spawned processes never run stale code. Reload workers are bundled with no
// externals at all: the sandbox only grants read access to its own file.
import { build } from 'esbuild';
import { existsSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
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
  // TZ_BUILD_VERSION: `tz --version` in an image that ships no package.json.
  define: { 'process.env.TZ_BUNDLED': '"1"', 'process.env.TZ_BUILD_VERSION': JSON.stringify(pkg.version) },
})));
// The browser pages (hub, console): one minified script each plus the stylesheet, everything
// bundled (no third-party origin at run time), served by the proxy from dist/web/.
const web = resolve(root, 'apps/proxy/web');
const webOptions = {
  outdir: resolve(root, 'dist/web'),
  tsconfig: resolve(web, 'tsconfig.json'),
  bundle: true,
  platform: 'browser',
  target: ['chrome110', 'firefox110', 'safari16'],
  minify: true,
  sourcemap: false,
  logLevel: 'warning',
  // nebula's bundles test process.env.NODE_ENV; the production branch drops React's dev checks.
  define: { 'process.env.NODE_ENV': '"production"' },
};
rmSync(resolve(root, 'dist/web'), { recursive: true, force: true });
await Promise.all([
  build({ ...webOptions, entryPoints: [resolve(web, 'src/qmc.ts'), resolve(web, 'src/web.css')], format: 'iife' }),
  // The hub is an ES module split in chunks: the charts (nebula.js, React, picasso.js: most of the
  // bytes) are a chunk the page imports only when an app is opened, so the app list loads small.
  build({ ...webOptions, entryPoints: [resolve(web, 'src/hub.ts')], format: 'esm', splitting: true, chunkNames: 'chunk-[hash]' }),
]);
// Served gzipped (the proxy reads <name>.gz; compressing 3 MB per process start would stall it).
for (const name of readdirSync(resolve(root, 'dist/web'))) {
  if (/\.(js|css)$/.test(name)) writeFileSync(resolve(root, 'dist/web', `${name}.gz`), gzipSync(readFileSync(resolve(root, 'dist/web', name)), { level: 9 }));
}
const native = buildNative(root, { quiet });
if (!quiet) console.log(`build: ${entries.length} bundles + web pages${native.built ? ' + native AES-GCM' : ''} in ${Date.now() - started} ms → dist/`);
