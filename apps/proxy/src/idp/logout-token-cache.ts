/** A logout token older than this is refused, so the replay cache need keep a jti only this long. */
export const MAX_TOKEN_AGE_S = 300;
export const CLOCK_TOLERANCE_S = 30;

/** `iss` + `jti` of logout tokens already used, kept until too old to pass `MAX_TOKEN_AGE_S`. */
export class SeenLogoutTokens {
  private readonly seen = new Map<string, number>();

  constructor(private readonly max = 10_000, private readonly now: () => number = Date.now) {}

  /** True the first time; false for a replay — and, fail closed, when the cache is full of live entries. */
  firstUse(iss: string, jti: string): boolean {
    const key = `${iss}\u0000${jti}`;
    const now = this.now();
    if ((this.seen.get(key) ?? 0) > now) return false;
    if (this.seen.size >= this.max) {
      for (const [k, until] of this.seen) if (until <= now) this.seen.delete(k);
      if (this.seen.size >= this.max) return false;
    }
    this.seen.set(key, now + (MAX_TOKEN_AGE_S + 2 * CLOCK_TOLERANCE_S) * 1000);
    return true;
  }
}

