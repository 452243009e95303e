import { MAX_RETIREMENT_GRACE_SECONDS, readIssuedRegistry, RETIREMENT_GRACE_SECONDS, retireDueCertificates, sitePaths, type IssuedRecord } from '@trustzone/trust';
import { CliError, CliErrorCode } from '../../cli.error';
import { type CommandContext } from '../../command';
import { recordOperatorEvents } from '../../operator-audit';

export const GRACE_USAGE = [
  `  --grace S  seconds the replaced certificates stay valid (default ${RETIREMENT_GRACE_SECONDS}, 0..${MAX_RETIREMENT_GRACE_SECONDS}): every service`,
  '             switches within ~2 s; then they go on the CRL, and a key stolen before the rotation dies',
  '  --no-wait  return at once; the running repository (or the next tz certs command) revokes them when due',
];

export function parseGrace(value: string | undefined): number {
  if (value === undefined) return RETIREMENT_GRACE_SECONDS;
  const n = Number(value);
  if (!/^\d+$/.test(value) || n > MAX_RETIREMENT_GRACE_SECONDS) throw new CliError(CliErrorCode.Usage, `--grace must be a whole number of seconds (0-${MAX_RETIREMENT_GRACE_SECONDS}), got '${value}' (see 'tz help certs')`);
  return n;
}

/**
 * The last step of a rotation: wait until the grace period is over, then put the replaced
 * certificates on the CRL (and audit it). With --no-wait, or when interrupted, the schedule in
 * issued.json stays and the running repository or the next CRL write completes it.
 */
export async function retireAfterGrace(ctx: CommandContext, dataDir: string, retireAt: Date | undefined, noWait: boolean): Promise<void> {
  if (!retireAt) return;
  if (noWait) {
    ctx.out(`the replaced certificates are revoked at ${retireAt.toISOString()} by the running repository (or the next tz certs command)`);
    return;
  }
  const scheduled = scheduledBy(dataDir, retireAt);
  const wait = retireAt.getTime() - Date.now();
  if (wait > 0) {
    ctx.out(`waiting ${Math.ceil(wait / 1000)} s (grace period) before revoking the replaced certificates; Ctrl-C leaves that to the running repository`);
    await new Promise((r) => setTimeout(r, wait + 50));
  }
  const retired = await retireDueCertificates(dataDir);
  await reportRetired(ctx, dataDir, retired);
  // The running repository's sweep may have been first (it runs on a timer): say so, so the operator
  // is told every replaced certificate's fate whoever revoked it (that one audited it itself).
  const mine = new Set(retired.map((r) => r.serial));
  for (const r of readIssuedRegistry(sitePaths(dataDir).issued).certificates) {
    if (scheduled.has(r.serial) && !mine.has(r.serial) && r.revokedAt) ctx.out(`revoked ${r.name} ${r.serial} (replaced by a rotation; grace period over; by the running repository)`);
  }
}

/** Serials due for retirement by `retireAt` and not revoked yet. */
function scheduledBy(dataDir: string, retireAt: Date): Set<string> {
  const due = readIssuedRegistry(sitePaths(dataDir).issued).certificates.filter((r) => r.retireAt && !r.revokedAt && new Date(r.retireAt).getTime() <= retireAt.getTime());
  return new Set(due.map((r) => r.serial));
}

/** One line and one audit record per certificate a CRL write revoked because its grace period was over. */
export async function reportRetired(ctx: CommandContext, dataDir: string, retired: readonly IssuedRecord[]): Promise<void> {
  if (retired.length === 0) return;
  for (const r of retired) ctx.out(`revoked ${r.name} ${r.serial} (replaced by a rotation; grace period over)`);
  await recordOperatorEvents(ctx, dataDir, retired.map((r) => ({ action: 'certificate.revoke', outcome: 'success' as const, target: { type: 'Certificate', id: r.serial }, reason: 'replaced by a rotation; grace period over', details: { name: r.name, revokedAt: r.revokedAt } })));
}
