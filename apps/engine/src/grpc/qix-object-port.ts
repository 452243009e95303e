import type { AssertedUser, RepositoryDefinition, TrustZoneClient } from '@trustzone/contracts';
import type { AppLibrary } from '../apps/app-library';
import type { AppFacts, ObjectAccess, ObjectPort } from '../qix';
import { localObjectAccess } from '../qix';
import { groupsOf } from '../scripts/app-script-service';
import { seesWholeApp } from '../scripts/script-access';

export interface ObjectPortDeps {
  library: AppLibrary;
  repository: TrustZoneClient<RepositoryDefinition>;
  deadlineMs: number;
}

/** How long an app's published/owner facts are reused by one session (a publish is seen within it). */
const FACTS_TTL_MS = 5000;

/**
 * The app's facts as the repository knows them, for one user (hub context): published and owner
 * from the app entity, Update from the rules — plus section access: a user it reduces never
 * changes base objects (their definitions are evaluated by every other user). Cached briefly.
 */
export function repositoryAppFacts(d: ObjectPortDeps, user: AssertedUser): (appId: string) => Promise<AppFacts> {
  const opts = { deadlineMs: d.deadlineMs, user };
  const cache = new Map<string, { at: number; facts: AppFacts }>();
  return async (appId) => {
    const hit = cache.get(appId);
    if (hit !== undefined && Date.now() - hit.at < FACTS_TTL_MS) return hit.facts;
    const app = JSON.parse((await d.repository.unary('GetEntity', { type: 'app', id: appId, privileges: false }, opts)).json) as { published?: unknown; owner?: { userDirectory?: unknown; userId?: unknown } | null };
    let update: Promise<boolean> | null = null;
    const facts: AppFacts = {
      published: app.published === true,
      ownerId: typeof app.owner?.userDirectory === 'string' && typeof app.owner.userId === 'string' ? `${app.owner.userDirectory}\\${app.owner.userId}` : '',
      mayUpdate: () => {
        update ??= (async () => {
          const auth = await d.repository.unary('Authorize', { resourceType: 'App', resourceId: appId, action: 'update' }, opts);
          if (!auth.allowed) return false;
          const model = await d.library.open(appId).catch(() => null);
          // No readable file: nothing to be reduced from, and nothing to protect either way.
          return model === null || seesWholeApp(model, { userDirectory: user.userDirectory, userId: user.userId, groups: groupsOf(user) });
        })();
        return update;
      },
    };
    cache.set(appId, { at: Date.now(), facts });
    if (cache.size > 64) cache.delete(cache.keys().next().value as string);
    return facts;
  };
}

/** Objects in the app file; the app's published flag from the same facts the access decides on. */
export function qixObjectPort(library: AppLibrary, facts: (appId: string) => Promise<AppFacts>, existingRows?: (appId: string) => Promise<void>): ObjectPort {
  return {
    list: async (appId) => {
      // Objects from before App.Object rows get theirs on this process's first listing (existing-object-rows.ts).
      if (existingRows !== undefined) await existingRows(appId);
      return library.objects(appId);
    },
    update: (appId, change) => library.updateObjects(appId, change),
    appPublished: async (appId) => (await facts(appId)).published,
  };
}

/** The engine's default: Qlik's semantics decided from the repository's facts (swap it in create-engine). */
export function defaultObjectAccess(facts: (appId: string) => Promise<AppFacts>): ObjectAccess {
  return localObjectAccess((ctx) => facts(ctx.appId));
}
