import { QRS_BODY_REFERENCES, type QrsReference, type QrsType } from '@trustzone/contracts';
import type { CustomPropertyValue, EntityMeta } from '../db';
import type { SiteCache } from '../cache/site-cache';
import { invalid } from '../errors/service-errors';
import type { RequestAccess } from '../security/request-access';
import type { Json } from './qrs-json';
import type { ResourceType } from './qrs-types';
import { kindOfResource } from './entity-kinds';

type Ref = { id?: string | undefined; name?: string | undefined };
type UserRef = { id?: string | undefined; userId?: string | undefined; userDirectory?: string | undefined };

/**
 * The entities a request body names (an owner, an app, tags, custom property definitions, server
 * nodes), resolved through the rules before anything else is decided: a reference the caller may
 * not read is refused exactly like one that names nothing (same code, field and text; the denial is
 * audited), so a write never tells whether an unreadable entity exists. Two references need no
 * rule: what the entity already names (the caller reads it in the entity's JSON) and, for users,
 * the caller. Only fields declared in the shared table (`QRS_BODY_REFERENCES`) can be resolved.
 */
export class ReferenceResolver {
  constructor(
    private readonly cache: SiteCache,
    private readonly access: RequestAccess,
    private readonly type: QrsType,
    /** Ids the entity references now (empty for a create). */
    private readonly current: ReadonlySet<string> = new Set(),
  ) {}

  /** A user by id or by directory identity; returns its id. */
  async user(field: string, ref: UserRef): Promise<string> {
    const r = this.declared(field, 'user');
    const id = ref.id ?? (ref.userDirectory !== undefined && ref.userId !== undefined ? this.cache.userIdByIdentity(ref.userDirectory, ref.userId) : undefined);
    const self = id !== undefined && id === this.access.actor.record?.id;
    return (await this.visible(r, `body.${field}`, id, 'names no known user (give its id, or userDirectory and userId)', self)).id;
  }

  /** One entity by id. */
  async entity<R extends EntityMeta>(field: string, ref: Ref): Promise<R> {
    const r = this.declared(field, 'entity');
    return this.visible<R>(r, `body.${field}`, ref.id);
  }

  /** Entities by id; returns their ids. */
  async entities(field: string, refs: readonly Ref[]): Promise<string[]> {
    const r = this.declared(field, 'entities');
    const out: string[] = [];
    for (const [i, ref] of refs.entries()) out.push((await this.visible(r, `body.${field}.${i}`, ref.id?.toLowerCase())).id);
    return out;
  }

  /** Entities by id or by name (case-insensitive). */
  async named(field: string, refs: readonly Ref[]): Promise<{ id: string; name: string }[]> {
    const r = this.declared(field, 'named-entities');
    const out: { id: string; name: string }[] = [];
    for (const [i, ref] of refs.entries()) {
      const rec = await this.visible<EntityMeta & { name: string }>(r, `body.${field}.${i}`, await this.idOf(r.names, ref));
      out.push({ id: rec.id, name: rec.name });
    }
    return out;
  }

  /** Custom property values: each definition by id or by name. */
  async propertyValues(field: string, values: readonly { definition: Ref; value: string }[]): Promise<CustomPropertyValue[]> {
    const r = this.declared(field, 'property-values');
    const out: CustomPropertyValue[] = [];
    for (const [i, v] of values.entries()) {
      const def = await this.visible<EntityMeta & { name: string }>(r, `body.${field}.${i}.definition`, await this.idOf(r.names, v.definition));
      out.push({ definitionId: def.id, name: def.name, value: v.value });
    }
    return out;
  }

  /** A composite event's rules: each `{ reloadTask: { id } }` names a task; returns their ids in order. */
  async taskRules(field: string, rules: readonly { reloadTask: Ref }[]): Promise<string[]> {
    const r = this.declared(field, 'task-rules');
    const out: string[] = [];
    for (const [i, rule] of rules.entries()) out.push((await this.visible(r, `body.${field}.${i}.reloadTask`, rule.reloadTask.id?.toLowerCase())).id);
    return out;
  }

  private declared(field: string, shape: QrsReference['shape']): QrsReference {
    const r = QRS_BODY_REFERENCES[this.type].find((x) => x.field === field);
    // A kind resolving a field the shared table does not declare is a programming error: the
    // security tests walk only declared references, so refuse rather than resolve unseen.
    if (!r || r.shape !== shape) throw new Error(`${this.type}.${field} is not a declared ${shape} reference`);
    return r;
  }

  private async idOf(names: ResourceType, ref: Ref): Promise<string | undefined> {
    if (ref.id !== undefined) return ref.id.toLowerCase();
    if (ref.name === undefined) return undefined;
    await this.cache.load([names]);
    const want = ref.name.toLowerCase();
    for (const rec of this.cache.records(names).values()) if ((rec as { name?: string }).name?.toLowerCase() === want) return rec.id;
    return undefined;
  }

  private async visible<R extends EntityMeta>(r: QrsReference, at: string, id: string | undefined, message = `names no known ${r.what}`, exempt = false): Promise<R> {
    const fail = () => invalid(at, message);
    const kind = kindOfResource(r.names);
    await this.cache.load(kind.needs);
    const record = id === undefined ? undefined : (this.cache.records(r.names).get(id) as R | undefined);
    if (!record) throw fail();
    if (!exempt && !this.current.has(record.id)) await this.access.require(kind.snapshot(this.cache, record), 'read', fail);
    return record;
  }
}

/** The ids an entity's JSON references through its declared reference fields (what the caller already sees). */
export function referencedIds(type: QrsType, json: Json): Set<string> {
  const ids = new Set<string>();
  const add = (v: unknown) => {
    if (typeof v !== 'object' || v === null) return;
    const o = v as { id?: unknown; definition?: { id?: unknown }; reloadTask?: { id?: unknown } };
    if (typeof o.id === 'string') ids.add(o.id);
    if (typeof o.definition?.id === 'string') ids.add(o.definition.id);
    if (typeof o.reloadTask?.id === 'string') ids.add(o.reloadTask.id);
  };
  for (const r of QRS_BODY_REFERENCES[type]) {
    const v = json[r.field];
    if (Array.isArray(v)) v.forEach(add);
    else add(v);
  }
  return ids;
}
