import { EngineService, HealthService, RepositoryService, TrustZoneClient, type EngineDefinition, type HealthDefinition, type RepositoryDefinition, type TlsSource } from '@trustzone/contracts';
import { identityAllowList } from '@trustzone/trust';

/** One long-lived mTLS channel per upstream service; the server certificate must carry that service's identity. */
export function createUpstreams(tls: TlsSource, addresses: { repository: string; engine: string }) {
  const expectRepository = identityAllowList(['repository']);
  const expectEngine = identityAllowList(['engine']);
  return {
    repository: new TrustZoneClient<RepositoryDefinition>(RepositoryService, { address: addresses.repository, tls, expect: expectRepository }),
    repositoryHealth: new TrustZoneClient<HealthDefinition>(HealthService, { address: addresses.repository, tls, expect: expectRepository }),
    engine: new TrustZoneClient<EngineDefinition>(EngineService, { address: addresses.engine, tls, expect: expectEngine }),
    engineHealth: new TrustZoneClient<HealthDefinition>(HealthService, { address: addresses.engine, tls, expect: expectEngine }),
  };
}

export type Upstreams = ReturnType<typeof createUpstreams>;

export function closeUpstreams(u: Upstreams): void {
  for (const c of Object.values(u)) c.close();
}
