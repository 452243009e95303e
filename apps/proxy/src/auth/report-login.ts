import { auditMessage, type ProxyAuditEvent } from '../audit/proxy-audit';
import type { ProxyDeps } from '../client/proxy-deps';
import { assertedUser } from '../client/asserted-user';
import type { Session } from '../session/session.types';

/** The login methods whose attributes the repository keeps apart (its attribute sources). */
export type LoginMethod = 'ticket' | 'session' | 'header' | 'jwt' | 'oidc' | 'saml';

/**
 * Tells the repository that a named user logged in, with the login's attributes: it persists them
 * onto the user (replacing that method's previous ones), so the user's Group attributes — what
 * `user.group` rules and section-access GROUP rows both read — include the login's groups. Fails
 * closed: if the repository cannot record it, the new session is ended and the login fails, rather
 * than letting a session run on groups the repository never saw. With `audit`, that record is
 * written in the same call (after the attributes); an anonymous session has no login to report,
 * so its record goes on its own.
 */
export async function reportLogin(deps: Pick<ProxyDeps, 'upstreams' | 'deadlineMs' | 'sessions' | 'audit'>, session: Session, method: LoginMethod, ip: string, audit?: ProxyAuditEvent): Promise<void> {
  if (session.anonymous) {
    if (audit) await deps.audit.record(audit);
    return;
  }
  const attributes = Object.entries(session.attributes).flatMap(([type, values]) => values.map((value) => ({ type, value })));
  try {
    // `audit` (the login's own record) rides along: a gRPC call to the repository is a large share
    // of a login's proxy CPU, and the repository writes it as durably as RecordAudit would.
    await deps.upstreams.repository.unary('RecordLogin', { method, attributes, ...(audit ? { audit: auditMessage(audit) } : {}) }, { deadlineMs: deps.deadlineMs, user: assertedUser(session, 'hub', ip) });
  } catch (e) {
    await deps.sessions.delete(session.id).catch(() => false);
    throw e;
  }
}
