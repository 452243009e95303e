import { createHash, randomBytes, X509Certificate } from 'node:crypto';
import { AppAuthKey } from '../keys/app-auth-key';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

// Test-only helpers for app-store specs.

export function tempDir(prefix: string): { dir: string; cleanup: () => void } {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  return { dir, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

/** SHA-256 over the certificate's DER, computed directly (not via the library's thumbprint helper). */
export const derThumbprint = (certPem: string): string => createHash('sha256').update(new X509Certificate(certPem).raw).digest('hex');

export async function eventually(check: () => boolean, timeoutMs = 5000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 20));
  }
}

/** One app authentication key per test run, as a site's engines share one (hex: for child processes). */
export const AUTH_HEX = randomBytes(32).toString('hex');
export const AUTH = AppAuthKey.fromBytes(Buffer.from(AUTH_HEX, 'hex'));
