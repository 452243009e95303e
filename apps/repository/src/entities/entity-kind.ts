import type { Resource } from '@trustzone/rules';
import type { EntityMeta, RepositoryStores } from '../db';
import type { SiteCache } from '../cache/site-cache';
import type { Actor } from '../security/acting-user';
import type { Json } from './qrs-json';
import type { ReferenceResolver } from './reference-resolver';
import type { QrsType, ResourceType } from './qrs-types';

export interface WriteContext {
  cache: SiteCache;
  stores: RepositoryStores;
  actor: Actor;
  /** The only way a body's references (owner, app, tags, …) become entities: through the rules. */
  refs: ReferenceResolver;
}

/**
 * An extra right a write needs beyond Create/Update (security-rules.md: owner and role changes;
 * `create` on the would-be entity for a change that amounts to creating it elsewhere, such as a
 * data connection's new target).
 */
export interface ExtraCheck {
  action: 'changeowner' | 'changerole' | 'publish' | 'approve' | 'create' | 'update';
  /** Checked on the entity as it is now, as it would be after the write, or on another entity the write changes (a task's app). */
  on: 'current' | 'wouldBe' | Resource;
  /** Recorded with a refusal (e.g. the old and the new target). */
  details?: Record<string, unknown>;
}

/** A validated write, not yet performed: the rules are checked on it first. */
export interface WritePlan<R> {
  /** The entity as it would be (create: with its new id and the caller as owner). */
  wouldBe: Resource;
  checks: ExtraCheck[];
  commit(modifiedByUserName: string): Promise<R>;
  /** Audit details beyond before/after modifiedDate (e.g. role changes). */
  details?: Record<string, unknown>;
}

/**
 * One `/qrs` entity type: how its records become rule snapshots and JSON, and how bodies become
 * writes. Methods use method syntax on purpose: the registry holds kinds of different record types.
 */
export interface EntityKind<R extends EntityMeta> {
  readonly type: QrsType;
  readonly resourceType: ResourceType;
  /** Cached record types its snapshot and JSON read (loaded before either is built). */
  readonly needs: readonly ResourceType[];
  /** Keys of the condensed form (`GET /qrs/<type>`); the full form is everything. */
  readonly condensed: readonly string[];
  snapshot(cache: SiteCache, r: R): Resource;
  json(cache: SiteCache, r: R): Json;
  /**
   * The JSON reads the record itself and records of the other `needs` types only, never another
   * record of its own type: then it is kept per record (SiteCache.recordMemo) and survives changes
   * to other records of this type — an app list stays cheap while apps are being created.
   */
  readonly jsonPerRecord?: boolean;
  planCreate(body: unknown, w: WriteContext, newId: string): WritePlan<R> | Promise<WritePlan<R>>;
  planUpdate(body: unknown, current: R, w: WriteContext): WritePlan<R> | Promise<WritePlan<R>>;
  remove(stores: RepositoryStores, id: string): Promise<void>;
  /** Record types whose cached rows a delete of this type changes (database cascades). */
  readonly cascades?: readonly ResourceType[];
  /** Record types that keep a copy of this type's fields, stale after an update. */
  readonly copiedBy?: readonly ResourceType[];
  /** Refuses a write whatever the rules say (shipped read-only rules); throws. */
  guardWrite?(current: R, op: 'update' | 'delete'): void;
}
