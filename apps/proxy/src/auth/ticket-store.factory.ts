import type { Redis } from 'ioredis';
import { RedisTicketStore } from './redis-ticket-store';
import { MemoryTicketStore } from './ticket-store';
import type { TicketStore, TicketStoreOptions } from './ticket-store';

/** Memory by default; Redis (shared between proxies) when a client is given. */
export function createTicketStore(options: TicketStoreOptions & { redis?: Redis; keyPrefix?: string } = {}): TicketStore {
  const { redis, ...rest } = options;
  return redis ? new RedisTicketStore({ ...rest, redis }) : new MemoryTicketStore(rest);
}
