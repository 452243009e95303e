import { HealthService, RepositoryService, TrustZoneClient, type HealthDefinition, type RepositoryDefinition, type TlsSource } from '@trustzone/contracts';
import { identityAllowList } from '@trustzone/trust';
import { EnginePool } from './engine-pool';

/** One long-lived mTLS channel to the repository; a pool of engines (scale-out). */
export function createUpstreams(tls: TlsSource, addresses: { repository: string; engines: readonly string[] }) {
  const expectRepository = identityAllowList(['repository']);
  return {
    repository: new TrustZoneClient<RepositoryDefinition>(RepositoryService, { address: addresses.repository, tls, expect: expectRepository, waitForReady: true }),
    repositoryHealth: new TrustZoneClient<HealthDefinition>(HealthService, { address: addresses.repository, tls, expect: expectRepository }),
    engines: new EnginePool(addresses.engines, tls),
  };
}

export type Upstreams = ReturnType<typeof createUpstreams>;

export function closeUpstreams(u: Upstreams): void {
  u.repository.close();
  u.repositoryHealth.close();
  u.engines.close();
}
