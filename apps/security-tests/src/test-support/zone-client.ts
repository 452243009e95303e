import { readFileSync } from 'node:fs';
import { EngineService, RepositoryService, TrustZoneClient, trustZoneTls, type AssertedUser, type EngineDefinition, type RepositoryDefinition, type TlsSource } from '@trustzone/contracts';
import { identityAllowList, openTrustStore, sitePaths, type TrustStore } from '@trustzone/trust';
import type { RunningSite } from '@trustzone/site-harness';

/**
 * gRPC clients into a running site's trust zone. The server side is always checked for real (the
 * repository's or engine's identity); the client side presents whatever certificate the attack
 * chooses: one of the site's own (e.g. the engine's), or a crafted PEM pair.
 */
export interface ZoneClients {
  repository: TrustZoneClient<RepositoryDefinition>;
  engine: TrustZoneClient<EngineDefinition>;
  close(): void;
}

const stores: TrustStore[] = [];

/** The site's TLS source for one of its cert names (proxy, engine, repository, …). */
export function siteTls(site: RunningSite, name: string): TlsSource {
  const store = openTrustStore({ certsDir: sitePaths(site.dataDir).certs, name, pollMs: 500 });
  stores.push(store);
  return trustZoneTls(store);
}

/** Presents `cert`/`key` (any CA) while trusting the site CA for the server, as an attacker would. */
export function craftedTls(base: TlsSource, cert: string, key: string): TlsSource {
  return { ...base, current: () => ({ ...base.current(), cert, key }) };
}

export function zoneClients(site: RunningSite, tls: TlsSource): ZoneClients {
  const repository = new TrustZoneClient<RepositoryDefinition>(RepositoryService, { address: `localhost:${site.ports.repository}`, tls, expect: identityAllowList(['repository']) });
  const engine = new TrustZoneClient<EngineDefinition>(EngineService, { address: `localhost:${site.ports.engine}`, tls, expect: identityAllowList(['engine']) });
  return { repository, engine, close: () => (repository.close(), engine.close()) };
}

export function closeZoneStores(): void {
  for (const s of stores.splice(0)) s.close();
}

export function assertedUser(user: string, context: AssertedUser['context'] = 'management'): AssertedUser {
  const [userDirectory, userId] = user.split('\\') as [string, string];
  return { userDirectory, userId, context, attributes: {}, anonymous: false, ip: '127.0.0.1', secure: true };
}

export function siteCertPem(site: RunningSite, name: string): string {
  return readFileSync(sitePaths(site.dataDir).cert(name), 'utf8');
}
