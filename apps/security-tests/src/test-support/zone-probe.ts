import { HealthService, TrustZoneClient, type HealthDefinition } from '@trustzone/contracts';
import { identityAllowList } from '@trustzone/trust';
import type { RunningSite } from '@trustzone/site-harness';
import { craftedTls, siteTls } from './zone-client';

export interface PemPair {
  cert: string;
  key: string;
}

/**
 * Whether the site's repository and engine accept `pair` as a client certificate right now: a
 * Health.Check (which every identity of the site may call), presenting `pair` while checking the
 * servers for real. A refusal at the handshake or by the caller-identity guard is `false`; any
 * other failure is thrown, so a dead service is never mistaken for a refusal.
 */
export async function zoneAccepts(site: RunningSite, pair: PemPair): Promise<{ repository: boolean; engine: boolean }> {
  const tls = craftedTls(siteTls(site, 'cli'), pair.cert, pair.key);
  const probe = async (service: 'repository' | 'engine', port: number): Promise<boolean> => {
    const client = new TrustZoneClient<HealthDefinition>(HealthService, { address: `localhost:${port}`, tls, expect: identityAllowList([service]) });
    try {
      await client.unary('Check', {}, { deadlineMs: 5_000 });
      return true;
    } catch (e) {
      if (/UNAVAILABLE|UNAUTHENTICATED|PERMISSION_DENIED/.test(String((e as { code?: unknown }).code))) return false;
      throw e;
    } finally {
      client.close();
    }
  };
  const [repository, engine] = await Promise.all([probe('repository', site.ports.repository), probe('engine', site.ports.engine)]);
  return { repository, engine };
}
