import { randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';

/**
 * Test support for the Redis suites (they run only when TZ_TEST_REDIS_URL is set): connections that
 * stand for separate proxies, and a unique key prefix per run that is deleted afterwards.
 */
export const redisUrl = process.env['TZ_TEST_REDIS_URL'];

export function connectRedis(): Redis {
  if (!redisUrl) throw new Error('TZ_TEST_REDIS_URL is not set');
  return new Redis(redisUrl, { maxRetriesPerRequest: 1, lazyConnect: false });
}

export function uniqueKeyPrefix(): string {
  return `tz:test:${randomUUID()}:`;
}

export async function deleteKeys(redis: Redis, prefix: string): Promise<void> {
  let cursor = '0';
  do {
    const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}*`, 'COUNT', 500);
    if (keys.length > 0) await redis.del(...keys);
    cursor = next;
  } while (cursor !== '0');
}
