import { z } from 'zod';
import { ErrorCode, ServiceError } from '@trustzone/contracts';
import { certsStatus, MAX_RETIREMENT_GRACE_SECONDS, normalizeSerial, RETIREMENT_GRACE_SECONDS, revokeCert, rotateServiceCert, TrustError, TrustErrorCode, type IssuedRecord } from '@trustzone/trust';
import { CERTIFICATES_RESOURCE } from '../entities/qrs-types';
import { precondition } from '../errors/service-errors';
import { parseWith } from '../rpc/json-body';
import type { RequestAccess } from '../security/request-access';
import { callActor, type RepositoryAudit } from './repository-audit';

/**
 * The console's certificate actions (trustzone's own; Qlik's QMC only exports certificates). They run
 * in the repository because it is the service that holds the site CA key (it already revokes
 * certificates whose rotation grace period is over); the proxy never sees it. Both need Update on the
 * Certificate resource (RootAdmin's `*` rule; AuditAdmin only reads) and a confirmation naming exactly
 * what the admin saw, so a stale page cannot act on a certificate it did not show.
 */

const SERIAL = /^[0-9A-F]{1,80}$/;
/** SHA-256 as X509Certificate.fingerprint256 prints it (what the inventory shows). */
const FINGERPRINT = /^([0-9A-F]{2}:){31}[0-9A-F]{2}$/;

export const revokeSchema = z.strictObject({
  // The registry's one spelling (whole bytes, no leading zero byte): '01AB' must stay '01AB'.
  serial: z.string().max(120).refine((s) => SERIAL.test(s.replace(/:/g, '').toUpperCase()), 'must be a certificate serial (hex)').transform((s) => normalizeSerial(s)),
  /** The confirmation: the certificate's name as the page showed it; must belong to that serial. */
  name: z.string().min(1).max(64),
});

const rotateSchema = z.strictObject({
  name: z.enum(['proxy', 'repository', 'engine']),
  /** The confirmation: the SHA-256 fingerprint of the certificate the service presents now. */
  fingerprint: z.string().max(120).transform((s) => s.toUpperCase()).refine((s) => FINGERPRINT.test(s), 'must be a SHA-256 fingerprint (AA:BB:…)'),
  graceSeconds: z.number().int().min(0).max(MAX_RETIREMENT_GRACE_SECONDS).optional(),
});

/**
 * Puts one exported integration certificate on the site CRL: every listener (the proxy's API port
 * first) refuses it within seconds. Only integration certificates that no service presents — the
 * CLI's own is replaced by `tz certs rotate cli`, service certificates by rotation.
 */
export async function revokeSiteCertificate(dataDir: string, audit: RepositoryAudit, body: unknown, access: RequestAccess): Promise<string> {
  // Rule first: a caller without Update learns nothing, not even which bodies would be valid.
  await access.require(CERTIFICATES_RESOURCE, 'update', undefined, { certificateAction: 'revoke' });
  const f = parseWith(revokeSchema, body);
  const shown = certsStatus(dataDir).certificates.filter((c) => c.serial === f.serial);
  const cert = shown[0];
  if (!cert || cert.name !== f.name) throw conflict('name', `no certificate '${f.name}' with serial ${f.serial}: reload the list`);
  if (cert.kind !== 'integration' || cert.current) throw precondition(`'${cert.name}' is not an exported integration certificate: rotate it instead`, 'serial');
  if (cert.revoked) throw conflict('serial', `'${cert.name}' ${cert.serial} is already revoked: reload the list`);
  // revokeCert reads a target as a name before a serial; a name equal to this serial would widen it.
  const r = await trust(() => revokeCert(dataDir, f.serial));
  if (r.revoked.length !== 1 || r.revoked[0]?.serial !== f.serial) throw precondition('the certificate registry did not revoke exactly this certificate; see tz certs status', 'serial');
  const actor = callActor(access.ctx);
  await audit.record({ actor, action: 'certificate.revoke', outcome: 'success', target: { type: 'Certificate', id: f.serial }, details: { name: cert.name, via: 'console' } });
  await recordRetired(audit, actor, r.retired);
  return JSON.stringify({ revoked: { name: cert.name, serial: f.serial, revokedAt: r.revoked[0].revokedAt } });
}

/**
 * `tz certs rotate <service>` from the console: a fresh key and certificate swapped in atomically; the
 * running service picks them up without a restart and the replaced one goes on the CRL after the
 * grace period (this repository's retirement timer does it). The fingerprint check and the rotation
 * are two steps: a `tz certs rotate` landing between them is not detected (the site lock is taken by
 * the rotation itself), which at worst rotates a certificate that was just rotated — never another one.
 */
export async function rotateSiteCertificate(dataDir: string, audit: RepositoryAudit, body: unknown, access: RequestAccess): Promise<string> {
  await access.require(CERTIFICATES_RESOURCE, 'update', undefined, { certificateAction: 'rotate' });
  const f = parseWith(rotateSchema, body);
  const current = certsStatus(dataDir).certificates.find((c) => c.current && c.kind === 'service' && c.name === f.name);
  if (!current || current.fingerprint !== f.fingerprint) throw conflict('fingerprint', `the ${f.name} certificate is no longer the one with this fingerprint: reload the list`);
  const r = await trust(() => rotateServiceCert(dataDir, f.name, { graceSeconds: f.graceSeconds ?? RETIREMENT_GRACE_SECONDS }));
  const actor = callActor(access.ctx);
  await audit.record({
    actor, action: 'certificate.issue', outcome: 'success', target: { type: 'Certificate', id: r.serial },
    details: { name: r.name, via: 'console', replaces: r.previousSerial ?? null, notAfter: r.notAfter.toISOString(), retiring: r.retiring, retireAt: r.retireAt?.toISOString() ?? null },
  });
  await recordRetired(audit, actor, r.retired);
  const now = certsStatus(dataDir).certificates.find((c) => c.current && c.name === f.name);
  return JSON.stringify({ rotated: { name: r.name, serial: r.serial, previousSerial: r.previousSerial ?? null, fingerprint: now?.fingerprint ?? null, notAfter: r.notAfter.toISOString(), retiring: r.retiring, retireAt: r.retireAt?.toISOString() ?? null } });
}

function conflict(field: string, message: string): ServiceError {
  return new ServiceError(ErrorCode.Conflict, `${field}: ${message}`, { field });
}

async function recordRetired(audit: RepositoryAudit, actor: ReturnType<typeof callActor>, retired: readonly IssuedRecord[]): Promise<void> {
  for (const x of retired) {
    await audit.record({ actor, action: 'certificate.revoke', outcome: 'success', target: { type: 'Certificate', id: x.serial }, reason: 'replaced by a rotation; grace period over', details: { name: x.name } });
  }
}

/** Trust errors carry file paths: the caller gets the code's meaning, not the site's layout. */
async function trust<T>(op: () => Promise<T>): Promise<T> {
  try {
    return await op();
  } catch (e) {
    if (!(e instanceof TrustError)) throw e;
    if (e.code === TrustErrorCode.SiteLocked) throw new ServiceError(ErrorCode.Conflict, 'another certificate operation holds the site lock: retry in a moment');
    throw precondition(`the certificate operation failed (${e.code}); see tz certs status`);
  }
}
