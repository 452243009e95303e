import type { AssertedUser, RepositoryDefinition, TrustZoneClient } from '@trustzone/contracts';
import type { AppFacts, AppObjectRef, ObjectAccess, ObjectAccessContext, ObjectAction } from '../qix';
import { accessDenied } from '../qix/objects/object-access';
import { readStored } from '../qix/objects/stored-object';

/*
 * The security rules decide about app objects (issue 18, item 2): every object question goes to the
 * repository, which keeps an App.Object row per top-level object of the app file (/qrs/app/object:
 * owner, published, approved) and evaluates the rules for the user the proxy relayed, audited as
 * every rule decision. The row decides, never the flags in the file. A child object (a chart on a
 * sheet) has no row of its own: it is read with its top-level object and changed as a change of it,
 * as in Qlik, where a sheet's visualizations live inside the sheet. Anything that goes wrong on the
 * way (transport, deadline, an answer we cannot read) denies.
 */

export interface RepositoryObjectAccessDeps {
  repository: TrustZoneClient<RepositoryDefinition>;
  deadlineMs: number;
  /** The app's stored objects, `id → parentId`, to find a child's top-level object. */
  parents(appId: string): Promise<ReadonlyMap<string, string | undefined>>;
}

/** `id → parentId` of an app's stored objects (entries the engine would drop are left out). */
export function objectParents(list: (appId: string) => Promise<Record<string, unknown>[]>): (appId: string) => Promise<ReadonlyMap<string, string | undefined>> {
  return async (appId) => {
    const out = new Map<string, string | undefined>();
    for (const raw of await list(appId)) {
      const o = readStored(raw);
      if (o !== null) out.set(o.id, o.parentId);
    }
    return out;
  };
}

/** The repository's bound per question (AuthorizeAppObjects); longer lists are asked in chunks. */
const PER_CALL = 5000;
/** Deeper than the engine stores (OBJECT_LIMITS.childDepth): a cycle or a forged file. */
const MAX_DEPTH = 64;

type Asked = Pick<AppObjectRef, 'id' | 'type'>;

/** Top-level id of `id`, following `parentOf`; undefined when the chain breaks or loops. */
function rootOf(id: string, parentOf: (id: string) => string | undefined | null): string | undefined {
  let at = id;
  for (let depth = 0; depth <= MAX_DEPTH; depth++) {
    const parent = parentOf(at);
    if (parent === null) return undefined; // unknown object
    if (parent === undefined) return at;
    at = parent;
  }
  return undefined;
}

/** What a child action means for its top-level object: reading it, or changing it. */
function rootAction(action: ObjectAction): 'read' | 'update' | null {
  if (action === 'read') return 'read';
  if (action === 'create' || action === 'update' || action === 'delete') return 'update';
  return null; // a child is published and approved with its top-level object, never alone
}

export function repositoryObjectAccess(d: RepositoryObjectAccessDeps, user: AssertedUser, facts: (appId: string) => Promise<AppFacts>): ObjectAccess {
  const opts = { deadlineMs: d.deadlineMs, user };
  /** An authorized publish/approve, until its onChanged says what the method made of the flags. */
  const pending = new Map<string, 'publish' | 'approve'>();
  const key = (ctx: ObjectAccessContext, id: string) => `${ctx.appId}\u0000${id}`;

  async function allowed(appId: string, action: ObjectAction, objs: readonly Asked[]): Promise<Set<string>> {
    const out = new Set<string>();
    for (let i = 0; i < objs.length; i += PER_CALL) {
      const chunk = objs.slice(i, i + PER_CALL);
      let answer: { allowed: string[] };
      try {
        answer = await d.repository.unary('AuthorizeAppObjects', { appId, action, objects: chunk.map((o) => ({ engineObjectId: o.id, objectType: o.type })) }, opts);
      } catch (e) {
        throw accessDenied(`the repository did not decide (${(e as { code?: string }).code ?? 'error'})`);
      }
      const asked = new Set(chunk.map((o) => o.id));
      for (const id of answer.allowed) if (asked.has(id)) out.add(id);
    }
    return out;
  }

  /**
   * Section access stays absolute: a user it reduces never changes what everyone else evaluates —
   * the objects of an unpublished app (they become its base objects) — nor approves one into them,
   * whatever the rules say (the gate variables and the script have too).
   */
  async function sectionAccessGate(ctx: ObjectAccessContext, action: ObjectAction): Promise<void> {
    if (action === 'read' || action === 'publish') return;
    let ok: boolean;
    try {
      const f = await facts(ctx.appId);
      ok = !(action === 'approve' || !f.published) || (await f.mayUpdate());
    } catch (e) {
      throw accessDenied(`the app's facts could not be read: ${e instanceof Error ? e.message : String(e)}`);
    }
    if (!ok) throw accessDenied(`${action}: section access reduces this user in the app`);
  }

  async function parentsOf(appId: string): Promise<ReadonlyMap<string, string | undefined>> {
    try {
      return await d.parents(appId);
    } catch (e) {
      throw accessDenied(`the app's objects could not be read: ${e instanceof Error ? e.message : String(e)}`);
    }
  }

  async function call(what: string, run: () => Promise<unknown>): Promise<void> {
    try {
      await run();
    } catch (e) {
      throw accessDenied(`${what}: the repository refused (${(e as { code?: string }).code ?? 'error'})`);
    }
  }

  return {
    async filterReadable(ctx, objs) {
      // The ancestors come with the list (object-context.ts readableRefs): a child is readable when its
      // top-level object is, and unreadable when its chain leaves the list.
      const byId = new Map(objs.map((o) => [o.id, o]));
      const roots = new Map<string, string | undefined>();
      for (const o of objs) roots.set(o.id, rootOf(o.id, (id) => { const x = byId.get(id); return x === undefined ? null : x.parentId; }));
      const tops = [...new Set([...roots.values()].filter((r): r is string => r !== undefined))].map((id) => byId.get(id) as AppObjectRef);
      const ok = await allowed(ctx.appId, 'read', tops);
      return objs.filter((o) => { const r = roots.get(o.id); return r !== undefined && ok.has(r); });
    },

    async authorize(ctx, action, obj) {
      let asked: Asked;
      let askedAction: ObjectAction;
      if (obj.parentId === undefined) {
        asked = obj;
        askedAction = action;
      } else {
        const mapped = rootAction(action);
        if (mapped === null) throw accessDenied(`${action} ${obj.type} ${obj.id}: a child object is published and approved with its sheet`);
        const parents = await parentsOf(ctx.appId);
        const top = rootOf(obj.parentId, (id) => (parents.has(id) ? parents.get(id) : null));
        if (top === undefined) throw accessDenied(`${action} ${obj.type} ${obj.id}: its parent is not in the app`);
        asked = { id: top, type: '' };
        askedAction = mapped;
      }
      if (!(await allowed(ctx.appId, askedAction, [asked])).has(asked.id)) throw accessDenied(`${action} ${obj.type} ${obj.id}: the security rules do not allow it`);
      await sectionAccessGate(ctx, action);
      if (obj.parentId === undefined && (action === 'publish' || action === 'approve')) {
        // One session's pending state changes; a method that failed after its check leaves one behind.
        if (pending.size >= 256) pending.delete(pending.keys().next().value as string);
        pending.set(key(ctx, obj.id), action);
      }
    },

    async onCreated(ctx, obj) {
      if (obj.parentId !== undefined) return;
      await call(`registering ${obj.id}`, () => d.repository.unary('RegisterAppObject', { appId: ctx.appId, engineObjectId: obj.id, objectType: obj.type, name: '' }, opts));
    },

    async onChanged(ctx, obj) {
      const asked = pending.get(key(ctx, obj.id));
      if (asked === undefined || obj.parentId !== undefined) return;
      pending.delete(key(ctx, obj.id));
      // The state the method asked for, as the repository's change (it answers unchanged rows as they
      // are): the file's flags may lag behind a change made through /qrs, the row is the truth.
      const change = asked === 'publish' ? (obj.published ? 'publish' : 'unpublish') : obj.approved ? 'approve' : 'unapprove';
      await call(`${change} ${obj.id}`, () => d.repository.unary('ChangeAppObjectState', { id: '', appId: ctx.appId, engineObjectId: obj.id, change }, opts));
    },

    async onDestroyed(ctx, obj) {
      if (obj.parentId !== undefined) return;
      await call(`removing ${obj.id}`, () => d.repository.unary('RemoveAppObject', { appId: ctx.appId, engineObjectId: obj.id, objectType: obj.type, name: '' }, opts));
    },
  };
}
