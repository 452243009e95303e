import type { VirtualProxyConfig } from '../virtual-proxy/virtual-proxy-config.schema';
import { NONE, assertNever } from './auth-result';
import type { AuthResult } from './auth-result';
import { anonymousUser } from './anonymous-user';
import { authenticateHeader } from './header-authenticator';
import { authenticateJwt } from './jwt-authenticator';
import type { RequestFacts } from './request-facts';
import { authenticateTicket } from './ticket-authenticator';
import type { TicketStore } from './ticket-store';

export interface AuthenticateDeps {
  tickets: TicketStore;
  nowMs?: () => number;
  clockSkewSeconds?: number;
}

/**
 * Credential authentication for a request that has no valid session (look the session cookie up
 * first). Runs the virtual proxy's one method, then applies anonymous access:
 *  - mode 2 (always): every visitor is a fresh anonymous user, credentials are not even read;
 *  - mode 1 (allowed): anonymous only when no credential at all was presented — a presented but bad
 *    credential stays rejected, so a failing login can never silently degrade to anonymous;
 *  - mode 0 (none): `none` means "log in" (401 / login page).
 */
export async function authenticate(facts: RequestFacts, config: VirtualProxyConfig, deps: AuthenticateDeps): Promise<AuthResult> {
  if (config.anonymousAccessMode === 2) return { kind: 'authenticated', user: anonymousUser(), via: 'anonymous' };
  const result = await authenticateCredential(facts, config, deps);
  if (result.kind !== 'none') return result;
  if (config.anonymousAccessMode === 1) return { kind: 'authenticated', user: anonymousUser(), via: 'anonymous' };
  return NONE;
}

/** The virtual proxy's own credential method only (no anonymous fallback). */
export async function authenticateCredential(facts: RequestFacts, config: VirtualProxyConfig, deps: AuthenticateDeps): Promise<AuthResult> {
  const method = config.authenticationMethod;
  switch (method) {
    case 'ticket':
      return authenticateTicket(facts, config, deps.tickets);
    case 'header-static':
    case 'header-dynamic':
      return authenticateHeader(facts, config);
    case 'jwt': {
      const nowMs = deps.nowMs?.();
      return authenticateJwt(facts, config, {
        ...(nowMs === undefined ? {} : { nowMs }),
        ...(deps.clockSkewSeconds === undefined ? {} : { clockSkewSeconds: deps.clockSkewSeconds }),
      });
    }
    default:
      return assertNever(method);
  }
}
