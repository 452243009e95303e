import { QixError, QixErrorCode } from '../qix.error';

/*
 * The seam between the engine's persisted generic objects and the security rules (issue 18, item 2).
 * Every object method asks it: reads through filterReadable / authorize('read'), writes through
 * authorize(...). The engine ships `localObjectAccess` (Qlik's default semantics, decided from facts
 * about the app); a repository-backed implementation (App.Object records under /qrs/app/object,
 * rule-checked there) replaces it through create-engine without touching the object methods.
 */

export type ObjectAction = 'create' | 'read' | 'update' | 'delete' | 'publish' | 'approve';

/**
 * An app object as the rules see it. `ownerId` is `DIRECTORY\id` (the engine's user identity);
 * `published`/`approved` are the object's effective flags (a base object of a published app is both).
 */
export interface AppObjectRef {
  id: string;
  type: string;
  ownerId: string;
  published: boolean;
  approved: boolean;
  parentId?: string;
}

export interface ObjectAccessContext {
  /** `DIRECTORY\id`, as the proxy authenticated the user. */
  userId: string;
  appId: string;
}

export interface ObjectAccess {
  /** The objects `ctx.userId` may read, in the given order. */
  filterReadable(ctx: ObjectAccessContext, objs: readonly AppObjectRef[]): Promise<AppObjectRef[]>;
  /** Throws the QIX access-denied error (code 5) unless `action` on `obj` is allowed. */
  authorize(ctx: ObjectAccessContext, action: ObjectAction, obj: AppObjectRef): Promise<void>;
  /** After an object was stored (a repository-backed implementation registers it in /qrs/app/object). */
  onCreated(ctx: ObjectAccessContext, obj: AppObjectRef): Promise<void>;
  onChanged(ctx: ObjectAccessContext, obj: AppObjectRef): Promise<void>;
  onDestroyed(ctx: ObjectAccessContext, obj: AppObjectRef): Promise<void>;
}

/** What the local implementation decides from (asked per call; the caller may cache briefly). */
export interface AppFacts {
  published: boolean;
  /** The app owner, `DIRECTORY\id`. */
  ownerId: string;
  /**
   * The repository's rules give this user Update on the app and section access leaves them the
   * whole app (the same two gates as a variable or script write). Asked only when a decision needs it.
   */
  mayUpdate(): Promise<boolean>;
}

export const sameUser = (a: string, b: string): boolean => a !== '' && a.toUpperCase() === b.toUpperCase();

export const accessDenied = (reason: string): QixError => new QixError(QixErrorCode.ACCESS_DENIED, 'Access denied', { reason });

/**
 * Qlik's default semantics, failing closed (an error getting the facts denies):
 * - unpublished app: every object is a base object; users who may update the app (the owner, or
 *   whom the repository's rules allow) create, change and delete them; readers read them all.
 * - published app: base objects (published or approved) are read-only to everyone and readable by
 *   all; a user creates private objects only they see and change; another user's private,
 *   unpublished objects are invisible. The owner of a private object may publish (and unpublish) it;
 *   approving a published object needs Update on the app.
 * A child is never more visible than its parent, and a private object cannot be hung under
 * another user's object or a base object of a published app.
 */
export function localObjectAccess(facts: (ctx: ObjectAccessContext) => Promise<AppFacts>): ObjectAccess {
  const get = async (ctx: ObjectAccessContext): Promise<AppFacts> => {
    try {
      return await facts(ctx);
    } catch (e) {
      throw accessDenied(`the app's facts could not be read: ${e instanceof Error ? e.message : String(e)}`);
    }
  };
  const visible = (f: AppFacts, ctx: ObjectAccessContext, o: AppObjectRef): boolean => !f.published || o.published || o.approved || sameUser(o.ownerId, ctx.userId);
  const decide = async (f: AppFacts, ctx: ObjectAccessContext, action: ObjectAction, o: AppObjectRef): Promise<string | null> => {
    if (!visible(f, ctx, o)) return 'a private object of another user';
    const mine = sameUser(o.ownerId, ctx.userId);
    switch (action) {
      case 'read':
        return null;
      case 'create':
      case 'update':
      case 'delete':
        if (!f.published) return (await f.mayUpdate()) ? null : 'no Update on the unpublished app';
        if (o.published || o.approved) return 'a base or published object of a published app is read-only';
        return mine ? null : 'a private object of another user';
      case 'publish':
        if (!f.published) return 'objects are published with their app';
        if (o.approved) return 'an approved object stays published';
        return mine ? null : 'only the owner publishes an object';
      case 'approve':
        if (!f.published) return 'objects are approved with their app';
        if (!o.published) return 'only a published object is approved';
        return (await f.mayUpdate()) ? null : 'no Update on the app';
    }
  };
  return {
    async filterReadable(ctx, objs) {
      const f = await get(ctx);
      const readable = new Set(objs.filter((o) => visible(f, ctx, o)).map((o) => o.id));
      const byId = new Map(objs.map((o) => [o.id, o]));
      // A child of an invisible parent is invisible too (its sheet is someone's private sheet).
      const reachable = (o: AppObjectRef, depth = 0): boolean => {
        if (!readable.has(o.id)) return false;
        if (o.parentId === undefined) return true;
        const parent = byId.get(o.parentId);
        return parent === undefined || depth > 64 ? false : reachable(parent, depth + 1);
      };
      return objs.filter((o) => reachable(o));
    },
    async authorize(ctx, action, obj) {
      const f = await get(ctx);
      let reason: string | null;
      try {
        reason = await decide(f, ctx, action, obj);
      } catch (e) {
        reason = `the decision failed: ${e instanceof Error ? e.message : String(e)}`;
      }
      if (reason !== null) throw accessDenied(`${action} ${obj.type} ${obj.id}: ${reason}`);
    },
    onCreated: async () => undefined,
    onChanged: async () => undefined,
    onDestroyed: async () => undefined,
  };
}
