import { statSync } from 'node:fs';
import { TrustError, TrustErrorCode } from './trust.error';

/**
 * The SSH habit: refuse a private key that group or others can read or write, or that another
 * user owns (they could swap it). Called before every key load; a service refuses to start on it.
 * Windows has no POSIX modes, so only the existence check applies there.
 */
export function assertPrivateKeyFileSafe(path: string): void {
  let st;
  try {
    st = statSync(path);
  } catch {
    throw new TrustError(TrustErrorCode.FileMissing, `${path}: private key file missing`, path);
  }
  if (!st.isFile()) throw new TrustError(TrustErrorCode.KeyFileUnsafe, `${path}: private key is not a regular file`, path);
  if (process.platform === 'win32') return;
  const mode = st.mode & 0o777;
  if ((mode & 0o077) !== 0) {
    throw new TrustError(
      TrustErrorCode.KeyFileUnsafe,
      `${path}: private key is accessible by group or others (mode 0${mode.toString(8)}); expected 0600 (chmod 600 '${path}')`,
      path,
    );
  }
  const uid = process.getuid?.();
  if (uid !== undefined && st.uid !== uid) {
    throw new TrustError(TrustErrorCode.KeyFileUnsafe, `${path}: private key is owned by uid ${st.uid}, not by this user (uid ${uid}); expected mode 0600 and owner ${uid}`, path);
  }
}
