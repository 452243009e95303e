import { OidcClients, type OidcClientsOptions } from './oidc-clients';
import { SeenLogoutTokens } from './logout-token-cache';
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
  /** OIDC back-channel logout tokens already used (`iss` + `jti`), until they are too old to be taken. */
  seenLogoutTokens: SeenLogoutTokens;
  /** SAML: service providers per setting, logins in flight, assertion ids used, and what logout names. */
  saml: SamlProviders;
  samlPending: PendingLogins<SamlLogin>;
  samlSeen: SeenAssertions;
  samlLogoutRefs: SamlLogoutRefs;
  /** LogoutRequest ids (with the IdP's entity id) already taken, until they are too old to be taken. */
  samlSeenLogouts: SeenAssertions;
}

export function createIdpRuntime(o: { oidc?: OidcClientsOptions; saml?: SamlProvidersOptions; pending?: PendingLoginsOptions } = {}): IdpRuntime {
  return {
    clients: new OidcClients(o.oidc),
    pending: new PendingLogins(o.pending),
    logoutHints: new LogoutHints(),
    seenLogoutTokens: new SeenLogoutTokens(),
    saml: new SamlProviders(o.saml),
    samlPending: new PendingLogins<SamlLogin>(o.pending),
    samlSeen: new SeenAssertions(),
    samlLogoutRefs: new SamlLogoutRefs(),
    samlSeenLogouts: new SeenAssertions(),
  };
}

/** What an OIDC session keeps from its login: the ID token (logout hint) and who the provider says it is. */
export interface OidcSessionRef {
  prefix: string;
  idToken: string;
  /** The provider's session id (`sid` claim), when the provider sends one. */
  sid?: string;
  sub: string;
}

/**
 * Session id → what its OIDC login said, bounded (oldest dropped: that session's logout then goes
 * without a hint, and provider-initiated logout no longer finds it — it still ends by timeout).
 * Provider-initiated logout (back- and front-channel) looks sessions up by `sid` or `sub`: a scan,
 * not an index, because it runs only on a verified logout and the map is bounded.
 */
export class LogoutHints {
  private readonly hints = new Map<string, OidcSessionRef>();

  constructor(private readonly max = 50_000) {}

  set(sessionId: string, ref: OidcSessionRef): void {
    if (this.hints.size >= this.max) {
      const oldest = this.hints.keys().next().value;
      if (oldest !== undefined) this.hints.delete(oldest);
    }
    this.hints.set(sessionId, ref);
  }

  get(sessionId: string): OidcSessionRef | undefined {
    return this.hints.get(sessionId);
  }

  take(sessionId: string): string | undefined {
    const hint = this.hints.get(sessionId);
    this.hints.delete(sessionId);
    return hint?.idToken;
  }

  /** Sessions of this virtual proxy whose login named this provider session (`sid`) or, without one, this user (`sub`). */
  find(prefix: string, by: { sid?: string | undefined; sub?: string | undefined }): string[] {
    const out: string[] = [];
    for (const [id, ref] of this.hints) {
      if (ref.prefix !== prefix) continue;
      if (by.sid !== undefined ? ref.sid === by.sid && (by.sub === undefined || ref.sub === by.sub) : ref.sub === by.sub) out.push(id);
    }
    return out;
  }
}
