import type { VirtualProxyConfig } from '../virtual-proxy/virtual-proxy-config.schema';
import { assertNever, NONE } from './auth-result';
import type { AuthResult } from './auth-result';
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
 * The virtual proxy's one credential method (ticket, header or bearer JWT). `none` means "no
 * credential of this method here"; session-resolver.ts decides what follows (the session cookie,
 * anonymous access, or login needed).
 */
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
    case 'oidc':
    case 'saml':
      // No per-request credential: the browser logs in at the provider (idp/oidc-login.ts,
      // idp/saml-login.ts) and comes back with the session cookie.
      return NONE;
    default:
      return assertNever(method);
  }
}
