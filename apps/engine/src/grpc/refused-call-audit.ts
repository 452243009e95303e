import type { RefusedCall, RepositoryDefinition, TrustZoneClient } from '@trustzone/contracts';
import type { Logger } from '@trustzone/logging';

/** Refusals recorded per second at most: a caller hammering the engine must not flood the trail. */
const MAX_PER_SECOND = 20;

/**
 * Calls the caller-identity guard refused (a wrong identity, or one asserting an end user it may
 * not assert) go to the repository's audit trail as `call.refused` (proxy-and-repository-api.md:
 * "anything else asserting a user is refused and audited"). Best effort, as the call already
 * failed; beyond MAX_PER_SECOND the next record says how many were left out.
 */
export function refusedCallAuditor(repository: TrustZoneClient<RepositoryDefinition>, logger: Logger, deadlineMs: number): (r: RefusedCall) => void {
  let window = 0;
  let inWindow = 0;
  let suppressed = 0;
  return (r) => {
    const second = Math.floor(Date.now() / 1000);
    if (second !== window) {
      window = second;
      inWindow = 0;
    }
    if (++inWindow > MAX_PER_SECOND) {
      suppressed++;
      return;
    }
    const details = { method: r.method, caller: r.caller, assertedUser: r.assertedUser, ...(suppressed > 0 ? { suppressedBefore: suppressed } : {}) };
    suppressed = 0;
    repository
      .unary('RecordAudit', { action: 'call.refused', outcome: 'denied', user: '', targetType: '', targetId: '', reason: r.reason.slice(0, 2000), detailsJson: JSON.stringify(details) }, { deadlineMs })
      .catch((e: unknown) => logger.warn('audit of a refused call failed', { method: r.method, error: e instanceof Error ? e.message : String(e) }));
  };
}
