import { openSiteAuditLog } from '@trustzone/logging';
import { loadTlsMaterial, readSiteManifest, resolveDataDir, sitePaths } from '@trustzone/trust';
import type { RepositoryConfig } from '../config';
import { openRepositoryDatabase } from '../repository-database';
import { seedSite } from './seed-site';

/**
 * `main.cjs --seed-only` (what `tz init` runs): migrate, seed what is missing, record it in the
 * audit trail, exit. No listener, no logger beyond the one result line.
 */
export async function seedOnly(config: RepositoryConfig): Promise<{ applied: string[]; created: string[] }> {
  const paths = sitePaths(resolveDataDir(config.dataDir));
  const manifest = readSiteManifest(paths.siteJson);
  const { database, stores, applied } = await openRepositoryDatabase(config, paths);
  try {
    const created = await seedSite(stores, { admin: manifest.admin, hosts: manifest.hosts, proxyPort: config.proxyPort });
    if (created.length > 0) {
      const material = loadTlsMaterial({ certsDir: paths.certs, name: 'repository' });
      const log = await openSiteAuditLog(paths, { keyPem: material.keyPem, certPem: material.certPem });
      try {
        await log.append({ actor: { service: 'repository' }, action: 'site.seed', outcome: 'success', details: { created } });
      } finally {
        await log.close();
      }
    }
    return { applied, created };
  } finally {
    await database.close();
  }
}
