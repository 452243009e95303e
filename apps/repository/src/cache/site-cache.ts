import type {
  AppObjectRecord,
  AppRecord,
  CustomPropertyDefinitionRecord,
  DataConnectionRecord,
  EntityMeta,
  RepositoryStores,
  SecurityRuleRecord,
  ServerNodeRecord,
  StreamRecord,
  TagRecord,
  UserRecord,
  VirtualProxyRecord,
  ReloadTaskRecord,
  SchemaEventRecord,
  CompositeEventRecord,
  ExecutionResultRecord,
  UserDirectoryRecord,
} from '../db';
import { identityKey } from '../db';
import type { ResourceType } from '../entities/qrs-types';
import { RecordCache } from './record-cache';

/** Record type of each resource type. */
export interface RecordOf {
  App: AppRecord;
  'App.Object': AppObjectRecord;
  Stream: StreamRecord;
  User: UserRecord;
  SystemRule: SecurityRuleRecord;
  CustomPropertyDefinition: CustomPropertyDefinitionRecord;
  Tag: TagRecord;
  DataConnection: DataConnectionRecord;
  VirtualProxyConfig: VirtualProxyRecord;
  ServerNodeConfiguration: ServerNodeRecord;
  ReloadTask: ReloadTaskRecord;
  SchemaEvent: SchemaEventRecord;
  CompositeEvent: CompositeEventRecord;
  ExecutionResult: ExecutionResultRecord;
  UserDirectory: UserDirectoryRecord;
}

type Caches = { [K in ResourceType]: RecordCache<RecordOf[K]> };

/**
 * Every entity the rules and the `/qrs` shapes read, held in memory: listing 10,000 apps must
 * not reload 10,000 apps with owners and streams per request. Derived values (rule snapshots,
 * JSON shapes, the identity index) are memoised per version and dropped on any change, since
 * snapshots embed related entities (an app's stream and owner).
 */
export class SiteCache {
  private readonly caches: Caches;
  private derivedVersion = 0;
  private readonly memos = new Map<string, Map<string, unknown>>();
  /** Changes seen per type (recordMemo's validity). */
  private readonly typeVersions = new Map<ResourceType, number>();
  private readonly recordMemos = new WeakMap<object, Map<string, { modified: number; reads: number; value: unknown }>>();
  private identityIndex: Map<string, string> | undefined;
  private readonly listeners: ((type: ResourceType) => void)[] = [];

  constructor(stores: RepositoryStores) {
    const make = <K extends ResourceType>(type: K, load: () => Promise<RecordOf[K][]>, stamp?: (r: RecordOf[K]) => string): RecordCache<RecordOf[K]> =>
      new RecordCache<RecordOf[K]>(load, () => this.changed(type), stamp ? { stamp } : undefined);
    const modified = (r: EntityMeta) => String(r.modifiedDate.getTime());
    this.caches = {
      App: make('App', () => stores.apps.list()),
      'App.Object': make('App.Object', () => stores.appObjects.list()),
      Stream: make('Stream', () => stores.streams.list()),
      User: make('User', () => stores.users.list()),
      SystemRule: make('SystemRule', () => stores.securityRules.list()),
      CustomPropertyDefinition: make('CustomPropertyDefinition', () => stores.customPropertyDefinitions.list()),
      Tag: make('Tag', () => stores.tags.list()),
      DataConnection: make('DataConnection', () => stores.dataConnections.list()),
      VirtualProxyConfig: make('VirtualProxyConfig', () => stores.virtualProxies.list()),
      ServerNodeConfiguration: make('ServerNodeConfiguration', () => stores.serverNodes.list()),
      // The scheduler (possibly in another repository of the site) writes these: always re-read.
      ReloadTask: make('ReloadTask', () => stores.reloadTasks.list(), modified),
      SchemaEvent: make('SchemaEvent', () => stores.schemaEvents.list(), (r) => `${modified(r)}:${r.nextExecution?.getTime() ?? ''}:${r.lastExecution?.getTime() ?? ''}`),
      CompositeEvent: make('CompositeEvent', () => stores.compositeEvents.list(), modified),
      ExecutionResult: make('ExecutionResult', () => stores.executionResults.list(), modified),
      UserDirectory: make('UserDirectory', () => stores.userDirectories.list()),
    };
  }

  /** Loads the given types (once); afterwards `records()` answers synchronously. */
  async load(types: readonly ResourceType[]): Promise<void> {
    await Promise.all(types.map((t) => this.caches[t].load()));
  }

  records<K extends ResourceType>(type: K): ReadonlyMap<string, RecordOf[K]> {
    return this.caches[type].current();
  }

  put<K extends ResourceType>(type: K, record: RecordOf[K]): void {
    this.caches[type].put(record);
  }

  /** put() for callers that hold a record of a type known only at run time (the generic entity service). */
  putRecord(type: ResourceType, record: EntityMeta): void {
    (this.caches[type] as unknown as RecordCache<EntityMeta>).put(record);
  }

  remove(type: ResourceType, id: string): void {
    this.caches[type].remove(id);
  }

  invalidate(...types: ResourceType[]): void {
    for (const t of types) this.caches[t].invalidate();
  }

  /** Called with the type after every change (the rule engine recompiles on SystemRule). */
  onChange(listener: (type: ResourceType) => void): void {
    this.listeners.push(listener);
  }

  /** A value derived from cached records, memoised until the next change anywhere. */
  memo<V>(space: string, key: string, build: () => V): V {
    let m = this.memos.get(space);
    if (!m) {
      m = new Map();
      this.memos.set(space, m);
    }
    if (m.has(key)) return m.get(key) as V;
    const v = build();
    m.set(key, v);
    return v;
  }

  /**
   * A value derived from one record and from records of the `reads` types, kept with the record
   * object until a record of one of those types changes. Writes replace a cached record with a new
   * object (RecordCache.put), never change one in place, so the record's own changes need no
   * version; its modifiedDate is checked too, in case one ever does. Unlike memo(), a change to
   * another record of the record's own type keeps the value: callers use it only for values that
   * read no other record of that type.
   */
  recordMemo<V>(space: string, record: { modifiedDate: Date }, reads: readonly ResourceType[], build: () => V): V {
    const modified = record.modifiedDate.getTime();
    // Versions only grow, so their sum changes whenever one of them does: one number to compare
    // (a list calls this once per app; building a string stamp each time cost as much as the JSON).
    let versions = 0;
    for (const t of reads) versions += this.typeVersions.get(t) ?? 0;
    let m = this.recordMemos.get(record);
    const hit = m?.get(space);
    if (hit !== undefined && hit.modified === modified && hit.reads === versions) return hit.value as V;
    const value = build();
    if (m === undefined) this.recordMemos.set(record, (m = new Map()));
    m.set(space, { modified, reads: versions, value });
    return value;
  }

  get version(): number {
    return this.derivedVersion;
  }

  /** User id by directory identity (case-insensitive); the User cache must be loaded. */
  userIdByIdentity(userDirectory: string, userId: string): string | undefined {
    if (!this.identityIndex) {
      this.identityIndex = new Map();
      for (const u of this.records('User').values()) this.identityIndex.set(identityKey(u.userDirectory, u.userId), u.id);
    }
    return this.identityIndex.get(identityKey(userDirectory, userId));
  }

  private changed(type: ResourceType): void {
    this.derivedVersion++;
    this.typeVersions.set(type, (this.typeVersions.get(type) ?? 0) + 1);
    this.memos.clear();
    this.identityIndex = undefined;
    for (const l of this.listeners) l(type);
  }
}
