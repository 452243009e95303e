import { retireDueCertificates, TrustError, TrustErrorCode } from '@trustzone/trust';
import type { Logger } from '@trustzone/logging';
import type { RepositoryAudit } from '../audit/repository-audit';

export interface RetirementSweep {
  /** One pass now (also what the timer runs); resolves with the serials it revoked. */
  run(): Promise<string[]>;
  stop(): void;
}

/**
 * Completes certificate rotations: `tz certs rotate` schedules the replaced certificates for
 * revocation after a grace period and revokes them itself when it waits that long, but an operator
 * may interrupt it or pass --no-wait. The repository holds the site CA key (it is the CA, as in
 * Qlik), so it finishes the job within seconds of the grace period's end and audits it. A
 * deployment that keeps the CA key away from the repository gets one warning and the CLI's path.
 */
export function startRetirementSweep(o: { dataDir: string; intervalMs: number; audit: RepositoryAudit; logger: Logger }): RetirementSweep {
  let lastProblem = '';
  let running: Promise<string[]> | undefined;
  const pass = async (): Promise<string[]> => {
    try {
      const retired = await retireDueCertificates(o.dataDir);
      for (const r of retired) {
        o.logger.info('certificate retired after rotation', { name: r.name, serial: r.serial, revokedAt: r.revokedAt });
        await o.audit.record({ actor: { service: 'repository' }, action: 'certificate.revoke', outcome: 'success', target: { type: 'Certificate', id: r.serial }, reason: 'replaced by a rotation; grace period over', details: { name: r.name, revokedAt: r.revokedAt } });
      }
      lastProblem = '';
      return retired.map((r) => r.serial);
    } catch (e) {
      // Another tz command holding the site lock is normal: the next pass retries.
      const busy = e instanceof TrustError && e.code === TrustErrorCode.SiteLocked;
      const problem = e instanceof Error ? e.message : String(e);
      if (!busy && problem !== lastProblem) o.logger.warn('could not revoke certificates whose rotation grace period is over; tz certs refresh-crl does it', { error: problem });
      lastProblem = busy ? lastProblem : problem;
      return [];
    }
  };
  const run = (): Promise<string[]> => (running ??= pass().finally(() => (running = undefined)));
  const timer = o.intervalMs > 0 ? setInterval(() => void run(), o.intervalMs) : undefined;
  timer?.unref();
  return { run, stop: () => clearInterval(timer) };
}
