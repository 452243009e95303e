import { OidcClients, type OidcClientsOptions } from './oidc-clients';
import { PendingLogins, type PendingLoginsOptions } from './pending-logins';
import { SamlLogoutRefs, SeenAssertions } from './saml-caches';
import type { SamlLogin } from './saml-login';
import { SamlProviders, type SamlProvidersOptions } from './saml-providers';

/**
 * What identity-provider logins keep between requests, per proxy process: provider clients (with
 * their JWKS), logins in flight, and the ID token each OIDC session needs for RP-initiated logout
 * (`id_token_hint`, OpenID Connect RP-Initiated Logout 1.0 §2). All bounded. With several proxies
 * behind a balancer the IdP's answer must reach the proxy that started the login (sticky sessions).
 */
export interface IdpRuntime {
  clients: OidcClients;
  pending: PendingLogins;
  logoutHints: LogoutHints;
  /** SAML: service providers per setting, logins in flight, assertion ids used, and what logout names. */
  saml: SamlProviders;
  samlPending: PendingLogins<SamlLogin>;
  samlSeen: SeenAssertions;
  samlLogoutRefs: SamlLogoutRefs;
}

export function createIdpRuntime(o: { oidc?: OidcClientsOptions; saml?: SamlProvidersOptions; pending?: PendingLoginsOptions } = {}): IdpRuntime {
  return {
    clients: new OidcClients(o.oidc),
    pending: new PendingLogins(o.pending),
    logoutHints: new LogoutHints(),
    saml: new SamlProviders(o.saml),
    samlPending: new PendingLogins<SamlLogin>(o.pending),
    samlSeen: new SeenAssertions(),
    samlLogoutRefs: new SamlLogoutRefs(),
  };
}

/** Session id → ID token, bounded (oldest dropped: that session's logout then goes without a hint). */
export class LogoutHints {
  private readonly hints = new Map<string, string>();

  constructor(private readonly max = 50_000) {}

  set(sessionId: string, idToken: string): void {
    if (this.hints.size >= this.max) {
      const oldest = this.hints.keys().next().value;
      if (oldest !== undefined) this.hints.delete(oldest);
    }
    this.hints.set(sessionId, idToken);
  }

  take(sessionId: string): string | undefined {
    const hint = this.hints.get(sessionId);
    this.hints.delete(sessionId);
    return hint;
  }
}
