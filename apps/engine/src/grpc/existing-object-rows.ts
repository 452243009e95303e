import type { RepositoryDefinition, TrustZoneClient } from '@trustzone/contracts';
import type { Logger } from '@trustzone/logging';
import type { AppLibrary } from '../apps/app-library';
import { readStored } from '../qix/objects/stored-object';

export interface ExistingObjectRowsDeps {
  library: AppLibrary;
  repository: TrustZoneClient<RepositoryDefinition>;
  deadlineMs: number;
  logger: Logger;
}

/** Apps this engine process registered (bounded: past it, an app is simply asked about again). */
const MAX_REMEMBERED = 10_000;

/**
 * Objects an app file held before App.Object rows existed have no row, and an object without a row
 * is invisible to everyone (the repository's rules decide from rows). The first time this engine
 * process lists an app's objects it sends the top-level ones to the repository, which makes the
 * missing rows only — owner, published and approved as the file holds them (a base object of a
 * published app is both, as the engine has always read it). A failure is logged and asked again on
 * the next open; meanwhile those objects stay invisible (fail closed).
 */
export function existingObjectRows(d: ExistingObjectRowsDeps): (appId: string) => Promise<void> {
  const done = new Set<string>();
  const running = new Map<string, Promise<void>>();
  const register = async (appId: string): Promise<void> => {
    const tops = (await d.library.objects(appId)).map(readStored).filter((o) => o !== null && o.parentId === undefined && o.type !== '');
    if (tops.length > 0) {
      await d.repository.unary('RegisterExistingAppObjects', {
        appId,
        objects: tops.map((o) => ({ engineObjectId: o!.id, objectType: o!.type, owner: o!.ownerId, published: o!.published || o!.base, approved: o!.approved || o!.base })),
      }, { deadlineMs: d.deadlineMs });
    }
    if (done.size >= MAX_REMEMBERED) done.clear();
    done.add(appId);
  };
  return async (appId) => {
    if (done.has(appId)) return;
    let p = running.get(appId);
    if (p === undefined) {
      const started: Promise<void> = register(appId)
        .catch((e: unknown) => {
          d.logger.warn('could not register the rows of an app’s existing objects; they stay invisible until the next open', { appId, error: e instanceof Error ? e.message : String(e) });
        })
        .finally(() => running.delete(appId));
      running.set(appId, started);
      p = started;
    }
    await p;
  };
}
