import { randomUUID } from 'node:crypto';
import { ErrorCode, ServiceError } from '@trustzone/contracts';
import type { Resource } from '@trustzone/rules';
import type { EntityMeta, RepositoryStores } from '../db';
import type { SiteCache } from '../cache/site-cache';
import { callActor, type RepositoryAudit } from '../audit/repository-audit';
import type { RequestAccess } from '../security/request-access';
import { viaDb } from '../errors/db-error.mapper';
import { invalid, notFound } from '../errors/service-errors';
import type { EntityKind, WritePlan } from './entity-kind';
import { ENTITY_KINDS } from './entity-kinds';
import { compileListQuery, type ListQuery } from './list-query';
import { pick, type Json } from './qrs-json';
import { ReferenceResolver, referencedIds } from './reference-resolver';
import { MANAGEMENT_TYPES, type QrsType } from './qrs-types';

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export function parseId(id: string, field = 'id'): string {
  if (typeof id !== 'string' || !GUID.test(id)) throw invalid(field, 'must be a GUID');
  return id.toLowerCase();
}

/**
 * The generic `/qrs` entity operations with the security rules on every one (fail closed):
 * lists show only what the user may read; a single entity the user may not read is NotFound, like
 * a missing one; writes need Create (on the would-be entity) / Update / Delete plus the extra
 * rights of sensitive changes; every change is audited (flushed) before the caller hears of it.
 */
export class EntityService {
  constructor(
    private readonly cache: SiteCache,
    private readonly stores: RepositoryStores,
    private readonly audit: RepositoryAudit,
  ) {}

  async list(type: QrsType, q: ListQuery, access: RequestAccess): Promise<string> {
    const kind = ENTITY_KINDS[type];
    const { predicate, compare } = compileListQuery(q);
    await this.cache.load(kind.needs);
    const byId = this.cache.records(kind.resourceType);
    const snapshots: Resource[] = [];
    for (const r of byId.values()) snapshots.push(kind.snapshot(this.cache, r));
    // Rules first, then the filter, then the order (an unreadable entity never reaches the filter).
    let rows = access.prepared.filter(snapshots, 'read').map((s) => ({ s, json: this.json(kind, byId.get(s.id) as EntityMeta) }));
    if (predicate) rows = rows.filter((row) => predicate(row.json));
    if (MANAGEMENT_TYPES.has(kind.resourceType)) {
      await this.audit.record({ actor: callActor(access.ctx), action: 'access.list', outcome: 'success', target: { type: kind.resourceType, id: '*' }, details: { returned: rows.length, context: access.actor.asserted.context } });
    }
    if (q.countOnly) return JSON.stringify({ value: rows.length });
    if (compare) rows.sort((a, b) => compare(a.json, b.json));
    const out = rows.map((row) => this.shape(kind, row.json, row.s, q.full, q.privileges, access));
    return JSON.stringify(out);
  }

  async get(type: QrsType, rawId: string, privileges: boolean, access: RequestAccess): Promise<string> {
    const kind = ENTITY_KINDS[type];
    const { record, snapshot } = await this.readable(kind, rawId, access);
    return JSON.stringify(this.shape(kind, this.json(kind, record), snapshot, true, privileges, access));
  }

  /** The record and snapshot of an entity the caller may read; NotFound otherwise (missing or not). */
  async readable<R extends EntityMeta>(kind: EntityKind<R>, rawId: string, access: RequestAccess): Promise<{ record: R; snapshot: Resource }> {
    const id = parseId(rawId);
    await this.cache.load(kind.needs);
    const record = this.cache.records(kind.resourceType).get(id) as R | undefined;
    if (!record) throw notFound(kind.resourceType);
    const snapshot = kind.snapshot(this.cache, record);
    await access.requireReadable(snapshot, kind.resourceType);
    return { record, snapshot };
  }

  async create(type: QrsType, body: unknown, privileges: boolean, access: RequestAccess): Promise<string> {
    const kind = ENTITY_KINDS[type];
    await this.cache.load(kind.needs);
    const newId = randomUUID();
    const plan = await this.refusalAudited(kind, 'create', newId, access, () => kind.planCreate(body, this.writeContext(access, type), newId));
    await this.authorize(plan, plan.wouldBe, 'create', access);
    const record = await viaDb(() => plan.commit(access.actor.name));
    this.cache.putRecord(kind.resourceType, record);
    await this.changed(access, 'entity.create', kind, record.id, { after: record.modifiedDate.toISOString(), ...plan.details });
    return this.respond(kind, record, privileges, access);
  }

  async update(type: QrsType, rawId: string, body: unknown, privileges: boolean, access: RequestAccess): Promise<string> {
    const kind = ENTITY_KINDS[type];
    const { record: current, snapshot } = await this.readable(kind, rawId, access);
    kind.guardWrite?.(current, 'update');
    await access.require(snapshot, 'update');
    const seen = referencedIds(type, this.json(kind, current));
    const plan = await this.refusalAudited(kind, 'update', current.id, access, () => kind.planUpdate(body, current, this.writeContext(access, type, seen)));
    await this.authorize(plan, snapshot, null, access);
    const record = await viaDb(() => plan.commit(access.actor.name));
    this.cache.putRecord(kind.resourceType, record);
    if (kind.copiedBy) this.cache.invalidate(...kind.copiedBy);
    await this.changed(access, 'entity.update', kind, record.id, { before: current.modifiedDate.toISOString(), after: record.modifiedDate.toISOString(), ...plan.details });
    return this.respond(kind, record, privileges, access);
  }

  async delete(type: QrsType, rawId: string, access: RequestAccess): Promise<void> {
    const kind = ENTITY_KINDS[type];
    const { record, snapshot } = await this.readable(kind, rawId, access);
    kind.guardWrite?.(record, 'delete');
    await access.require(snapshot, 'delete');
    await viaDb(() => kind.remove(this.stores, record.id));
    this.cache.remove(kind.resourceType, record.id);
    if (kind.cascades) this.cache.invalidate(...kind.cascades);
    await this.changed(access, 'entity.delete', kind, record.id, { before: record.modifiedDate.toISOString() });
  }

  /** Memoised full JSON of a record: per record where the kind allows it, else dropped with every change. */
  json<R extends EntityMeta>(kind: EntityKind<R>, r: R): Json {
    const build = () => kind.json(this.cache, r);
    if (kind.jsonPerRecord === true) return this.cache.recordMemo(`json:${kind.type}`, r, kind.needs.filter((t) => t !== kind.resourceType), build);
    return this.cache.memo(`json:${kind.type}`, r.id, build);
  }

  private shape<R extends EntityMeta>(kind: EntityKind<R>, json: Json, s: Resource, full: boolean, privileges: boolean, access: RequestAccess): Json {
    const base = full ? json : pick(json, kind.condensed);
    return privileges ? { ...base, privileges: access.privileges(s) } : base;
  }

  private respond<R extends EntityMeta>(kind: EntityKind<R>, record: R, privileges: boolean, access: RequestAccess): string {
    return JSON.stringify(this.shape(kind, this.json(kind, record), kind.snapshot(this.cache, record), true, privileges, access));
  }

  private writeContext(access: RequestAccess, type: QrsType, current?: ReadonlySet<string>) {
    return { cache: this.cache, stores: this.stores, actor: access.actor, refs: new ReferenceResolver(this.cache, access, type, current) };
  }

  /** Create on the would-be entity and the extra rights of sensitive changes (references were resolved through the rules while planning). */
  private async authorize<R>(plan: WritePlan<R>, current: Resource, base: 'create' | null, access: RequestAccess): Promise<void> {
    if (base) await access.require(plan.wouldBe, base);
    for (const check of plan.checks) await access.require(check.on === 'current' ? current : check.on === 'wouldBe' ? plan.wouldBe : check.on, check.action, undefined, check.details);
  }

  /** A refused rule save is audited (security-rules.md: rules are validated, never silently skipped). */
  private async refusalAudited<R extends EntityMeta>(kind: EntityKind<R>, op: 'create' | 'update', id: string, access: RequestAccess, plan: () => WritePlan<R> | Promise<WritePlan<R>>): Promise<WritePlan<R>> {
    try {
      return await plan();
    } catch (e) {
      if (kind.resourceType === 'SystemRule' && e instanceof ServiceError && e.code === ErrorCode.InvalidArgument) {
        await this.audit.record({ actor: callActor(access.ctx), action: `entity.${op}`, outcome: 'failure', target: { type: 'SystemRule', id }, reason: e.message.slice(0, 2000), details: { field: e.field ?? null } });
      }
      throw e;
    }
  }

  private changed<R extends EntityMeta>(access: RequestAccess, action: string, kind: EntityKind<R>, id: string, details: Record<string, unknown>): Promise<void> {
    return this.audit.record({ actor: callActor(access.ctx), action, outcome: 'success', target: { type: kind.resourceType, id }, details: { ...details, context: access.actor.asserted.context } });
  }
}
