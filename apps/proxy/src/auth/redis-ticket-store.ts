import type { Redis } from 'ioredis';
import { z } from 'zod';
import { EdgeError, EdgeErrorCode } from '../edge/edge.error';
import { RedisScript } from '../session/redis-script';
import { DEFAULT_MAX_OUTSTANDING_TICKETS, TICKET_TTL_MS, isTicketShaped, newTicket, ticketCapacityError } from './ticket-store';
import type { TicketBody, TicketStore, TicketStoreOptions } from './ticket-store';

/**
 * Tickets in Redis so a portal can issue on one proxy and the browser redeem on another. Issue and
 * redeem are Lua scripts: the capacity check + insert, and read + delete, each run atomically, so two
 * proxies redeeming the same ticket at once get exactly one winner. Expiry is decided with the
 * injected clock (the stored expiresAt), the Redis TTL only reclaims memory.
 */
const ISSUE = new RedisScript(`
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', ARGV[1])
if redis.call('ZCARD', KEYS[1]) >= tonumber(ARGV[4]) then return 0 end
redis.call('ZADD', KEYS[1], ARGV[2], ARGV[6])
redis.call('SET', KEYS[2], ARGV[5], 'PX', ARGV[3])
return 1`);

const REDEEM = new RedisScript(`
local v = redis.call('GET', KEYS[2])
if not v then return false end
redis.call('DEL', KEYS[2])
redis.call('ZREM', KEYS[1], ARGV[1])
return v`);

// Stored data is still input: another process wrote it. Validate before trusting.
const storedSchema = z.object({
  expiresAt: z.number(),
  body: z.object({
    userDirectory: z.string(),
    userId: z.string(),
    attributes: z.record(z.string(), z.array(z.string())),
    targetId: z.string().optional(),
    prefix: z.string(),
  }),
});

export interface RedisTicketStoreOptions extends TicketStoreOptions {
  redis: Redis;
  /** Namespace for this site's keys, e.g. `tz:site1:`. */
  keyPrefix?: string;
}

export class RedisTicketStore implements TicketStore {
  private readonly redis: Redis;
  private readonly indexKey: string;
  private readonly keyPrefix: string;
  private readonly now: () => number;
  private readonly ttlMs: number;
  private readonly max: number;

  constructor(options: RedisTicketStoreOptions) {
    this.redis = options.redis;
    this.keyPrefix = options.keyPrefix ?? 'tz:proxy:';
    this.indexKey = `${this.keyPrefix}tickets`;
    this.now = options.now ?? Date.now;
    this.ttlMs = options.ttlMs ?? TICKET_TTL_MS;
    this.max = options.maxOutstanding ?? DEFAULT_MAX_OUTSTANDING_TICKETS;
  }

  async issue(body: TicketBody): Promise<string> {
    const ticket = newTicket();
    const now = this.now();
    const expiresAt = now + this.ttlMs;
    const value = JSON.stringify({ expiresAt, body });
    const ok = await this.call(() => ISSUE.run(this.redis, [this.indexKey, this.ticketKey(ticket)], [now, expiresAt, this.ttlMs, this.max, value, ticket]));
    if (ok !== 1) throw ticketCapacityError();
    return ticket;
  }

  async redeem(ticket: string): Promise<TicketBody | null> {
    if (!isTicketShaped(ticket)) return null;
    const raw = await this.call(() => REDEEM.run(this.redis, [this.indexKey, this.ticketKey(ticket)], [ticket]));
    if (typeof raw !== 'string') return null;
    let parsed: unknown;
    try {
      parsed = JSON.parse(raw);
    } catch {
      return null;
    }
    const stored = storedSchema.safeParse(parsed);
    if (!stored.success || this.now() >= stored.data.expiresAt) return null;
    return stored.data.body;
  }

  private ticketKey(ticket: string): string {
    return `${this.keyPrefix}ticket:${ticket}`;
  }

  private async call<T>(op: () => Promise<T>): Promise<T> {
    try {
      return await op();
    } catch (e) {
      throw new EdgeError(EdgeErrorCode.StoreUnavailable, 'ticket store unavailable', { cause: e, internalDetail: e instanceof Error ? e.message : String(e) });
    }
  }
}
