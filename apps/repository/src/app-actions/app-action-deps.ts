import type { RepositoryStores } from '../db';
import type { SiteCache } from '../cache/site-cache';
import type { RepositoryAudit } from '../audit/repository-audit';
import type { EntityService } from '../entities/entity-service';

/** What the app-specific operations (publish, copy, script, reload) work with. */
export interface AppActionDeps {
  cache: SiteCache;
  stores: RepositoryStores;
  audit: RepositoryAudit;
  entities: EntityService;
}
