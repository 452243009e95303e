import type { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RedisSessionStore } from './redis-session-store';
import { connectRedis, deleteKeys, redisUrl, uniqueKeyPrefix } from './redis-test-support';
import { alice, policy, recordEnded, sessionStoreContract } from './session-store.contract';

describe.skipIf(!redisUrl)('RedisSessionStore (real Redis)', () => {
  // Two connections, as two proxies would have; each store also opens its own subscriber connection.
  let connA: Redis;
  let connB: Redis;
  const prefixes: string[] = [];
  beforeAll(() => {
    connA = connectRedis();
    connB = connectRedis();
  });
  afterAll(async () => {
    for (const p of prefixes) await deleteKeys(connA, p);
    connA.disconnect();
    connB.disconnect();
  });

  async function pair() {
    let now = 1_000_000;
    const keyPrefix = uniqueKeyPrefix();
    prefixes.push(keyPrefix);
    const clock = () => now;
    const a = await RedisSessionStore.connect({ redis: connA, keyPrefix, now: clock, sweepIntervalMs: 0 });
    const b = await RedisSessionStore.connect({ redis: connB, keyPrefix, now: clock, sweepIntervalMs: 0 });
    return { a, b, keyPrefix, advance: (ms: number) => (now += ms), close: async () => void (await Promise.all([a.close(), b.close()])) };
  }

  describe('contract', () => {
    sessionStoreContract(async () => {
      const p = await pair();
      await p.b.close();
      return { store: p.a, advance: p.advance, cleanup: () => p.a.close() };
    });
  });

  it('a session made on one proxy is found on the other, with its sliding clock shared', async () => {
    const p = await pair();
    try {
      const r = await p.a.create(alice(), policy());
      if (r.kind !== 'created') throw new Error('not created');
      expect(await p.b.get(r.session.id)).toMatchObject({ id: r.session.id, userId: 'alice', csrfToken: r.session.csrfToken });
      p.advance(25 * 60_000);
      expect(await p.b.get(r.session.id)).not.toBeNull();
      p.advance(25 * 60_000);
      // Last used on b 25 minutes ago: still alive on a.
      expect(await p.a.get(r.session.id)).not.toBeNull();
    } finally {
      await p.close();
    }
  });

  it('logout on one proxy fires onEnded on the other (and on itself)', async () => {
    const p = await pair();
    try {
      const onA = recordEnded(p.a);
      const onB = recordEnded(p.b);
      const r = await p.a.create(alice(), policy());
      if (r.kind !== 'created') throw new Error('not created');
      expect(await p.b.delete(r.session.id)).toBe(true);
      expect(await onA.waitFor(1)).toEqual([[r.session.id, 'logout']]);
      expect(await onB.waitFor(1)).toEqual([[r.session.id, 'logout']]);
      expect(await p.a.get(r.session.id)).toBeNull();
    } finally {
      await p.close();
    }
  });

  it('a timeout found by one proxy sweep and an eviction on the other are announced to both', async () => {
    const p = await pair();
    try {
      const onA = recordEnded(p.a);
      const idle = await p.a.create(alice('x'), policy());
      p.advance(31 * 60_000);
      expect(await p.b.sweep()).toBe(1);
      const first = await p.b.create(alice(), policy(1));
      const second = await p.a.create(alice(), policy(1));
      if (idle.kind !== 'created' || first.kind !== 'created' || second.kind !== 'created') throw new Error('not created');
      expect(second.evicted).toEqual([first.session.id]);
      expect(await onA.waitFor(2)).toEqual([[idle.session.id, 'timeout'], [first.session.id, 'evicted']]);
    } finally {
      await p.close();
    }
  });

  it('concurrent logins from two proxies cannot exceed a refuse limit', async () => {
    const p = await pair();
    try {
      const attempts = Array.from({ length: 12 }, (_, i) => (i % 2 ? p.a : p.b).create(alice(), policy(3, 'refuse')));
      const results = await Promise.all(attempts);
      expect(results.filter((r) => r.kind === 'created')).toHaveLength(3);
      expect(await p.a.countByUser('', 'CORP', 'alice')).toBe(3);
    } finally {
      await p.close();
    }
  });

  it('treats a tampered stored session as absent', async () => {
    const p = await pair();
    try {
      const r = await p.a.create(alice(), policy());
      if (r.kind !== 'created') throw new Error('not created');
      await connA.hset(`${p.keyPrefix}session:${r.session.id}`, 'data', JSON.stringify({ id: r.session.id, userId: 42 }));
      expect(await p.b.get(r.session.id)).toBeNull();
    } finally {
      await p.close();
    }
  });

  it('ignores malformed messages on the channel', async () => {
    const p = await pair();
    try {
      const onA = recordEnded(p.a);
      await connB.publish(`${p.keyPrefix}session-ended`, 'not json');
      await connB.publish(`${p.keyPrefix}session-ended`, JSON.stringify({ id: 'x', reason: 'hacked' }));
      await connB.publish(`${p.keyPrefix}session-ended`, JSON.stringify({ id: 'y', reason: 'logout' }));
      expect(await onA.waitFor(1)).toEqual([['y', 'logout']]);
    } finally {
      await p.close();
    }
  });
});
