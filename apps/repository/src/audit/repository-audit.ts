import { ErrorCode, isOutOfSpace, ServiceError, storageFull, type AssertedUser, type CallContext, type PeerIdentity, type RefusedCall } from '@trustzone/contracts';
import { LoggingError, LoggingErrorCode, type AuditActor, type AuditEvent, type AuditLog, type AuditService, type Logger } from '@trustzone/logging';
import { CLI_INTEGRATION_NAME } from '@trustzone/trust';

// The audit record format refuses control characters in identities outright; identities from the
// proxy may still carry C1 controls or line separators, which are shown as U+FFFD instead.
const NOT_PRINTABLE = /[\u0000-\u001f\u007f-\u009f\u2028\u2029]/g;
export const printable = (s: string) => s.replace(NOT_PRINTABLE, '\uFFFD');

/** `DIRECTORY\userid` as the audit trail records users. */
export function auditUser(u: Pick<AssertedUser, 'userDirectory' | 'userId'>): string {
  return `${printable(u.userDirectory)}\\${printable(u.userId)}`;
}

export function auditService(caller: PeerIdentity): AuditService | undefined {
  if (caller.kind === 'service') return caller.service;
  return caller.name === CLI_INTEGRATION_NAME ? 'cli' : undefined;
}

/** Who acted in a call: the asserted user and the calling service. */
export function callActor(ctx: Pick<CallContext, 'caller' | 'user'>): AuditActor {
  const service = auditService(ctx.caller);
  const actor: AuditActor = { ...(ctx.user ? { user: auditUser(ctx.user) } : {}), ...(service ? { service } : {}) };
  return actor.user === undefined && actor.service === undefined ? { service: 'repository' } : actor;
}

/**
 * The repository's side of the tamper-evident audit trail. `record` resolves only once the record
 * is durable; when it cannot be written the action it describes fails (trust-zone.md: the caller
 * acknowledges an action only after its record is flushed).
 */
export class RepositoryAudit {
  private lastWriteFailed = false;

  constructor(
    private readonly log: AuditLog,
    private readonly logger: Logger,
  ) {}

  async record(event: AuditEvent): Promise<void> {
    try {
      await this.log.append(event);
      this.lastWriteFailed = false;
    } catch (e) {
      if (e instanceof LoggingError && e.code === LoggingErrorCode.InvalidEvent) {
        throw new ServiceError(ErrorCode.InvalidArgument, `audit event rejected: ${e.message}`, { cause: e });
      }
      this.lastWriteFailed = true;
      this.logger.error('audit write failed; refusing the action', { action: event.action, error: e instanceof Error ? e.message : String(e) });
      if (isOutOfSpace(e)) throw storageFull('repository', e);
      throw new ServiceError(ErrorCode.Unavailable, 'the audit trail is unavailable; the action was not performed', { cause: e });
    }
  }

  /** A call refused by the caller-identity guard (it never reached a handler). Best effort: the call already failed. */
  refused(r: RefusedCall): void {
    const event: AuditEvent = {
      actor: { service: 'repository' },
      action: 'call.refused',
      outcome: 'denied',
      reason: r.reason.slice(0, 2000),
      details: { method: r.method, caller: r.caller, assertedUser: r.assertedUser },
    };
    this.log.append(event).catch((e: unknown) => this.logger.error('audit write failed for a refused call', { method: r.method, error: e instanceof Error ? e.message : String(e) }));
  }

  /** For Health: 'ok', or 'failing' while the last write failed. */
  get status(): string {
    return this.lastWriteFailed ? 'failing' : 'ok';
  }

  close(): Promise<void> {
    return this.log.close();
  }
}
