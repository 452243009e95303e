// Test support: typed shortcuts for the Repository RPCs as the proxy calls them.
import type { AssertedUser } from '@trustzone/contracts';
import { DEADLINE, type RepoClient } from './repository-harness';

export type Entity = Record<string, unknown> & { id: string; modifiedDate: string; name?: string };

export function repositoryCalls(client: RepoClient) {
  const opts = (user: AssertedUser) => ({ ...DEADLINE, user });
  return {
    async create(type: string, body: unknown, user: AssertedUser): Promise<Entity> {
      return JSON.parse((await client.unary('CreateEntity', { type, id: '', json: JSON.stringify(body), privileges: false }, opts(user))).json) as Entity;
    },
    async update(type: string, id: string, body: unknown, user: AssertedUser): Promise<Entity> {
      return JSON.parse((await client.unary('UpdateEntity', { type, id, json: JSON.stringify(body), privileges: false }, opts(user))).json) as Entity;
    },
    async get(type: string, id: string, user: AssertedUser, privileges = false): Promise<Entity> {
      return JSON.parse((await client.unary('GetEntity', { type, id, privileges }, opts(user))).json) as Entity;
    },
    async remove(type: string, id: string, user: AssertedUser): Promise<void> {
      await client.unary('DeleteEntity', { type, id, privileges: false }, opts(user));
    },
    async list(type: string, user: AssertedUser, q: { filter?: string; orderby?: string; full?: boolean; privileges?: boolean } = {}): Promise<Entity[]> {
      const res = await client.unary('ListEntities', { type, filter: q.filter ?? '', orderby: q.orderby ?? '', full: q.full ?? false, countOnly: false, privileges: q.privileges ?? false }, opts(user));
      return JSON.parse(res.json) as Entity[];
    },
    async count(type: string, user: AssertedUser, filter = ''): Promise<number> {
      const res = await client.unary('ListEntities', { type, filter, orderby: '', full: false, countOnly: true, privileges: false }, opts(user));
      return (JSON.parse(res.json) as { value: number }).value;
    },
    async publish(appId: string, streamId: string, user: AssertedUser): Promise<Entity> {
      return JSON.parse((await client.unary('PublishApp', { appId, streamId, name: '' }, opts(user))).json) as Entity;
    },
  };
}

/** The rejection of a call, for `expect(...).rejects` style checks that also read field/detail. */
export async function failure(p: Promise<unknown>): Promise<{ code: string; field?: string; detail?: Record<string, unknown>; message: string }> {
  try {
    await p;
  } catch (e) {
    const err = e as { code: string; field?: string; detail?: Record<string, unknown>; message: string };
    return { code: err.code, message: err.message, ...(err.field ? { field: err.field } : {}), ...(err.detail ? { detail: err.detail } : {}) };
  }
  throw new Error('expected the call to fail, but it succeeded');
}
