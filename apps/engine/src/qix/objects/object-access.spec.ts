import { describe, expect, it } from 'vitest';
import { type AppFacts, type AppObjectRef, localObjectAccess, type ObjectAction } from './object-access';
import { applyPatches, readPatches } from './json-patch';

const OWNER = 'CORP\\owner';
const ctx = (userId: string) => ({ userId, appId: 'app' });
const ref = (o: Partial<AppObjectRef>): AppObjectRef => ({ id: 'o', type: 'sheet', ownerId: OWNER, published: false, approved: false, ...o });
const facts = (published: boolean, updaters: string[] = [OWNER]) => async (c: { userId: string }): Promise<AppFacts> => ({ published, ownerId: OWNER, mayUpdate: async () => updaters.includes(c.userId) });
const allowed = async (access: ReturnType<typeof localObjectAccess>, user: string, action: ObjectAction, o: AppObjectRef) =>
  access.authorize(ctx(user), action, o).then(() => true, (e: { code?: number }) => (e.code === 5 ? false : Promise.reject(e)));

describe('localObjectAccess (Qlik’s default semantics)', () => {
  it('unpublished app: who may update the app changes every object; readers read', async () => {
    const access = localObjectAccess(facts(false, [OWNER, 'CORP\\editor']));
    const o = ref({});
    for (const action of ['create', 'update', 'delete'] as const) {
      expect(await allowed(access, OWNER, action, o)).toBe(true);
      expect(await allowed(access, 'CORP\\editor', action, o)).toBe(true);
      expect(await allowed(access, 'CORP\\reader', action, o)).toBe(false);
    }
    expect(await allowed(access, 'CORP\\reader', 'read', o)).toBe(true);
    expect(await allowed(access, OWNER, 'publish', o)).toBe(false);
  });

  it('published app: base read-only, private objects their owner’s, publish by the owner, approve with Update', async () => {
    const access = localObjectAccess(facts(true));
    const base = ref({ published: true, approved: true });
    const mine = ref({ id: 'p', ownerId: 'CORP\\ann' });
    for (const action of ['update', 'delete'] as const) expect(await allowed(access, OWNER, action, base)).toBe(false);
    expect(await allowed(access, 'CORP\\ann', 'create', mine)).toBe(true);
    expect(await allowed(access, 'CORP\\ann', 'update', mine)).toBe(true);
    expect(await allowed(access, 'CORP\\bob', 'read', mine)).toBe(false);
    expect(await allowed(access, 'corp\\ANN', 'read', mine)).toBe(true); // identities are case-insensitive
    expect(await access.filterReadable(ctx('CORP\\bob'), [base, mine, ref({ id: 'child', parentId: 'p', published: true })])).toEqual([base]);
    expect(await allowed(access, 'CORP\\bob', 'publish', mine)).toBe(false);
    expect(await allowed(access, 'CORP\\ann', 'publish', mine)).toBe(true);
    expect(await allowed(access, 'CORP\\ann', 'approve', { ...mine, published: true })).toBe(false);
    expect(await allowed(access, OWNER, 'approve', { ...mine, published: true })).toBe(true);
    expect(await allowed(access, OWNER, 'approve', mine)).toBe(false);
  });

  it('fails closed: facts that cannot be read, or an Update question that fails, deny', async () => {
    const broken = localObjectAccess(async () => {
      throw new Error('repository down');
    });
    expect(await allowed(broken, OWNER, 'read', ref({}))).toBe(false);
    await expect(broken.filterReadable(ctx(OWNER), [ref({})])).rejects.toMatchObject({ code: 5 });
    const failing = localObjectAccess(async () => ({ published: false, ownerId: OWNER, mayUpdate: async () => Promise.reject(new Error('timeout')) }));
    expect(await allowed(failing, OWNER, 'update', ref({}))).toBe(false);
  });
});

describe('ApplyPatches (NxPatch)', () => {
  it('adds, replaces and removes by JSON pointer; refuses prototype keys and qInfo', () => {
    const p = applyPatches({ qInfo: { qId: 'x' }, a: { b: [1, 2] } }, readPatches([{ qOp: 'add', qPath: '/a/b/1', qValue: '9' }, { qOp: 'replace', qPath: '/a/c', qValue: '"t"' }, { qOp: 'remove', qPath: '/a/b/0' }, { qOp: 'add', qPath: '/n/m', qValue: 'null' }]));
    expect(p).toEqual({ qInfo: { qId: 'x' }, a: { b: [9, 2], c: 't' }, n: { m: null } });
    for (const qPath of ['/__proto__/x', '/a/constructor', '/qInfo/qId']) expect(() => applyPatches({ a: {} }, readPatches([{ qOp: 'add', qPath, qValue: '1' }]))).toThrow();
    expect(() => readPatches([{ qOp: 'move', qPath: '/a' }])).toThrow();
    expect(() => applyPatches({}, readPatches([{ qOp: 'remove', qPath: '/missing' }]))).toThrow();
    expect(() => applyPatches({ a: 1 }, readPatches([{ qOp: 'add', qPath: '/a', qValue: '{not json' }]))).toThrow();
  });
});
