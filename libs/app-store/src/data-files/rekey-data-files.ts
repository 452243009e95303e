import type { Dirent } from 'node:fs';
import { open, readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { AppStoreError, type AppStoreErrorCode } from '../app-store.error';
import { parseHeader, MAX_HEADER_BYTES } from '../format/app-file-format';
import { rewrapAppFile } from '../format/app-file-codec';
import type { AppAuthKey } from '../keys/app-auth-key';
import type { KeyStore } from '../keys/key-store';
import { TEMP_PREFIX, writeFileAtomic } from '../store/atomic-file';
import { DATA_FILE_ID, DATA_FILE_MODE, isSealedDataFile, withDataFileLock } from './sealed-data-file';

export interface DataFileRekeyOptions {
  /** The data volume (root of every folder data connection). */
  rootDir: string;
  keyStore: KeyStore;
  /** The site's app authentication key (the GCM key is derived with it). */
  authKey: AppAuthKey;
  toThumbprint: string;
  /** Where the write locks live (the engine's apps folder), shared with STORE. */
  lockDir: string;
  onProgress?: (p: { file: string; outcome: 'rewrapped' | 'skipped' | 'failed'; error?: AppStoreError }) => void | Promise<void>;
  /** Folders deeper than this are not searched (default 32). */
  maxDepth?: number;
}

export interface DataFileRekeyResult {
  rewrapped: number;
  skipped: number;
  failed: Array<{ file: string; code: AppStoreErrorCode; message: string }>;
}

const QVD = /\.qvd$/i;

/** Every `*.qvd` under `dir` that starts with the envelope's magic; symlinks are not followed. */
async function* sealedQvds(dir: string, depth: number): AsyncGenerator<string> {
  let entries: Dirent[];
  try {
    entries = await readdir(dir, { withFileTypes: true });
  } catch {
    return;
  }
  for (const e of entries.sort((a, b) => a.name.localeCompare(b.name))) {
    const path = join(dir, e.name);
    if (e.isDirectory() && depth > 0) yield* sealedQvds(path, depth - 1);
    else if (e.isFile() && QVD.test(e.name) && !e.name.startsWith(TEMP_PREFIX)) {
      const head = Buffer.alloc(4);
      const h = await open(path, 'r').catch(() => undefined);
      if (!h) continue;
      try {
        await h.read(head, 0, 4, 0);
      } finally {
        await h.close();
      }
      if (isSealedDataFile(head)) yield path;
    }
  }
}

/**
 * `tz apps rekey` for QVDs: re-wraps the data key of every encrypted QVD on the data volume under
 * `toThumbprint` (IV, ciphertext and tag unchanged), each file replaced atomically under the lock
 * STORE takes. Plain QVDs are left plain (Qlik must still read them); files already under the
 * target are skipped, so an interrupted run can simply be repeated.
 */
export async function rekeyDataFiles(o: DataFileRekeyOptions): Promise<DataFileRekeyResult> {
  const target = o.keyStore.wrappingKey(o.toThumbprint);
  const result: DataFileRekeyResult = { rewrapped: 0, skipped: 0, failed: [] };
  for await (const file of sealedQvds(o.rootDir, o.maxDepth ?? 32)) {
    let outcome: 'rewrapped' | 'skipped' | 'failed';
    let error: AppStoreError | undefined;
    try {
      outcome = await withDataFileLock(o.lockDir, file, async () => {
        const bytes = await readFile(file);
        const header = parseHeader(bytes.subarray(0, Math.min(bytes.length, MAX_HEADER_BYTES)), DATA_FILE_ID, bytes.length);
        if (header.keySlot?.thumbprint === target.thumbprint) return 'skipped';
        await writeFileAtomic(file, rewrapAppFile(bytes, DATA_FILE_ID, (t, id) => o.keyStore.privateKeyFor(t, id), target, o.authKey), DATA_FILE_MODE);
        return 'rewrapped';
      });
    } catch (caught) {
      if (!(caught instanceof AppStoreError)) throw caught;
      outcome = 'failed';
      error = caught;
      result.failed.push({ file, code: caught.code, message: caught.message });
    }
    if (outcome !== 'failed') result[outcome] += 1;
    await o.onProgress?.({ file, outcome, ...(error ? { error } : {}) });
  }
  return result;
}
