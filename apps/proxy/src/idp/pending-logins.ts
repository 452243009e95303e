import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';

/**
 * Logins sent to an identity provider and not yet back: keyed by the OAuth `state`, single use,
 * short-lived and bounded (the oldest is dropped when full, so a flood of started logins costs only
 * logins, never memory). Each is bound to the browser that started it by a random value in a
 * cookie whose hash is kept here: a `state` alone, carried in a URL, could be handed to a victim
 * (login CSRF, RFC 6749 §10.12).
 */
export interface PendingLogin {
  prefix: string;
  redirectUri: string;
  codeVerifier: string;
  nonce: string;
  /** Same-origin path the browser goes back to (return-to.ts checked it). */
  returnTo: string;
  bindingHash: Buffer;
  expiresAt: number;
}

/** What a login keeps until the provider answers (OIDC's by default; SAML keeps its request id). */
export type LoginData = { prefix: string; returnTo: string };
type Stored<L> = L & { bindingHash: Buffer; expiresAt: number };

export interface PendingLoginsOptions {
  ttlMs?: number;
  max?: number;
  now?: () => number;
}

const hash = (v: string) => createHash('sha256').update(v).digest();

export class PendingLogins<L extends LoginData = Omit<PendingLogin, 'bindingHash' | 'expiresAt'>> {
  private readonly byState = new Map<string, Stored<L>>();
  private readonly ttlMs: number;
  private readonly max: number;
  private readonly now: () => number;

  constructor(o: PendingLoginsOptions = {}) {
    this.ttlMs = o.ttlMs ?? 10 * 60_000;
    this.max = o.max ?? 10_000;
    this.now = o.now ?? Date.now;
  }

  /** Records a login; returns the browser-binding value to put in the login cookie. */
  put(state: string, login: L): string {
    while (this.byState.size >= this.max) {
      const oldest = this.byState.keys().next().value;
      if (oldest === undefined) break;
      this.byState.delete(oldest);
    }
    const binding = randomBytes(32).toString('base64url');
    this.byState.set(state, { ...login, bindingHash: hash(binding), expiresAt: this.now() + this.ttlMs });
    return binding;
  }

  /** The login for `state` if it is live and `binding` is the browser's; it is consumed either way. */
  take(state: string, binding: string | null): Stored<L> | null {
    const login = this.byState.get(state);
    if (!login) return null;
    this.byState.delete(state);
    if (login.expiresAt <= this.now() || binding === null) return null;
    return timingSafeEqual(hash(binding), login.bindingHash) ? login : null;
  }

  get size(): number {
    return this.byState.size;
  }
}
