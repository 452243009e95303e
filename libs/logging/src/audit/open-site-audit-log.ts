import { X509Certificate } from 'node:crypto';
import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { openAuditLog, type AuditLog } from './audit-log';
import { writeFileAtomic, type SitePaths } from '@trustzone/trust';

/**
 * Opens a site's audit log signed with the repository's current key (the repository, or the CLI when
 * the repository is down), after archiving that certificate in
 * `<data>/audit/signers/` (public data): checkpoints signed before a certificate rotation stay
 * verifiable, and `tz audit verify` trusts an archived signer only if it chains to the site CA with
 * the repository identity.
 */
export async function openSiteAuditLog(paths: SitePaths, signer: { keyPem: string; certPem: string }, options: { checkpointEvery?: number; checkpointMs?: number } = {}): Promise<AuditLog> {
  const dir = join(paths.audit, 'signers');
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const thumbprint = new X509Certificate(signer.certPem).fingerprint256.replace(/:/g, '').toLowerCase();
  const file = join(dir, `${thumbprint}.pem`);
  if (!existsSync(file)) writeFileAtomic(file, signer.certPem, 0o644);
  return openAuditLog({ dir: paths.audit, signer, ...options });
}
