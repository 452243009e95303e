import type { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EdgeError, EdgeErrorCode } from '../edge/edge.error';
import { connectRedis, deleteKeys, redisUrl, uniqueKeyPrefix } from '../session/redis-test-support';
import { RedisTicketStore } from './redis-ticket-store';
import type { TicketBody } from './ticket-store';

const body: TicketBody = { userDirectory: 'CORP', userId: 'alice', attributes: { group: ['Sales', 'EMEA'] }, targetId: 't-1', prefix: 'tkt' };

describe.skipIf(!redisUrl)('RedisTicketStore (real Redis)', () => {
  let a: Redis;
  let b: Redis;
  const keyPrefix = uniqueKeyPrefix();

  beforeAll(() => {
    a = connectRedis();
    b = connectRedis();
  });
  afterAll(async () => {
    await deleteKeys(a, keyPrefix);
    a.disconnect();
    b.disconnect();
  });

  it('a ticket issued on one proxy is redeemed once on another', async () => {
    const issuer = new RedisTicketStore({ redis: a, keyPrefix });
    const redeemer = new RedisTicketStore({ redis: b, keyPrefix });
    const t = await issuer.issue(body);
    expect(await redeemer.redeem(t)).toEqual(body);
    expect(await redeemer.redeem(t)).toBeNull();
    expect(await issuer.redeem(t)).toBeNull();
  });

  it('concurrent redemptions from two connections: exactly one wins, every time', async () => {
    const s1 = new RedisTicketStore({ redis: a, keyPrefix });
    const s2 = new RedisTicketStore({ redis: b, keyPrefix });
    for (let round = 0; round < 20; round++) {
      const t = await s1.issue(body);
      const results = await Promise.all([s1.redeem(t), s2.redeem(t), s1.redeem(t), s2.redeem(t)]);
      expect(results.filter((r) => r !== null)).toHaveLength(1);
    }
  });

  it('refuses a 61 s old ticket by the injected clock and accepts a 59 s old one', async () => {
    let now = 5_000_000;
    const store = new RedisTicketStore({ redis: a, keyPrefix, now: () => now });
    const young = await store.issue(body);
    const old = await store.issue(body);
    now += 59_000;
    expect(await store.redeem(young)).toEqual(body);
    now += 2_000;
    expect(await store.redeem(old)).toBeNull();
  });

  it('bounds outstanding tickets across proxies and frees slots as they expire', async () => {
    let now = 9_000_000;
    const prefix = uniqueKeyPrefix();
    const s1 = new RedisTicketStore({ redis: a, keyPrefix: prefix, now: () => now, maxOutstanding: 2 });
    const s2 = new RedisTicketStore({ redis: b, keyPrefix: prefix, now: () => now, maxOutstanding: 2 });
    try {
      await s1.issue(body);
      await s2.issue(body);
      const err = await s1.issue(body).catch((e: unknown) => e);
      expect((err as EdgeError).code).toBe(EdgeErrorCode.TicketCapacity);
      now += 60_001;
      await expect(s2.issue(body)).resolves.toMatch(/^[A-Za-z0-9_-]{32}$/);
    } finally {
      await deleteKeys(a, prefix);
    }
  });

  it('treats a tampered stored value as no ticket', async () => {
    const store = new RedisTicketStore({ redis: a, keyPrefix });
    const t = await store.issue(body);
    await a.set(`${keyPrefix}ticket:${t}`, JSON.stringify({ expiresAt: Date.now() + 60_000, body: { userId: 42 } }));
    expect(await store.redeem(t)).toBeNull();
  });

  it('reports an unreachable Redis as StoreUnavailable, not as a bad ticket', async () => {
    const dead = connectRedis();
    dead.disconnect();
    const store = new RedisTicketStore({ redis: dead, keyPrefix });
    const err = await store.redeem('a'.repeat(32)).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(EdgeError);
    expect((err as EdgeError).code).toBe(EdgeErrorCode.StoreUnavailable);
  });
});
