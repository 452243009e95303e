import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { constants, lstatSync, mkdirSync, openSync, readFileSync, writeSync, closeSync } from 'node:fs';
import { dirname } from 'node:path';

/**
 * Secrets the repository must keep and hand back (an OIDC client secret: the proxy needs it to redeem
 * authorization codes) are stored sealed: AES-256-GCM under a key that lives in a file beside the
 * service's private keys, never in the database. A stolen database or backup alone does not give
 * them away; the context (entity type and field) is authenticated so a sealed value cannot be
 * moved into another column. Format: `tzenc:v1:<base64url(iv ‖ ciphertext ‖ tag)>`.
 */
const PREFIX = 'tzenc:v1:';
const KEY_BYTES = 32;
const IV_BYTES = 12;
const TAG_BYTES = 16;

export class SecretBox {
  private constructor(private readonly key: Buffer) {}

  static fromBytes(bytes: Uint8Array): SecretBox {
    if (bytes.length !== KEY_BYTES) throw new RangeError(`a secrets key is ${KEY_BYTES} bytes`);
    return new SecretBox(Buffer.from(bytes));
  }

  seal(plaintext: string, context: string): string {
    const iv = randomBytes(IV_BYTES);
    const cipher = createCipheriv('aes-256-gcm', this.key, iv);
    cipher.setAAD(Buffer.from(context, 'utf8'));
    const ct = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
    return PREFIX + Buffer.concat([iv, ct, cipher.getAuthTag()]).toString('base64url');
  }

  /** The plaintext, or null when the value is not sealed under this key for this context. */
  open(sealed: string, context: string): string | null {
    if (!sealed.startsWith(PREFIX)) return null;
    const raw = Buffer.from(sealed.slice(PREFIX.length), 'base64url');
    if (raw.length < IV_BYTES + TAG_BYTES) return null;
    try {
      const decipher = createDecipheriv('aes-256-gcm', this.key, raw.subarray(0, IV_BYTES));
      decipher.setAAD(Buffer.from(context, 'utf8'));
      decipher.setAuthTag(raw.subarray(raw.length - TAG_BYTES));
      return Buffer.concat([decipher.update(raw.subarray(IV_BYTES, raw.length - TAG_BYTES)), decipher.final()]).toString('utf8');
    } catch {
      return null;
    }
  }
}

export const isSealed = (value: string) => value.startsWith(PREFIX);

/**
 * Loads the key file, creating it (0600, in a 0700 folder, exclusive create so two repositories
 * starting together agree on one) when it does not exist. A link, a file others can read, or one
 * of the wrong size is refused: the service does not start on a key it cannot trust.
 */
export function openSecretBox(file: string): SecretBox {
  mkdirSync(dirname(file), { recursive: true, mode: 0o700 });
  try {
    const fd = openSync(file, constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL, 0o600);
    try {
      writeSync(fd, `${randomBytes(KEY_BYTES).toString('hex')}\n`);
    } finally {
      closeSync(fd);
    }
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
  }
  const st = lstatSync(file);
  if (st.isSymbolicLink() || !st.isFile()) throw new Error(`secrets key ${file} must be a regular file`);
  if ((st.mode & 0o077) !== 0) throw new Error(`secrets key ${file} is readable by group or others; it must be 0600`);
  const hex = readFileSync(file, 'utf8').trim();
  if (!/^[0-9a-f]{64}$/.test(hex)) throw new Error(`secrets key ${file} must hold 64 hex characters`);
  return SecretBox.fromBytes(Buffer.from(hex, 'hex'));
}
