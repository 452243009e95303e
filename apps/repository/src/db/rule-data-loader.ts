import type { AppObjectRecord } from './app-object-store';
import { createAppObjectStore } from './app-object-store';
import { type AppRecord, createAppStore } from './app-store';
import type { DbClient } from './db-client';
import type { ListOptions } from './entity-types';
import { MAX_LIST_IDS } from './list-options';
import { createStreamStore, type StreamRecord } from './stream-store';
import { createUserStore, type UserRecord } from './user-store';

/**
 * Apps with everything rules read about them: `resource.owner.*` (groups, roles, @custom
 * properties) and `resource.stream.*` (name, @custom properties). Each owner and stream is loaded
 * once and shared by id, however many apps point at it.
 */
export interface AppGraph {
  apps: AppRecord[];
  users: ReadonlyMap<string, UserRecord>;
  streams: ReadonlyMap<string, StreamRecord>;
}

/** App objects with their apps (`resource.app.*`), the apps' streams, and every owner involved. */
export interface AppObjectGraph extends AppGraph {
  objects: AppObjectRecord[];
}

export interface RuleDataLoader {
  /** All apps (or `options.ids`) with owners and streams. */
  loadAppGraph(options?: ListOptions): Promise<AppGraph>;
  /** All app objects (or `options.ids`, or those of one app) with their apps, streams and owners. */
  loadAppObjectGraph(options?: ListOptions & { appId?: string }): Promise<AppObjectGraph>;
  /** The requesting user with roles, groups and custom properties (null when unknown). */
  loadUser(userDirectory: string, userId: string): Promise<UserRecord | null>;
}

async function byIds<T extends { id: string }>(ids: Iterable<string>, list: (o: ListOptions) => Promise<T[]>): Promise<Map<string, T>> {
  const all = [...new Set(ids)];
  const out = new Map<string, T>();
  for (let i = 0; i < all.length; i += MAX_LIST_IDS) {
    for (const record of await list({ ids: all.slice(i, i + MAX_LIST_IDS) })) out.set(record.id, record);
  }
  return out;
}

export function createRuleDataLoader(db: DbClient): RuleDataLoader {
  const users = createUserStore(db);
  const streams = createStreamStore(db);
  const apps = createAppStore(db);
  const objects = createAppObjectStore(db);

  async function graphFor(appList: AppRecord[], extraOwnerIds: string[] = []): Promise<AppGraph> {
    const streamIds = appList.flatMap((a) => (a.stream ? [a.stream.id] : []));
    const streamMap = await byIds(streamIds, (o) => streams.list(o));
    const ownerIds = [...appList.map((a) => a.owner.id), ...[...streamMap.values()].flatMap((s) => (s.owner ? [s.owner.id] : [])), ...extraOwnerIds];
    return { apps: appList, users: await byIds(ownerIds, (o) => users.list(o)), streams: streamMap };
  }

  async function listAll<T extends { id: string }>(options: ListOptions | undefined, list: (o?: ListOptions) => Promise<T[]>): Promise<T[]> {
    if (!options?.ids || options.ids.length <= MAX_LIST_IDS) return list(options);
    return [...(await byIds(options.ids, list)).values()];
  }

  return {
    async loadAppGraph(options) {
      return graphFor(await listAll(options, (o) => apps.list(o)));
    },

    async loadAppObjectGraph(options) {
      const { appId, ...list } = options ?? {};
      const objectList = appId !== undefined ? await objects.listByApp(appId) : await listAll(list, (o) => objects.list(o));
      const appMap = await byIds(objectList.map((o) => o.app.id), (o) => apps.list(o));
      const graph = await graphFor([...appMap.values()], objectList.map((o) => o.owner.id));
      return { ...graph, objects: objectList };
    },

    loadUser: (userDirectory, userId) => users.findByIdentity(userDirectory, userId),
  };
}
