/**
 * A bound on the anonymous sessions this proxy holds at once. Every anonymous visitor is a user of
 * its own, so the per-user session limit never applies to them: without this cap a loop of
 * cookie-less requests to a virtual proxy with anonymous access fills the session store.
 *
 * A place is reserved before the session is created and confirmed with its id (so concurrent logins
 * cannot overshoot), and given back when the store announces the session's end (logout, timeout,
 * eviction). With a shared Redis store each proxy counts the anonymous sessions it started.
 */
export class AnonymousSessionCap {
  private readonly ids = new Set<string>();
  private reserved = 0;

  constructor(readonly max: number) {
    if (!Number.isInteger(max) || max < 0) throw new RangeError('max must be a non-negative integer');
  }

  /** True when a place was reserved; call `confirm` or `release` exactly once afterwards. */
  reserve(): boolean {
    if (this.ids.size + this.reserved >= this.max) return false;
    this.reserved += 1;
    return true;
  }

  confirm(sessionId: string): void {
    this.reserved -= 1;
    this.ids.add(sessionId);
  }

  release(): void {
    this.reserved -= 1;
  }

  /** The store ended a session (any reason); a no-op for sessions this cap does not hold. */
  ended(sessionId: string): void {
    this.ids.delete(sessionId);
  }

  get size(): number {
    return this.ids.size + this.reserved;
  }
}
