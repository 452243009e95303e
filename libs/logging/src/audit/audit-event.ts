import { LoggingError, LoggingErrorCode } from '../logging.error';
import { redact } from '../redaction/redact';
import { redactString } from '../redaction/value-redactor';
import type { AuditEvent } from './audit-record';
import { auditEventSchema } from './audit-record';

/** Validates and redacts an event: secrets never enter the audit trail either (trust-zone.md). */
export function prepareEvent(input: AuditEvent): AuditEvent {
  const parsed = auditEventSchema.safeParse(input);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new LoggingError(LoggingErrorCode.InvalidEvent, `audit event ${issue?.path.join('.') || '(root)'}: ${issue?.message ?? 'invalid'}`);
  }
  const e = parsed.data;
  return {
    actor: e.actor,
    action: e.action,
    ...(e.target ? { target: e.target } : {}),
    outcome: e.outcome,
    ...(e.reason !== undefined ? { reason: redactString(e.reason) } : {}),
    ...(e.details !== undefined ? { details: redact(e.details) as Record<string, unknown> } : {}),
  };
}
