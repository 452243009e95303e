import { createHash } from 'node:crypto';
import * as oidc from 'openid-client';
import type { VirtualProxyConfig } from '../virtual-proxy/virtual-proxy-config.schema';
import { providerFetch } from './provider-fetch';

/**
 * One openid-client Configuration per OIDC virtual proxy setting, made from the provider's
 * discovery document and kept: the library keeps the provider's JWKS with it (re-read after five
 * minutes, and at once — at most once a minute — when a token names a key it has not seen, which is
 * how a key rotation is picked up). The discovery document itself is re-read hourly, and after a
 * failure the next login tries again rather than reusing the error.
 */
export type OidcSettings = Pick<VirtualProxyConfig, 'oidcConfigurationEndpointUri' | 'oidcClientId' | 'oidcClientSecret'>;

export interface OidcClientsOptions {
  /** Seconds of clock difference tolerated on `iat`/`exp`/`nbf` (openid-client's clockTolerance). */
  clockToleranceSeconds?: number;
  /** Seconds any call to the provider may take. */
  timeoutSeconds?: number;
  discoveryTtlMs?: number;
  now?: () => number;
}

const MAX_CLIENTS = 256;

export class OidcClients {
  private readonly cache = new Map<string, { at: number; config: Promise<oidc.Configuration> }>();
  // Every call to every provider (discovery, JWKS, token, userinfo): kept-alive, size-bounded.
  private readonly fetch = providerFetch();

  constructor(private readonly o: OidcClientsOptions = {}) {}

  get(s: OidcSettings): Promise<oidc.Configuration> {
    const { oidcConfigurationEndpointUri: uri, oidcClientId: clientId, oidcClientSecret: secret } = s;
    if (!uri || !clientId || !secret) return Promise.reject(new Error('virtual proxy has no complete OIDC configuration'));
    // The secret is part of the key (hashed: keys are not secret) so a changed secret is used at once.
    const key = `${uri}\u0000${clientId}\u0000${createHash('sha256').update(secret).digest('base64url')}`;
    const now = (this.o.now ?? Date.now)();
    const hit = this.cache.get(key);
    if (hit && now - hit.at < (this.o.discoveryTtlMs ?? 3_600_000)) return hit.config;
    if (this.cache.size >= MAX_CLIENTS) this.cache.clear();
    const config = this.discover(new URL(uri), clientId, secret);
    this.cache.set(key, { at: now, config });
    config.catch(() => {
      if (this.cache.get(key)?.config === config) this.cache.delete(key);
    });
    return config;
  }

  private async discover(url: URL, clientId: string, secret: string): Promise<oidc.Configuration> {
    const metadata: Partial<oidc.ClientMetadata> = { client_secret: secret, [oidc.clockTolerance]: this.o.clockToleranceSeconds ?? 30 };
    // ID-token signatures are checked against the provider's JWKS (enableNonRepudiationChecks):
    // OIDC Core §3.1.3.7 lets a client lean on TLS to the token endpoint instead, and openid-client
    // does by default, but a token we cannot tie to the provider's key is not one we take — and a
    // rotated-out key must stop working. oidc-settings.ts admits http only for a loopback provider.
    const execute = [oidc.enableNonRepudiationChecks, ...(url.protocol === 'http:' ? [oidc.allowInsecureRequests] : [])];
    const config = await oidc.discovery(url, clientId, metadata, oidc.ClientSecretPost(secret), { timeout: this.o.timeoutSeconds ?? 10, execute, [oidc.customFetch]: this.fetch });
    config.timeout = this.o.timeoutSeconds ?? 10;
    return config;
  }
}
