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
 * than letting a session run on groups the repository never saw.
 */
export async function reportLogin(deps: Pick<ProxyDeps, 'upstreams' | 'deadlineMs' | 'sessions'>, session: Session, method: LoginMethod, ip: string): Promise<void> {
  if (session.anonymous) return;
  const attributes = Object.entries(session.attributes).flatMap(([type, values]) => values.map((value) => ({ type, value })));
  try {
    await deps.upstreams.repository.unary('RecordLogin', { method, attributes }, { deadlineMs: deps.deadlineMs, user: assertedUser(session, 'hub', ip) });
  } catch (e) {
    await deps.sessions.delete(session.id).catch(() => false);
    throw e;
  }
}
