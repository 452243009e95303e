import { describe, expect, it } from 'vitest';
import { TokenBucketLimiter } from './token-bucket-limiter';

function clock() {
  let t = 0;
  return { now: () => t, advance: (ms: number) => (t += ms) };
}

describe('TokenBucketLimiter', () => {
  it('allows a burst, then refuses with the time until the next token', () => {
    const c = clock();
    const limiter = new TokenBucketLimiter({ ratePerSecond: 0.5, burst: 3, now: c.now });
    for (let i = 0; i < 3; i++) expect(limiter.take('ip:a').allowed).toBe(true);
    expect(limiter.take('ip:a')).toEqual({ allowed: false, retryAfterSeconds: 2 });
    c.advance(2000);
    expect(limiter.take('ip:a').allowed).toBe(true);
    expect(limiter.take('ip:a').allowed).toBe(false);
  });

  it('refills at the configured rate, never above the burst', () => {
    const c = clock();
    const limiter = new TokenBucketLimiter({ ratePerSecond: 10, burst: 5, now: c.now });
    for (let i = 0; i < 5; i++) limiter.take('k');
    c.advance(60_000);
    let allowed = 0;
    while (limiter.take('k').allowed) allowed++;
    expect(allowed).toBe(5);
  });

  it('keeps keys independent', () => {
    const limiter = new TokenBucketLimiter({ ratePerSecond: 1, burst: 1, now: clock().now });
    expect(limiter.take('ip:a').allowed).toBe(true);
    expect(limiter.take('ip:a').allowed).toBe(false);
    expect(limiter.take('ip:b').allowed).toBe(true);
    expect(limiter.take('user:CORP\\alice').allowed).toBe(true);
  });

  it('bounds memory: idle full buckets are dropped, and the cap evicts least recently used', () => {
    const c = clock();
    const limiter = new TokenBucketLimiter({ ratePerSecond: 1, burst: 2, maxBuckets: 100, now: c.now });
    for (let i = 0; i < 100; i++) limiter.take(`k${i}`);
    expect(limiter.size).toBe(100);
    c.advance(2000);
    limiter.take('fresh');
    expect(limiter.size).toBe(1);
    for (let i = 0; i < 10_000; i++) limiter.take(`flood${i}`);
    expect(limiter.size).toBeLessThanOrEqual(100);
  });

  it('refuses nonsense settings', () => {
    expect(() => new TokenBucketLimiter({ ratePerSecond: 0, burst: 1 })).toThrow();
    expect(() => new TokenBucketLimiter({ ratePerSecond: 1, burst: 0 })).toThrow();
  });
});
