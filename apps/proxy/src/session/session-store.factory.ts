import type { Redis } from 'ioredis';
import { MemorySessionStore } from './memory-session-store';
import { RedisSessionStore } from './redis-session-store';
import type { SessionStore } from './session-store';

export interface SessionStoreFactoryOptions {
  redis?: Redis;
  keyPrefix?: string;
  now?: () => number;
  sweepIntervalMs?: number;
  onListenerError?: (error: unknown) => void;
}

/** Memory for a single proxy; Redis when a client is given (sessions shared between proxies). */
export async function createSessionStore(options: SessionStoreFactoryOptions = {}): Promise<SessionStore> {
  const { redis, ...rest } = options;
  return redis ? RedisSessionStore.connect({ ...rest, redis }) : new MemorySessionStore(rest);
}
