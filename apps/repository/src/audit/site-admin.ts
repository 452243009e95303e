import { z } from 'zod';
import { verifyAuditLog } from '@trustzone/logging';
import { trustedAuditSigners } from '@trustzone/service-host';
import { certsStatus, sitePaths } from '@trustzone/trust';
import { AUDIT_LOG_RESOURCE, CERTIFICATES_RESOURCE } from '../entities/qrs-types';
import { parseWith } from '../rpc/json-body';
import type { RequestAccess } from '../security/request-access';
import { callActor, type RepositoryAudit } from './repository-audit';

/**
 * The site's certificates as the console shows them: each service, CA and integration certificate
 * with subject, identity, serial, validity, days left, SHA-256 fingerprint and revocation. Built from
 * the public certificates and issued.json only — certsStatus never opens a private key. Read on the
 * Certificate resource (RootAdmin's and AuditAdmin's `*` rules).
 */
export async function siteCertificates(dataDir: string, access: RequestAccess): Promise<string> {
  await access.require(CERTIFICATES_RESOURCE, 'read');
  const s = certsStatus(dataDir);
  return JSON.stringify({
    siteId: s.siteId,
    siteName: s.siteName,
    crlNextUpdate: s.crlNextUpdate?.toISOString() ?? null,
    ...(s.crlWarning ? { crlWarning: s.crlWarning } : {}),
    ...(s.layoutWarning ? { layoutWarning: s.layoutWarning } : {}),
    certificates: s.certificates.map((c) => ({
      name: c.name, kind: c.kind, subject: c.subject, identity: c.identity, serial: c.serial, fingerprint: c.fingerprint,
      notBefore: c.notBefore.toISOString(), notAfter: c.notAfter.toISOString(), daysLeft: c.daysLeft, revoked: c.revoked, current: c.current,
      ...(c.retireAt ? { retireAt: c.retireAt.toISOString() } : {}), ...(c.warning ? { warning: c.warning } : {}),
    })),
  });
}

const verifySchema = z.strictObject({
  from: z.string().max(64).refine((s) => !Number.isNaN(new Date(s).getTime()), 'must be an ISO date').optional(),
});

/**
 * `tz audit verify` from the console: the same verifier over the same files with the same trusted
 * signers, answering ok (records, checkpoints, the unsigned tail) or the first bad record (seq, file,
 * line, what is wrong). Read on the AuditLog resource, like reading the trail; the check is audited
 * with its outcome.
 */
export async function verifyAuditChain(dataDir: string, audit: RepositoryAudit, body: unknown, access: RequestAccess): Promise<string> {
  await access.require(AUDIT_LOG_RESOURCE, 'read');
  const f = parseWith(verifySchema, body);
  const paths = sitePaths(dataDir);
  const started = Date.now();
  const r = await verifyAuditLog({ dir: paths.audit, trustedCertPem: trustedAuditSigners(paths), ...(f.from ? { from: new Date(f.from) } : {}) });
  const durationMs = Date.now() - started;
  await audit.record({
    actor: callActor(access.ctx), action: 'audit.verify', outcome: 'success',
    details: r.ok ? { result: 'ok', records: r.records, checkpoints: r.checkpoints } : { result: 'broken', seq: r.seq, problem: r.problem },
  });
  return JSON.stringify({ ...r, durationMs });
}
