import { z } from 'zod';
import type { CallContext } from '@trustzone/contracts';
import { AUDIT_OUTCOMES, type AuditEvent } from '@trustzone/logging';
import { invalid } from '../errors/service-errors';
import { parseJsonText, parseWith } from '../rpc/json-body';
import { auditService, auditUser, printable, type RepositoryAudit } from './repository-audit';

export interface AuditEventIn {
  action: string;
  outcome: string;
  targetType: string;
  targetId: string;
  reason: string;
  detailsJson: string;
  user: string;
}

const MAX_DETAILS_BYTES = 16 * 1024;
const details = z.record(z.string(), z.unknown());

/**
 * An event from the proxy or the engine (logins, tickets, sessions, app opens) into the
 * repository's trail. The calling service is taken from its certificate, never from the message;
 * the user is the asserted one, or the event's own (`DIRECTORY\userid`) when none is asserted.
 * Resolves only after the record is durable: the caller acknowledges its action only then.
 */
export async function recordAuditEvent(audit: RepositoryAudit, e: AuditEventIn, ctx: CallContext): Promise<void> {
  const service = auditService(ctx.caller);
  if (!service) throw invalid('caller', 'only trust-zone services record audit events');
  if (!(AUDIT_OUTCOMES as readonly string[]).includes(e.outcome)) throw invalid('outcome', `must be one of ${AUDIT_OUTCOMES.join(', ')}`);
  const user = ctx.user ? auditUser(ctx.user) : printable(e.user.trim());
  if (user !== '' && !/^[^\\]+\\.+$/.test(user)) throw invalid('user', 'must be DIRECTORY\\userid');
  if ((e.targetType === '') !== (e.targetId === '')) throw invalid(e.targetType === '' ? 'targetType' : 'targetId', 'targetType and targetId go together');
  const event: AuditEvent = {
    actor: { service, ...(user ? { user } : {}) },
    action: e.action,
    outcome: e.outcome as AuditEvent['outcome'],
    ...(e.targetType ? { target: { type: e.targetType, id: e.targetId } } : {}),
    ...(e.reason ? { reason: e.reason } : {}),
    ...(e.detailsJson ? { details: parseWith(details, parseJsonText(e.detailsJson, 'detailsJson', MAX_DETAILS_BYTES), 'detailsJson') } : {}),
  };
  await audit.record(event);
}
