type Op<T> = { kind: 'put'; record: T } | { kind: 'remove'; id: string };

/**
 * All records of one entity type, loaded once and then kept current by the writes this process
 * makes (the repository is its database's only writer). Writes that land while a load is running
 * are queued and replayed on the loaded map in order, so a load never resurrects an older version;
 * an invalidation during a load discards the load's result.
 */
export class RecordCache<T extends { id: string }> {
  private map: Map<string, T> | undefined;
  private loading: Promise<ReadonlyMap<string, T>> | undefined;
  private queued: Op<T>[] = [];
  private stale = false;

  constructor(
    private readonly loadAll: () => Promise<T[]>,
    /** Called after every change, so derived data (snapshots, JSON) is dropped. */
    private readonly onChange: () => void,
    /**
     * Records another writer changes too (the scheduler of another repository writes execution
     * results and next run times): re-read on every load, and count as a change only when some
     * record's stamp differs, so derived data survives re-reads that found nothing new.
     */
    private readonly shared?: { stamp: (record: T) => string },
  ) {}

  get loaded(): boolean {
    return this.map !== undefined;
  }

  load(): Promise<ReadonlyMap<string, T>> {
    if (this.map && !this.shared) return Promise.resolve(this.map);
    this.loading ??= this.fetch().finally(() => {
      this.loading = undefined;
    });
    return this.loading;
  }

  /** The loaded map; only valid after load() resolved (callers load their dependencies first). */
  current(): ReadonlyMap<string, T> {
    if (!this.map) throw new Error('record cache read before load');
    return this.map;
  }

  put(record: T): void {
    this.apply({ kind: 'put', record });
  }

  remove(id: string): void {
    this.apply({ kind: 'remove', id });
  }

  /** Forget everything (cascading deletes elsewhere): the next read reloads from the database. */
  invalidate(): void {
    this.map = undefined;
    this.queued = [];
    if (this.loading) this.stale = true;
    this.onChange();
  }

  private apply(op: Op<T>): void {
    if (this.map) applyOp(this.map, op);
    else if (this.loading) this.queued.push(op);
    this.onChange();
  }

  private async fetch(): Promise<ReadonlyMap<string, T>> {
    for (;;) {
      this.stale = false;
      this.queued = [];
      const rows = await this.loadAll();
      if (this.stale) continue;
      const map = new Map(rows.map((r) => [r.id, r]));
      for (const op of this.queued) applyOp(map, op);
      this.queued = [];
      if (this.map && this.shared && sameStamps(this.map, map, this.shared.stamp)) return this.map;
      this.map = map;
      this.onChange();
      return map;
    }
  }
}

function applyOp<T extends { id: string }>(map: Map<string, T>, op: Op<T>): void {
  if (op.kind === 'put') map.set(op.record.id, op.record);
  else map.delete(op.id);
}

function sameStamps<T extends { id: string }>(a: ReadonlyMap<string, T>, b: ReadonlyMap<string, T>, stamp: (r: T) => string): boolean {
  if (a.size !== b.size) return false;
  for (const [id, r] of b) {
    const old = a.get(id);
    if (!old || stamp(old) !== stamp(r)) return false;
  }
  return true;
}
