import { clientSource } from '../edge/client-source';
import type { AuditSink, ProxyAuditEvent } from './proxy-audit';

/**
 * Events that anyone can cause before logging in (refused requests and upgrades, ignored identity
 * headers, failed logins, anonymous session starts) are not written one record each: a loop of
 * anonymous requests would otherwise fill the audit trail the repository needs. They are counted per
 * source, event and interval, and each such group becomes one record with its count, written at the
 * end of the interval (and at shutdown). Memory is bounded: past `maxGroups` groups in one interval,
 * new sources are counted together under source `*`.
 */
export interface AggregatedEvent {
  action: string;
  outcome: ProxyAuditEvent['outcome'];
  /** A code or a fixed text: it is part of the grouping key, so never request-controlled text. */
  reason: string;
  door: string;
  ip: string;
  user?: string;
  virtualProxy?: string;
}

export interface AuditAggregatorOptions {
  intervalMs: number;
  maxGroups?: number;
  now?: () => number;
  onFlushError?: (error: unknown, lost: number) => void;
}

interface Group {
  event: Omit<AggregatedEvent, 'ip'> & { source: string };
  count: number;
  from: number;
  to: number;
}

export const OTHER_SOURCES = '*';
const FLUSH_CONCURRENCY = 16;

export class AuditAggregator {
  private groups = new Map<string, Group>();
  private timer: NodeJS.Timeout | undefined;
  private readonly maxGroups: number;
  private readonly now: () => number;

  constructor(
    private readonly sink: AuditSink,
    private readonly options: AuditAggregatorOptions,
  ) {
    this.maxGroups = options.maxGroups ?? 1_000;
    this.now = options.now ?? Date.now;
  }

  /** Counts one event; O(1), no I/O. */
  note(e: AggregatedEvent): void {
    let source = clientSource(e.ip);
    let key = groupKey(e, source);
    let group = this.groups.get(key);
    if (!group && this.groups.size >= this.maxGroups) {
      source = OTHER_SOURCES;
      key = groupKey(e, source);
      group = this.groups.get(key);
    }
    const at = this.now();
    if (group) {
      group.count += 1;
      group.to = at;
      return;
    }
    const { ip: _ip, ...rest } = e;
    this.groups.set(key, { event: { ...rest, source }, count: 1, from: at, to: at });
  }

  /** Writes one record per group and starts a new interval. Groups whose write failed are kept. */
  async flush(): Promise<void> {
    if (this.groups.size === 0) return;
    const pending = [...this.groups.values()];
    this.groups = new Map();
    for (let i = 0; i < pending.length; i += FLUSH_CONCURRENCY) {
      const batch = pending.slice(i, i + FLUSH_CONCURRENCY);
      const results = await Promise.allSettled(batch.map((g) => this.sink.record(recordOf(g))));
      results.forEach((r, j) => {
        if (r.status === 'rejected') this.keep(batch[j] as Group, r.reason);
      });
    }
  }

  start(): void {
    this.timer = setInterval(() => void this.flush(), this.options.intervalMs);
    this.timer.unref();
  }

  /** Stops the timer and writes what was counted so far. */
  async close(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
    await this.flush();
  }

  get size(): number {
    return this.groups.size;
  }

  /** A group that could not be written goes back, merged with the new interval's (bounded). */
  private keep(g: Group, error: unknown): void {
    const key = groupKey(g.event, g.event.source);
    const current = this.groups.get(key);
    if (current) {
      current.count += g.count;
      current.from = Math.min(current.from, g.from);
    } else if (this.groups.size < this.maxGroups) {
      this.groups.set(key, g);
    } else {
      this.options.onFlushError?.(error, g.count);
      return;
    }
    this.options.onFlushError?.(error, 0);
  }
}

function groupKey(e: Omit<AggregatedEvent, 'ip'>, source: string): string {
  return [e.action, e.outcome, e.reason, e.door, source, e.user ?? '', e.virtualProxy ?? ''].join('\u0000');
}

/** Every aggregated record has the same details keys, whatever door or step it came from. */
function recordOf(g: Group): ProxyAuditEvent {
  const { action, outcome, reason, user, door, virtualProxy, source } = g.event;
  return {
    action,
    outcome,
    reason,
    ...(user === undefined ? {} : { user }),
    details: { source, door, virtualProxy: virtualProxy ?? null, count: g.count, from: new Date(g.from).toISOString(), to: new Date(g.to).toISOString() },
  };
}
