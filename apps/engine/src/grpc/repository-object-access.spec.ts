import type { AssertedUser, RepositoryDefinition, TrustZoneClient } from '@trustzone/contracts';
import { describe, expect, it } from 'vitest';
import type { AppFacts, AppObjectRef } from '../qix';
import { repositoryObjectAccess } from './repository-object-access';

// The adapter's own logic (the rules themselves are tested through real gRPC in the repository and
// end to end in apps/conformance-tests app-object-rules): what it asks, how children map to their
// sheet, and that every failure on the way denies.
const user: AssertedUser = { userDirectory: 'CORP', userId: 'rita', context: 'hub', attributes: {}, anonymous: false, ip: '', secure: true };
const ctx = { userId: 'CORP\\rita', appId: 'app-1' };
const sheet: AppObjectRef = { id: 'sheet', type: 'sheet', ownerId: 'CORP\\rita', published: false, approved: false };
const chart: AppObjectRef = { id: 'chart', type: 'barchart', ownerId: 'CORP\\rita', published: false, approved: false, parentId: 'sheet' };
const facts = (published: boolean, mayUpdate: boolean): (() => Promise<AppFacts>) => async () => ({ published, ownerId: 'CORP\\olivia', mayUpdate: async () => mayUpdate });
const parents = async () => new Map<string, string | undefined>([['sheet', undefined], ['chart', 'sheet'], ['loop-a', 'loop-b'], ['loop-b', 'loop-a']]);

interface Call { method: string; req: { action?: string; objects?: { engineObjectId: string }[]; change?: string } }
function repository(answer: (c: Call) => unknown): { client: TrustZoneClient<RepositoryDefinition>; calls: Call[] } {
  const calls: Call[] = [];
  const client = { unary: async (method: string, req: Call['req']) => { calls.push({ method, req }); return answer({ method, req }); } } as unknown as TrustZoneClient<RepositoryDefinition>;
  return { client, calls };
}
const allowAll = (c: Call) => ({ allowed: (c.req.objects ?? []).map((o) => o.engineObjectId), json: '{}' });
const denied = (p: Promise<unknown>) => p.then(() => 'allowed', (e: { code?: number }) => e.code);

describe('RepositoryObjectAccess', () => {
  it('asks once per question; a child is read with its sheet and changed as a change of it; never published alone', async () => {
    const r = repository(allowAll);
    const access = repositoryObjectAccess({ repository: r.client, deadlineMs: 1000, parents }, user, facts(true, false));
    expect((await access.filterReadable(ctx, [sheet, chart])).map((o) => o.id)).toEqual(['sheet', 'chart']);
    expect(r.calls).toEqual([{ method: 'AuthorizeAppObjects', req: expect.objectContaining({ appId: 'app-1', action: 'read', objects: [{ engineObjectId: 'sheet', objectType: 'sheet' }] }) }]);
    await access.authorize(ctx, 'create', chart);
    await access.authorize(ctx, 'delete', chart);
    expect(r.calls.slice(1).map((c) => [c.req.action, c.req.objects?.map((o) => o.engineObjectId)])).toEqual([['update', ['sheet']], ['update', ['sheet']]]);
    expect(await denied(access.authorize(ctx, 'publish', chart))).toBe(5);
    // A child whose chain loops or leaves the app is nobody's.
    expect(await denied(access.authorize(ctx, 'read', { ...chart, id: 'x', parentId: 'loop-a' }))).toBe(5);
    expect((await access.filterReadable(ctx, [{ ...chart, parentId: 'elsewhere' }]))).toEqual([]);
  });

  it('denies what the repository leaves out, and on any transport or repository error', async () => {
    const none = repositoryObjectAccess({ repository: repository(() => ({ allowed: [] })).client, deadlineMs: 1000, parents }, user, facts(true, true));
    expect(await denied(none.authorize(ctx, 'read', sheet))).toBe(5);
    expect(await none.filterReadable(ctx, [sheet, chart])).toEqual([]);
    // An answer naming ids that were not asked about grants nothing.
    const extra = repositoryObjectAccess({ repository: repository(() => ({ allowed: ['other'] })).client, deadlineMs: 1000, parents }, user, facts(true, true));
    expect(await denied(extra.authorize(ctx, 'read', sheet))).toBe(5);
    for (const failure of [new Error('UNAVAILABLE'), Object.assign(new Error('deadline'), { code: 'DEADLINE_EXCEEDED' }), Object.assign(new Error('nope'), { code: 'NOT_FOUND' })]) {
      const down = repositoryObjectAccess({ repository: repository(() => Promise.reject(failure)).client, deadlineMs: 1000, parents }, user, facts(true, true));
      expect(await denied(down.authorize(ctx, 'read', sheet))).toBe(5);
      expect(await denied(down.filterReadable(ctx, [sheet]))).toBe(5);
      expect(await denied(down.onCreated(ctx, sheet))).toBe(5);
    }
    const noParents = repositoryObjectAccess({ repository: repository(allowAll).client, deadlineMs: 1000, parents: () => Promise.reject(new Error('file')) }, user, facts(true, true));
    expect(await denied(noParents.authorize(ctx, 'update', chart))).toBe(5);
  });

  it('section access stays absolute: a reduced user changes nothing of an unpublished app and approves nothing, whatever the rules say', async () => {
    const reduced = repositoryObjectAccess({ repository: repository(allowAll).client, deadlineMs: 1000, parents }, user, facts(false, false));
    for (const action of ['create', 'update', 'delete', 'approve'] as const) expect(await denied(reduced.authorize(ctx, action, sheet)), action).toBe(5);
    await reduced.authorize(ctx, 'read', sheet);
    const inPublished = repositoryObjectAccess({ repository: repository(allowAll).client, deadlineMs: 1000, parents }, user, facts(true, false));
    await inPublished.authorize(ctx, 'update', sheet); // their own private sheet
    expect(await denied(inPublished.authorize(ctx, 'approve', sheet))).toBe(5);
    const brokenFacts = repositoryObjectAccess({ repository: repository(allowAll).client, deadlineMs: 1000, parents }, user, () => Promise.reject(new Error('x')));
    expect(await denied(brokenFacts.authorize(ctx, 'update', sheet))).toBe(5);
  });

  it('rows follow the file: registered on create, removed on destroy, and a QIX Publish/Approve becomes the repository\'s state change', async () => {
    const r = repository(allowAll);
    const access = repositoryObjectAccess({ repository: r.client, deadlineMs: 1000, parents }, user, facts(true, true));
    await access.onCreated(ctx, sheet);
    await access.onCreated(ctx, chart); // children have no row of their own
    await access.authorize(ctx, 'publish', sheet);
    await access.onChanged(ctx, { ...sheet, published: true });
    await access.onChanged(ctx, { ...sheet, published: false }); // no pending check: nothing sent
    await access.authorize(ctx, 'approve', { ...sheet, published: true, approved: true });
    await access.onChanged(ctx, { ...sheet, published: true, approved: false });
    await access.onDestroyed(ctx, chart);
    await access.onDestroyed(ctx, sheet);
    expect(r.calls.filter((c) => c.method !== 'AuthorizeAppObjects').map((c) => [c.method, c.req.change ?? ''])).toEqual([
      ['RegisterAppObject', ''],
      ['ChangeAppObjectState', 'publish'],
      ['ChangeAppObjectState', 'unapprove'],
      ['RemoveAppObject', ''],
    ]);
  });
});
