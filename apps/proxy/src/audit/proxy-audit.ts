import type { Upstreams } from '../upstreams';

export interface ProxyAuditEvent {
  action: string;
  outcome: 'success' | 'failure' | 'denied' | 'error';
  /** DIRECTORY\userid when known. */
  user?: string;
  targetType?: string;
  targetId?: string;
  reason?: string;
  details?: Record<string, unknown>;
}

/** Where proxy audit events go; resolves once the record is durable. */
export interface AuditSink {
  record(e: ProxyAuditEvent): Promise<void>;
}

/**
 * Proxy events (logins, tickets, sessions, ignored identity headers) go to the repository's
 * tamper-evident audit log. `record` resolves once the repository has flushed the record, so callers
 * acknowledge an action only after its audit record is durable (and fail it otherwise).
 */
export class ProxyAudit implements AuditSink {
  constructor(
    private readonly upstreams: Upstreams,
    private readonly deadlineMs: number,
  ) {}

  async record(e: ProxyAuditEvent): Promise<void> {
    await this.upstreams.repository.unary('RecordAudit', auditMessage(e), { deadlineMs: this.deadlineMs });
  }
}

/** The wire form of an event (RecordAudit, or the `audit` a RecordLogin carries along). */
export function auditMessage(e: ProxyAuditEvent) {
  return {
    action: e.action,
    outcome: e.outcome,
    user: e.user ?? '',
    targetType: e.targetType ?? '',
    targetId: e.targetId ?? '',
    reason: e.reason ?? '',
    detailsJson: e.details ? JSON.stringify(e.details) : '',
  };
}
