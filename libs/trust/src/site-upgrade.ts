import { existsSync, linkSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { fsyncDir } from '@trustzone/config';
import { openSite } from './site-ca';
import { ensureDir } from './site-files';
import { SITE_DIRS } from './site-layout';
import { withSiteLock } from './site-lock';

export interface SiteUpgradeResult {
  /** Key names moved from certs/ to private/<name>/. */
  moved: string[];
  /** Keys found in both places with different content: left as they are, for the operator. */
  conflicts: string[];
}

const LEGACY_KEY = /^([a-z0-9][a-z0-9._-]{0,63})_key\.pem$/;

/**
 * Brings a data directory to the current layout: every private key moves from `certs/` (where
 * sites before issue 15 kept them) to its own `private/<name>/` folder, so a deployment can give
 * each service its key and nothing else. Idempotent; `docker/init-site.sh` runs it on every start.
 * A key is hard-linked into place before the old name is removed, so a service reading it at any
 * moment finds it in one of the two places (they look in private/ first).
 */
export async function upgradeSiteLayout(dataDir: string): Promise<SiteUpgradeResult> {
  const { paths } = openSite(dataDir);
  return withSiteLock(paths.lock, async () => {
    ensureDir(paths.private, SITE_DIRS.private);
    const result: SiteUpgradeResult = { moved: [], conflicts: [] };
    for (const file of readdirSync(paths.certs).sort()) {
      const m = LEGACY_KEY.exec(file);
      if (!m) continue;
      const name = m[1] as string;
      ensureDir(paths.keyDir(name), SITE_DIRS.private);
      const from = paths.legacyKey(name);
      const to = paths.key(name);
      if (existsSync(to)) {
        if (!readFileSync(to).equals(readFileSync(from))) {
          result.conflicts.push(name);
          continue;
        }
      } else linkSync(from, to);
      await fsyncDir(paths.keyDir(name));
      rmSync(from);
      result.moved.push(name);
    }
    await fsyncDir(paths.certs);
    return result;
  });
}
