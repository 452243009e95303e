import type { SessionCore } from './method-table';
import type { QixAuditEvent } from './qix-session.types';

/**
 * Record an audit event. A failing audit sink must not take the session down or change the answer
 * already decided (a denial stays a denial); the failure goes to the internal-error hook.
 */
export async function emitAudit(core: SessionCore, event: QixAuditEvent): Promise<void> {
  if (core.deps.audit === undefined) return;
  try {
    await core.deps.audit(event);
  } catch (err) {
    reportInternal(core, err, 'audit');
  }
}

export function reportInternal(core: SessionCore, err: unknown, context: string): void {
  try {
    core.deps.onInternalError?.(err, context);
  } catch {
    // The log hook itself failed; there is nowhere left to report to.
  }
}
