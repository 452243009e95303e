import { randomUUID } from 'node:crypto';

/**
 * Where an unauthenticated browser was going when the proxy sent it to the login portal (Qlik's
 * authentication-module redirect, "targetId"). The portal hands the id back in its ticket request
 * and gets the address (TargetUri) to send the browser back to.
 *
 * Ids are random (UUID, 122 bits), single use, expire after `ttlMs`, and belong to one virtual
 * proxy. The store is bounded: expired targets go first, then the oldest (a flood of unauthenticated
 * visits can only cost someone their deep link, never memory). Kept in this proxy's memory: the
 * portal is told this proxy's own REST URI (proxyRestUri), so its ticket request comes back here.
 */
export interface LoginTargetStoreOptions {
  ttlMs: number;
  maxEntries: number;
  now?: () => number;
}

interface Target {
  prefix: string;
  uri: string;
  expiresAt: number;
}

export class LoginTargetStore {
  private readonly targets = new Map<string, Target>();
  private readonly now: () => number;

  constructor(private readonly o: LoginTargetStoreOptions) {
    this.now = o.now ?? Date.now;
  }

  get size(): number {
    return this.targets.size;
  }

  /** Remembers `uri` (an absolute URL on this proxy, built by the caller) and returns its id. */
  add(prefix: string, uri: string): string {
    this.sweep();
    while (this.targets.size >= this.o.maxEntries) {
      const oldest = this.targets.keys().next().value as string;
      this.targets.delete(oldest);
    }
    const id = randomUUID();
    this.targets.set(id, { prefix, uri, expiresAt: this.now() + this.o.ttlMs });
    return id;
  }

  /** The target's URI, once: a used, expired, unknown or other-virtual-proxy id gives null. */
  take(prefix: string, id: string): string | null {
    const t = this.targets.get(id);
    if (!t) return null;
    this.targets.delete(id);
    if (t.prefix !== prefix || t.expiresAt <= this.now()) return null;
    return t.uri;
  }

  /** Insertion order is expiry order (one TTL for all), so the sweep stops at the first live one. */
  private sweep(): void {
    const now = this.now();
    for (const [id, t] of this.targets) {
      if (t.expiresAt > now) return;
      this.targets.delete(id);
    }
  }
}
