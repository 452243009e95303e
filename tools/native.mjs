// Builds the one native addon, libs/app-store/native/aes_gcm.c → dist/native/aes_gcm.node: a plain
// C compile against the headers of the Node that runs this (N-API + Node's own OpenSSL), no
// node-gyp and nothing downloaded. It is optional: where it cannot be built (no C compiler, no
// headers, Windows) encrypted app loads fall back to node:crypto, and the engine says so at start.
// dist/native/aes_gcm.json records the outcome so tests and CI can tell "not built" from "broken".
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';

const SOURCE = 'libs/app-store/native/aes_gcm.c';

function headerDir() {
  const candidates = [process.env.TZ_NODE_HEADERS, resolve(dirname(process.execPath), '..', 'include', 'node')].filter(Boolean);
  return candidates.find((dir) => existsSync(resolve(dir, 'node_api.h')) && existsSync(resolve(dir, 'openssl', 'evp.h')));
}

function previous(statusFile) {
  try {
    return JSON.parse(readFileSync(statusFile, 'utf8'));
  } catch {
    return undefined;
  }
}

/** Returns the status written to dist/native/aes_gcm.json; never throws for a missing toolchain. */
export function buildNative(root, { quiet = false } = {}) {
  const source = resolve(root, SOURCE);
  const outDir = resolve(root, 'dist', 'native');
  const output = resolve(outDir, 'aes_gcm.node');
  const statusFile = resolve(outDir, 'aes_gcm.json');
  const before = previous(statusFile);
  const sourceTime = statSync(source).mtimeMs;
  // Rebuilt when the source changed or another Node runs the build (its headers and OpenSSL).
  if (before?.built && before.node === process.version && existsSync(output) && statSync(output).mtimeMs >= sourceTime) return before;

  mkdirSync(outDir, { recursive: true });
  const status = { built: false, node: process.version, reason: '' };
  const headers = headerDir();
  if (process.platform === 'win32') status.reason = 'not supported on Windows';
  else if (!headers) status.reason = `Node headers (node_api.h, openssl/evp.h) not found next to ${process.execPath}; set TZ_NODE_HEADERS`;
  else {
    const temp = `${output}.${process.pid}.tmp`;
    const flags = ['-std=c11', '-O2', '-fPIC', '-shared', '-fvisibility=hidden', '-fstack-protector-strong', '-D_FORTIFY_SOURCE=2', '-Wall', '-Wextra', '-Werror'];
    const link = process.platform === 'darwin' ? ['-undefined', 'dynamic_lookup'] : ['-Wl,-z,relro,-z,now'];
    try {
      execFileSync(process.env.CC || 'cc', [...flags, `-I${headers}`, source, '-o', temp, ...link], { stdio: ['ignore', 'ignore', 'pipe'], timeout: 60_000 });
      renameSync(temp, output);
      status.built = true;
    } catch (error) {
      rmSync(temp, { force: true });
      const detail = error.stderr?.toString().trim().split('\n').slice(0, 3).join(' ') || error.message;
      status.reason = `C compile failed: ${detail}`;
    }
  }
  if (!status.built) rmSync(output, { force: true });
  writeFileSync(statusFile, `${JSON.stringify(status, null, 2)}\n`);
  if (!status.built && !quiet) console.warn(`native AES-GCM not built (${status.reason}); encrypted app saves and loads will use node:crypto`);
  return status;
}
