import { X509Certificate } from 'node:crypto';
import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { openAuditLog, type AuditLog, type AuditLogOptions } from './audit-log';
import { writeFileAtomic, type SitePaths } from '@trustzone/trust';

export type SiteAuditLogOptions = Pick<AuditLogOptions, 'checkpointEvery' | 'checkpointMs' | 'maxFileBytes' | 'retainBytes' | 'onRetention' | 'service'>;

/** `<data>/audit/signers/`: every certificate that signed checkpoints of this site's trail. */
export const auditSignersDir = (paths: SitePaths): string => join(paths.audit, 'signers');

/**
 * Opens a site's audit log signed with the repository's current key (the repository, or the CLI when
 * the repository is down), after archiving that certificate in
 * `<data>/audit/signers/` (public data): checkpoints signed before a certificate rotation stay
 * verifiable, and `tz audit verify` trusts an archived signer only if it chains to the site CA with
 * the repository identity (and only for checkpoints from before its revocation). `setSigner`
 * archives the new certificate before the first checkpoint it signs.
 */
export async function openSiteAuditLog(paths: SitePaths, signer: { keyPem: string; certPem: string }, options: SiteAuditLogOptions = {}): Promise<AuditLog> {
  archiveSigner(paths, signer.certPem);
  const log = await openAuditLog({ dir: paths.audit, signer, ...options });
  return {
    ...log,
    setSigner(next) {
      archiveSigner(paths, next.certPem);
      log.setSigner(next);
    },
  };
}

function archiveSigner(paths: SitePaths, certPem: string): void {
  const dir = auditSignersDir(paths);
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const thumbprint = new X509Certificate(certPem).fingerprint256.replace(/:/g, '').toLowerCase();
  const file = join(dir, `${thumbprint}.pem`);
  if (!existsSync(file)) writeFileAtomic(file, certPem, 0o644);
}
