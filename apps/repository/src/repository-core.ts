import type { SiteManifest } from '@trustzone/trust';
import type { RepositoryStores } from './db';
import type { DbProvider } from './db';
import type { SiteCache } from './cache/site-cache';
import type { RepositoryAudit } from './audit/repository-audit';
import type { EntityService } from './entities/entity-service';
import type { AccessFactory } from './security/access-factory';
import type { RuleEngineCache } from './security/rule-engine-cache';
import type { ActingUsers } from './security/acting-user';

/** Everything the RPC handlers work with, built once per process by createRepository. */
export interface RepositoryCore {
  manifest: SiteManifest;
  provider: DbProvider;
  auditDir: string;
  /** The site's data directory (certificates and issued.json, for the console's inventory). */
  dataDir: string;
  stores: RepositoryStores;
  cache: SiteCache;
  audit: RepositoryAudit;
  rules: RuleEngineCache;
  users: ActingUsers;
  access: AccessFactory;
  entities: EntityService;
  /** Settings the task and export handlers need (config.ts). */
  settings: { taskStartWaitMs: number; exportTicketMs: number };
}
