import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { extname, join, resolve } from 'node:path';
import { gzipSync } from 'node:zlib';

/**
 * The browser pages' files (the hub and the console), bundled by tools/build.mjs into dist/web/:
 * the pages' scripts, the hub's code-split chunks (`chunk-<hash>.js`, named by the build) and the
 * stylesheet. Read once, on first use, and served from memory: the names are the build's output
 * listed once, so no request path ever reaches the file system. Each is served gzipped too (the
 * charts chunk is ~2.9 MB raw, ~0.9 MB gzipped), compressed by the build: compressing it here, on
 * a request, would hold the proxy's event loop for a second or more. The bundled proxy sits in dist/apps/proxy/, the
 * sources (tests) in apps/proxy/src/web/; both find the same dist/web/.
 */
const TYPES: Record<string, string> = {
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
};
const NAME = /^[A-Za-z0-9][A-Za-z0-9_-]{0,63}\.(js|css)$/;

export interface WebAsset {
  body: Buffer;
  /** The body gzipped: the build's `<name>.gz`, else compressed on first use (once). */
  readonly gzipped: Buffer;
  contentType: string;
  etag: string;
}

export function webDir(): string {
  return process.env['TZ_BUNDLED'] === '1' ? resolve(__dirname, '..', '..', 'web') : resolve(__dirname, '..', '..', '..', '..', 'dist', 'web');
}

let cache: Map<string, WebAsset> | null = null;

function load(): Map<string, WebAsset> {
  const out = new Map<string, WebAsset>();
  const dir = webDir();
  if (!existsSync(dir)) return out;
  for (const n of readdirSync(dir)) {
    const type = TYPES[extname(n)];
    if (!type || !NAME.test(n)) continue;
    const body = readFileSync(join(dir, n));
    const gz = join(dir, `${n}.gz`);
    let gzipped: Buffer | null = existsSync(gz) ? readFileSync(gz) : null;
    out.set(n, {
      body,
      get gzipped() {
        return (gzipped ??= gzipSync(body));
      },
      contentType: type,
      etag: `"${createHash('sha256').update(body).digest('base64url').slice(0, 22)}"`,
    });
  }
  return out;
}

/** The named asset, or null when it is not one the build wrote. */
export function webAsset(name: string): WebAsset | null {
  if (!NAME.test(name)) return null;
  cache ??= load();
  return cache.get(name) ?? null;
}
