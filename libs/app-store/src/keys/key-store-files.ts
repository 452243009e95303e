import { X509Certificate } from 'node:crypto';
import { lstat, readFile, readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { AppStoreError, AppStoreErrorCode } from '../app-store.error';
import { assertKeyFileSafe } from './key-file-permissions';
import type { KeyEntry } from './key-material';
import { THUMBPRINT, loadKeyPair, thumbprintOf } from './key-material';

/*
 * Key store folder layout (`<data>/keys`, 0700):
 *   <thumbprint>.crt   encryption certificate, PEM, 0644
 *   <thumbprint>.key   its private key, PKCS#8 PEM, 0600, owned by the service user
 *   active             the thumbprint new files are encrypted under (absent: encryption at rest off)
 */
export const certFile = (dir: string, thumbprint: string): string => join(dir, `${thumbprint}.crt`);
export const keyFile = (dir: string, thumbprint: string): string => join(dir, `${thumbprint}.key`);
export const activeFile = (dir: string): string => join(dir, 'active');
export const KEY_DIR_MODE = 0o700;
export const KEY_FILE_MODE = 0o600;
export const CERT_FILE_MODE = 0o644;
/** PEM files larger than this are not keys; refusing them bounds memory. */
const MAX_PEM_BYTES = 64 * 1024;

export interface KeyStoreSnapshot {
  missing: boolean;
  keys: Map<string, KeyEntry>;
  /** Thumbprint named by the `active` marker, whether or not that key loaded. */
  activeThumbprint: string | undefined;
  /** Fingerprint of the folder contents, to skip reloads when nothing changed. */
  signature: string;
}

async function readSmall(file: string): Promise<string> {
  const stats = await lstat(file);
  if (stats.size > MAX_PEM_BYTES) throw new AppStoreError(AppStoreErrorCode.KeyInvalid, `${file} is too large to be a key or certificate`, { file });
  return readFile(file, 'utf8');
}

async function loadEntry(dir: string, thumbprint: string): Promise<KeyEntry> {
  try {
    return await loadEntryUnchecked(dir, thumbprint);
  } catch (error) {
    if (error instanceof AppStoreError) throw error;
    const reason = (error as NodeJS.ErrnoException).code === 'ENOENT' ? 'its certificate file is missing' : 'its files cannot be read as PEM';
    throw new AppStoreError(AppStoreErrorCode.KeyInvalid, `key ${thumbprint} in ${dir}: ${reason}`, { file: keyFile(dir, thumbprint), thumbprint });
  }
}

async function loadEntryUnchecked(dir: string, thumbprint: string): Promise<KeyEntry> {
  const kFile = keyFile(dir, thumbprint);
  assertKeyFileSafe(kFile, await lstat(kFile));
  const certPem = await readSmall(certFile(dir, thumbprint));
  // The name is only a label: the thumbprint that counts is the one computed from the certificate.
  const cert = new X509Certificate(certPem);
  if (thumbprintOf(cert) !== thumbprint) {
    throw new AppStoreError(AppStoreErrorCode.KeyInvalid, `${certFile(dir, thumbprint)} does not hold the certificate its name says`, { file: certFile(dir, thumbprint) });
  }
  return loadKeyPair(certPem, await readSmall(kFile));
}

/** Reads the whole key store; throws (naming the file) on the first unsafe or invalid key. */
export async function readKeyStore(dir: string): Promise<KeyStoreSnapshot> {
  let names: string[];
  try {
    names = await readdir(dir);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return { missing: true, keys: new Map(), activeThumbprint: undefined, signature: 'missing' };
    throw error;
  }
  const parts: string[] = [];
  for (const name of [...names].sort()) {
    const s = await lstat(join(dir, name)).catch(() => undefined);
    if (s) parts.push(`${name}:${s.ino}:${s.size}:${s.mtimeMs}:${s.mode}:${s.uid}`);
  }
  const keys = new Map<string, KeyEntry>();
  for (const name of names) {
    const m = /^([0-9a-f]{64})\.key$/.exec(name);
    if (m?.[1] !== undefined) keys.set(m[1], await loadEntry(dir, m[1]));
  }
  let activeThumbprint: string | undefined;
  if (names.includes('active')) {
    const value = (await readSmall(activeFile(dir))).trim();
    if (!THUMBPRINT.test(value)) throw new AppStoreError(AppStoreErrorCode.KeyInvalid, `${activeFile(dir)} does not name a key thumbprint`, { file: activeFile(dir) });
    activeThumbprint = value;
  }
  return { missing: false, keys, activeThumbprint, signature: parts.join('|') };
}
