import type { CacheItem, CacheProvider } from '@node-saml/node-saml';

/**
 * node-saml's store of AuthnRequest ids it issued (InResponseTo, SAML Profiles §4.1.4.3): bounded and
 * expiring, without the library's interval timer. A dropped id fails that one login (fail closed).
 */
export class RequestIdCache implements CacheProvider {
  private readonly items = new Map<string, CacheItem>();

  constructor(
    private readonly ttlMs = 10 * 60_000,
    private readonly max = 10_000,
    private readonly now: () => number = Date.now,
  ) {}

  saveAsync(key: string, value: string): Promise<CacheItem | null> {
    if (this.items.has(key)) return Promise.resolve(null);
    while (this.items.size >= this.max) {
      const oldest = this.items.keys().next().value;
      if (oldest === undefined) break;
      this.items.delete(oldest);
    }
    const item = { value, createdAt: this.now() };
    this.items.set(key, item);
    return Promise.resolve(item);
  }

  getAsync(key: string): Promise<string | null> {
    const item = this.items.get(key);
    if (!item) return Promise.resolve(null);
    if (this.now() - item.createdAt > this.ttlMs) {
      this.items.delete(key);
      return Promise.resolve(null);
    }
    return Promise.resolve(item.value);
  }

  removeAsync(key: string | null): Promise<string | null> {
    if (key === null) return Promise.resolve(null);
    const item = this.items.get(key);
    this.items.delete(key);
    return Promise.resolve(item?.value ?? null);
  }
}

/**
 * Assertion ids already used to log in, kept until the assertion would have expired anyway
 * (SAML Profiles §4.1.4.5: the SP must refuse a bearer assertion it has seen). Bounded: when full,
 * expired ids go first, then the oldest — an id dropped that way still cannot log in twice, since
 * its AuthnRequest id (InResponseTo) was consumed by the first use.
 */
export class SeenAssertions {
  private readonly until = new Map<string, number>();

  constructor(
    private readonly max = 100_000,
    private readonly now: () => number = Date.now,
  ) {}

  /** Records `id` until `expiresAt`; false when it was already recorded and is not yet expired. */
  firstUse(id: string, expiresAt: number): boolean {
    const now = this.now();
    const seen = this.until.get(id);
    if (seen !== undefined && seen > now) return false;
    if (this.until.size >= this.max) {
      for (const [k, t] of this.until) if (t <= now) this.until.delete(k);
      while (this.until.size >= this.max) {
        const oldest = this.until.keys().next().value;
        if (oldest === undefined) break;
        this.until.delete(oldest);
      }
    }
    this.until.delete(id);
    this.until.set(id, expiresAt);
    return true;
  }
}

/** Session id → what a SAML LogoutRequest must name (NameID and SessionIndex, SAML Core §3.7.1). */
export interface SamlSessionRef {
  prefix: string;
  nameID: string;
  nameIDFormat: string;
  sessionIndex: string | undefined;
}

export class SamlLogoutRefs {
  private readonly refs = new Map<string, SamlSessionRef>();

  constructor(private readonly max = 50_000) {}

  set(sessionId: string, ref: SamlSessionRef): void {
    if (this.refs.size >= this.max) {
      const oldest = this.refs.keys().next().value;
      if (oldest !== undefined) this.refs.delete(oldest);
    }
    this.refs.set(sessionId, ref);
  }

  take(sessionId: string): SamlSessionRef | undefined {
    const ref = this.refs.get(sessionId);
    this.refs.delete(sessionId);
    return ref;
  }

  /**
   * Sessions of this virtual proxy whose login named this NameID and, when the IdP's LogoutRequest
   * lists session indexes, one of them (SAML Core §3.7.3.2; none listed = every session of that
   * principal). A scan, not an index: it runs only on a verified LogoutRequest and the map is bounded.
   */
  find(prefix: string, nameID: string, sessionIndexes: readonly string[]): string[] {
    const out: string[] = [];
    for (const [id, ref] of this.refs) {
      if (ref.prefix !== prefix || ref.nameID !== nameID) continue;
      if (sessionIndexes.length === 0 || (ref.sessionIndex !== undefined && sessionIndexes.includes(ref.sessionIndex))) out.push(id);
    }
    return out;
  }
}
