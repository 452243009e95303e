import { createCipheriv, randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';

/** The addon built by tools/native.mjs from libs/app-store/native/aes_gcm.c (see the comment there). */
export interface NativeAesGcm {
  openDecipher(key: Uint8Array, iv: Uint8Array, aad: Uint8Array, tag: Uint8Array): object;
  openCipher(key: Uint8Array, iv: Uint8Array, aad: Uint8Array): object;
  /** Processes `data` in place, or into `out` (same length, not overlapping). */
  update(context: object, data: Uint8Array, out?: Uint8Array): void;
  /** Decryption: true when the tag verified; frees the context either way. */
  finish(context: object): boolean;
  /** Encryption: the tag; frees the context either way. */
  seal(context: object): Buffer;
  /** Frees the context now; idempotent. */
  close(context: object): void;
}

export type NativeGcmLoad = { addon: NativeAesGcm; path: string } | { addon?: undefined; path: string; reason: string };

/** dist/native/ — next to the bundles (dist/apps/<service>/) or, from the sources, at the repository root. */
export function defaultNativeGcmPath(): string {
  return resolve(__dirname, process.env['TZ_BUNDLED'] ? '../../native' : '../../../../dist/native', 'aes_gcm.node');
}

/**
 * Cross-check before the addon is trusted with app files: a message encrypted by node:crypto must
 * decrypt to the same bytes across uneven update boundaries, a flipped tag bit must fail, and the
 * addon's own encryption must give node:crypto's ciphertext and tag. An addon built against other
 * headers or a broken OpenSSL is refused here rather than at a load or a save.
 */
function selfTest(addon: NativeAesGcm): string | undefined {
  const key = randomBytes(32);
  const iv = randomBytes(12);
  const aad = randomBytes(37);
  const plain = randomBytes(1000);
  const cipher = createCipheriv('aes-256-gcm', key, iv, { authTagLength: 16 });
  cipher.setAAD(aad);
  const sealed = Buffer.concat([cipher.update(plain), cipher.final()]);
  const tag = cipher.getAuthTag();
  const data = Buffer.from(sealed);
  const good = addon.openDecipher(key, iv, aad, tag);
  addon.update(good, data.subarray(0, 333));
  addon.update(good, data.subarray(333));
  if (!addon.finish(good) || !data.equals(plain)) return 'self-test failed: wrong plaintext or tag refused';
  tag[0] = (tag[0] ?? 0) ^ 1;
  const bad = addon.openDecipher(key, iv, aad, tag);
  addon.update(bad, Buffer.from(sealed));
  if (addon.finish(bad)) return 'self-test failed: an altered tag was accepted';
  const mine = addon.openCipher(key, iv, aad);
  const out = Buffer.alloc(plain.length);
  addon.update(mine, plain.subarray(0, 500), out.subarray(0, 500));
  addon.update(mine, plain.subarray(500), out.subarray(500));
  tag[0] = (tag[0] ?? 0) ^ 1;
  if (!out.equals(sealed) || !addon.seal(mine).equals(tag)) return 'self-test failed: encryption differs from node:crypto';
  return undefined;
}

const loads = new Map<string, NativeGcmLoad>();

/** Loads and self-tests the addon once per path; never throws (the reason says why it is unusable). */
export function loadNativeGcm(path = defaultNativeGcmPath()): NativeGcmLoad {
  const known = loads.get(path);
  if (known) return known;
  let result: NativeGcmLoad;
  try {
    const module = { exports: {} as NativeAesGcm };
    process.dlopen(module, path);
    const failed = selfTest(module.exports);
    result = failed ? { path, reason: failed } : { addon: module.exports, path };
  } catch (error) {
    result = { path, reason: `not loadable: ${error instanceof Error ? error.message.split('\n')[0] : String(error)}` };
  }
  loads.set(path, result);
  return result;
}

/** `auto`: the addon when it is built and passes its self-test, else node:crypto. */
export type AesGcmPreference = 'auto' | 'native' | 'node';

export interface AesGcmBackend {
  name: 'native' | 'node';
  addon?: NativeAesGcm;
  /** Why the addon is not used (missing, refused by its self-test, or not wanted). */
  reason?: string;
}

/** What tools/native.mjs recorded next to the addon: distinguishes "not built, and why" from "broken". */
export function nativeGcmBuildStatus(path = defaultNativeGcmPath()): { built: boolean; reason: string } {
  try {
    const status = JSON.parse(readFileSync(path.replace(/\.node$/, '.json'), 'utf8')) as { built?: unknown; reason?: unknown };
    return { built: status.built === true, reason: typeof status.reason === 'string' ? status.reason : '' };
  } catch {
    return { built: false, reason: `no build record next to ${path} (run npm run build)` };
  }
}

/** Picks the AES-GCM implementation for loads; `native` that cannot be had is an error, not a fallback. */
export function selectAesGcm(preference: AesGcmPreference = 'auto', path = defaultNativeGcmPath()): AesGcmBackend {
  if (preference === 'node') return { name: 'node', reason: 'node:crypto chosen by configuration' };
  const loaded = loadNativeGcm(path);
  if (loaded.addon) return { name: 'native', addon: loaded.addon };
  const status = nativeGcmBuildStatus(path);
  const reason = status.built ? loaded.reason : status.reason || loaded.reason;
  if (preference === 'native') throw new Error(`native AES-GCM required but unusable: ${reason}`);
  return { name: 'node', reason };
}
