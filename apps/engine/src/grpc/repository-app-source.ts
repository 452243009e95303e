import type { AssertedUser, RepositoryDefinition, TrustZoneClient } from '@trustzone/contracts';
import type { Logger } from '@trustzone/logging';
import type { AppSource } from '../apps/app-opener';
import type { AppLibrary } from '../apps/app-library';
import { appLoadRefusal } from './app-load-refusal';
import type { AppTitles } from './app-titles';

export interface RepositoryAppSourceDeps {
  library: AppLibrary;
  repository: TrustZoneClient<RepositoryDefinition>;
  logger: Logger;
  deadlineMs: number;
  /** Titles shared by the engine's opens (absent: every open reads the app entity). */
  appTitles?: AppTitles;
}

/**
 * Apps as the real engine finds them for one user (in hub context): the repository's rules decide
 * (the proxy asked already; the engine asks again, defence in depth), the app library loads the
 * file, and a file that cannot be loaded becomes the refusal a client may see.
 */
export function repositoryAppSource(d: RepositoryAppSourceDeps, hub: AssertedUser): AppSource {
  const opts = { deadlineMs: d.deadlineMs, user: hub };
  return {
    authorize: async (appId) => {
      const auth = await d.repository.unary('Authorize', { resourceType: 'App', resourceId: appId, action: 'read' }, opts);
      if (!auth.allowed) return { allowed: false, reason: auth.reason };
      const readTitle = async () => (JSON.parse((await d.repository.unary('GetEntity', { type: 'app', id: appId, privileges: false }, opts)).json) as { name?: string }).name ?? appId;
      const title = d.appTitles ? await d.appTitles.get(appId, readTitle) : await readTitle();
      return { allowed: true, title, groups: auth.groups };
    },
    load: async (appId) => {
      try {
        return await d.library.open(appId);
      } catch (e) {
        d.logger.warn('app could not be loaded', { appId, error: e instanceof Error ? e.message : String(e) });
        throw appLoadRefusal(appId, e);
      }
    },
  };
}
