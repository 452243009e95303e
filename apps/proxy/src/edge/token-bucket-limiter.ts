/**
 * Token buckets keyed by client IP or user. Memory is bounded: a bucket that has refilled completely
 * is the same as no bucket, so idle buckets are dropped lazily; at `maxBuckets` the least recently used
 * bucket is dropped (a map's insertion order, refreshed on use, is that LRU order).
 */
export interface TokenBucketOptions {
  /** Tokens added per second. */
  ratePerSecond: number;
  /** Bucket capacity: the largest burst allowed after idling. */
  burst: number;
  maxBuckets?: number;
  now?: () => number;
}

export type TakeResult = { allowed: true; remaining: number } | { allowed: false; retryAfterSeconds: number };

interface Bucket {
  tokens: number;
  updatedAt: number;
}

export class TokenBucketLimiter {
  private readonly buckets = new Map<string, Bucket>();
  private readonly rate: number;
  private readonly burst: number;
  private readonly maxBuckets: number;
  private readonly now: () => number;
  /** Milliseconds after which an untouched bucket is full again (and can be forgotten). */
  private readonly refillMs: number;

  constructor(options: TokenBucketOptions) {
    if (!(options.ratePerSecond > 0) || !(options.burst >= 1)) throw new RangeError('rate must be > 0 and burst ≥ 1');
    this.rate = options.ratePerSecond;
    this.burst = options.burst;
    this.maxBuckets = options.maxBuckets ?? 100_000;
    this.now = options.now ?? Date.now;
    this.refillMs = (this.burst / this.rate) * 1000;
  }

  take(key: string, cost = 1): TakeResult {
    const now = this.now();
    const bucket = this.refilled(key, now);
    if (bucket.tokens >= cost) {
      bucket.tokens -= cost;
      return { allowed: true, remaining: Math.floor(bucket.tokens) };
    }
    return { allowed: false, retryAfterSeconds: Math.max(1, Math.ceil((cost - bucket.tokens) / this.rate)) };
  }

  get size(): number {
    return this.buckets.size;
  }

  private refilled(key: string, now: number): Bucket {
    const existing = this.buckets.get(key);
    let bucket: Bucket;
    if (existing) {
      this.buckets.delete(key);
      const elapsed = Math.max(0, now - existing.updatedAt) / 1000;
      bucket = { tokens: Math.min(this.burst, existing.tokens + elapsed * this.rate), updatedAt: now };
    } else {
      bucket = { tokens: this.burst, updatedAt: now };
      this.evict(now);
    }
    this.buckets.set(key, bucket);
    return bucket;
  }

  private evict(now: number): void {
    // Oldest-used first: drop every bucket idle long enough to be full, then LRU if still at the cap.
    for (const [key, b] of this.buckets) {
      if (now - b.updatedAt < this.refillMs) break;
      this.buckets.delete(key);
    }
    while (this.buckets.size >= this.maxBuckets) {
      const oldest = this.buckets.keys().next();
      if (oldest.done) break;
      this.buckets.delete(oldest.value);
    }
  }
}
