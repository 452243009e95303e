import type { Resource } from '@trustzone/rules';
import type { EntityMeta, RepositoryStores } from '../db';
import type { SiteCache } from '../cache/site-cache';
import type { Actor } from '../security/acting-user';
import type { Json } from './qrs-json';
import type { QrsType, ResourceType } from './qrs-types';

export interface WriteContext {
  cache: SiteCache;
  stores: RepositoryStores;
  actor: Actor;
}

/** An extra right a write needs beyond Create/Update (security-rules.md: owner and role changes). */
export interface ExtraCheck {
  action: 'changeowner' | 'changerole' | 'publish' | 'approve';
  /** Checked on the entity as it is now, or as it would be after the write. */
  on: 'current' | 'wouldBe';
}

/** A validated write, not yet performed: the rules are checked on it first. */
export interface WritePlan<R> {
  /** The entity as it would be (create: with its new id and the caller as owner). */
  wouldBe: Resource;
  checks: ExtraCheck[];
  /** Related entities the caller names and must be able to read; an unreadable one is reported like a missing one. */
  mustRead?: { resource: Resource; field: string; what: string }[];
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
  planCreate(body: unknown, w: WriteContext, newId: string): WritePlan<R>;
  planUpdate(body: unknown, current: R, w: WriteContext): WritePlan<R>;
  remove(stores: RepositoryStores, id: string): Promise<void>;
  /** Record types whose cached rows a delete of this type changes (database cascades). */
  readonly cascades?: readonly ResourceType[];
  /** Record types that keep a copy of this type's fields, stale after an update. */
  readonly copiedBy?: readonly ResourceType[];
  /** Refuses a write whatever the rules say (shipped read-only rules); throws. */
  guardWrite?(current: R, op: 'update' | 'delete'): void;
}
