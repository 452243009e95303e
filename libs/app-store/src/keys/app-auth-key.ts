import { createHmac, hkdfSync, randomBytes, type Hmac } from 'node:crypto';
import { constants } from 'node:fs';
import { chmod, lstat, mkdir, open, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { AppStoreError, AppStoreErrorCode } from '../app-store.error';
import { assertKeyFileSafe } from './key-file-permissions';
import { KEY_DIR_MODE, KEY_FILE_MODE } from './key-store-files';

/**
 * The site's app authentication key (issue 15, finding 13): 32 random bytes only engines (and the
 * operator's `tz` on the site) can read. Encryption keys are wrapped with a *public* certificate and
 * a checksum is unkeyed, so without it anyone who can write `apps/` could write a file an engine
 * accepts. With it (format 2, app-file-format.ts):
 *  - encrypted files: the AES-GCM key is HKDF(data key, salt = this key), so a data key wrapped with
 *    the public certificate alone gives the wrong GCM key and the tag fails;
 *  - checksummed files: the trailer is an HMAC under a key derived from this one, over the header
 *    core and the payload.
 *
 * File: `<keys>/app-auth.key` by default (TZ_APP_AUTH_KEY_FILE), 64 hex characters, mode 0600,
 * created by `tz init` (or `tz apps authenticate` on a site that predates it). Engines read it;
 * repository and proxies never need it.
 */
export const APP_AUTH_KEY_FILE = 'app-auth.key';
const KEY_BYTES = 32;
const GCM_INFO = Buffer.from('trustzone-app-v2 aes-256-gcm key', 'utf8');
const MAC_INFO = Buffer.from('trustzone-app-v2 checksum mac key', 'utf8');

export const appAuthKeyPath = (keysDir: string): string => join(keysDir, APP_AUTH_KEY_FILE);

export class AppAuthKey {
  private readonly macKey: Buffer;

  private constructor(private readonly secret: Buffer) {
    this.macKey = Buffer.from(hkdfSync('sha256', secret, Buffer.alloc(0), MAC_INFO, KEY_BYTES));
  }

  /** From the raw 32 bytes (tests, and the file loader). */
  static fromBytes(bytes: Uint8Array): AppAuthKey {
    if (bytes.length !== KEY_BYTES) throw new AppStoreError(AppStoreErrorCode.AuthKeyInvalid, `the app authentication key must be ${KEY_BYTES} bytes`);
    return new AppAuthKey(Buffer.from(bytes));
  }

  /** The AES-256-GCM key of a format-2 file whose (unwrapped) data key is `dataKey`. */
  gcmKey(dataKey: Uint8Array): Buffer {
    return Buffer.from(hkdfSync('sha256', dataKey, this.secret, GCM_INFO, KEY_BYTES));
  }

  /** The HMAC that ends a format-2 checksummed file (fed the header core, then the payload). */
  checksumMac(): Hmac {
    return createHmac('sha256', this.macKey);
  }
}

/** Reads the key; a missing, unsafe (group/other-readable, link) or malformed file is refused by name. */
export async function loadAppAuthKey(file: string): Promise<AppAuthKey> {
  let text: string;
  try {
    assertKeyFileSafe(file, await lstat(file));
    text = await readFile(file, 'utf8');
  } catch (error) {
    if (error instanceof AppStoreError) throw error;
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') {
      throw new AppStoreError(AppStoreErrorCode.AuthKeyMissing, `the app authentication key ${file} does not exist: app files cannot be read or written without it (create it with \`tz apps authenticate\`)`, { file });
    }
    throw new AppStoreError(AppStoreErrorCode.AuthKeyInvalid, `the app authentication key ${file} cannot be read`, { file });
  }
  const hex = text.trim();
  if (!/^[0-9a-f]{64}$/.test(hex)) throw new AppStoreError(AppStoreErrorCode.AuthKeyInvalid, `${file} does not hold a ${KEY_BYTES}-byte app authentication key (64 hex characters)`, { file });
  return AppAuthKey.fromBytes(Buffer.from(hex, 'hex'));
}

/**
 * Creates the key file (0600, in a 0700 folder) unless it exists; never overwrites one, since every
 * app file written under it would become unreadable. Resolves whether it created it.
 */
export async function createAppAuthKey(file: string): Promise<boolean> {
  const dir = join(file, '..');
  await mkdir(dir, { recursive: true, mode: KEY_DIR_MODE });
  let handle;
  try {
    handle = await open(file, constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL, KEY_FILE_MODE);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw error;
  }
  try {
    await handle.writeFile(`${randomBytes(KEY_BYTES).toString('hex')}\n`);
    await handle.sync();
  } finally {
    await handle.close();
  }
  await chmod(file, KEY_FILE_MODE);
  return true;
}
