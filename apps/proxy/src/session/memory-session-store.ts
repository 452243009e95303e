import { EndedListeners, sessionUserKey } from './session-store';
import type { SessionStore } from './session-store';
import { invalidSessionIdError, isSessionIdShaped, newCsrfToken, newSessionId } from './session-id';
import type { CreateSessionResult, NewSession, Session, SessionEndReason, SessionEndedListener, SessionPolicy } from './session.types';

export interface MemorySessionStoreOptions {
  now?: () => number;
  /** How often expired sessions are ended proactively (so their sockets close); 0 = only on demand. */
  sweepIntervalMs?: number;
  onListenerError?: (error: unknown) => void;
}

/**
 * Sessions of a single proxy. Lookups are O(1) by id; a per-user index (insertion-ordered, so its first
 * entry is the oldest) serves limits and "log out everywhere". Returned sessions are copies, so a
 * caller cannot change stored state by mutating a result.
 */
export class MemorySessionStore implements SessionStore {
  private readonly sessions = new Map<string, Session>();
  private readonly byUser = new Map<string, Set<string>>();
  private readonly listeners: EndedListeners;
  private readonly now: () => number;
  private readonly timer: NodeJS.Timeout | undefined;

  constructor(options: MemorySessionStoreOptions = {}) {
    this.now = options.now ?? Date.now;
    this.listeners = new EndedListeners(options.onListenerError);
    const interval = options.sweepIntervalMs ?? 30_000;
    if (interval > 0) {
      this.timer = setInterval(() => void this.sweep(), interval);
      this.timer.unref();
    }
  }

  async create(input: NewSession, policy: SessionPolicy): Promise<CreateSessionResult> {
    const id = input.id ?? newSessionId();
    if (!isSessionIdShaped(id)) throw invalidSessionIdError();
    if (this.sessions.has(id)) return { kind: 'refused', reason: 'id-in-use' };
    const key = sessionUserKey(input.prefix, input.user.userDirectory, input.user.userId);
    const ids = this.userIds(key);
    for (const existing of [...ids]) this.expireIfDue(existing);
    const evicted: string[] = [];
    if (ids.size >= policy.maxSessionsPerUser) {
      if (policy.sessionLimitPolicy === 'refuse') return { kind: 'refused', reason: 'session-limit' };
      for (const oldest of [...ids].slice(0, ids.size - policy.maxSessionsPerUser + 1)) {
        this.end(oldest, 'evicted');
        evicted.push(oldest);
      }
    }
    const now = this.now();
    const session: Session = {
      id,
      prefix: input.prefix,
      userDirectory: input.user.userDirectory,
      userId: input.user.userId,
      attributes: structuredClone(input.user.attributes),
      anonymous: input.user.anonymous,
      createdAt: now,
      lastSeen: now,
      csrfToken: newCsrfToken(),
      ...(input.ip === undefined ? {} : { ip: input.ip }),
      inactivityTimeoutMs: policy.inactivityTimeoutMs,
    };
    this.sessions.set(id, session);
    this.userIds(key).add(id);
    return { kind: 'created', session: copySession(session), evicted };
  }

  async get(id: string): Promise<Session | null> {
    if (this.expireIfDue(id)) return null;
    const session = this.sessions.get(id);
    if (!session) return null;
    session.lastSeen = Math.max(session.lastSeen, this.now());
    return copySession(session);
  }

  async listByUser(prefix: string, userDirectory: string, userId: string): Promise<Session[]> {
    const ids = [...(this.byUser.get(sessionUserKey(prefix, userDirectory, userId)) ?? [])];
    return ids.filter((id) => !this.expireIfDue(id)).flatMap((id) => {
      const s = this.sessions.get(id);
      return s ? [copySession(s)] : [];
    });
  }

  async countByUser(prefix: string, userDirectory: string, userId: string): Promise<number> {
    return (await this.listByUser(prefix, userDirectory, userId)).length;
  }

  async delete(id: string, reason: SessionEndReason = 'logout'): Promise<boolean> {
    return this.end(id, reason);
  }

  async deleteUser(prefix: string, userDirectory: string, userId: string): Promise<number> {
    const ids = [...(this.byUser.get(sessionUserKey(prefix, userDirectory, userId)) ?? [])];
    return ids.filter((id) => this.end(id, 'logout')).length;
  }

  async sweep(): Promise<number> {
    return [...this.sessions.keys()].filter((id) => this.expireIfDue(id)).length;
  }

  onEnded(listener: SessionEndedListener): () => void {
    return this.listeners.add(listener);
  }

  async close(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
  }

  get size(): number {
    return this.sessions.size;
  }

  private userIds(key: string): Set<string> {
    let ids = this.byUser.get(key);
    if (!ids) {
      ids = new Set();
      this.byUser.set(key, ids);
    }
    return ids;
  }

  /** Ends the session if its inactivity timeout has passed; true when it did. */
  private expireIfDue(id: string): boolean {
    const s = this.sessions.get(id);
    if (!s || this.now() - s.lastSeen < s.inactivityTimeoutMs) return false;
    return this.end(id, 'timeout');
  }

  private end(id: string, reason: SessionEndReason): boolean {
    const s = this.sessions.get(id);
    if (!s) return false;
    this.sessions.delete(id);
    const key = sessionUserKey(s.prefix, s.userDirectory, s.userId);
    const ids = this.byUser.get(key);
    ids?.delete(id);
    if (ids?.size === 0) this.byUser.delete(key);
    this.listeners.emit(id, reason);
    return true;
  }
}

/** A caller's copy (its mutations never reach the store). Hand-written: structuredClone on every request was measurable. */
function copySession(s: Session): Session {
  const attributes: Session['attributes'] = {};
  for (const [k, v] of Object.entries(s.attributes)) attributes[k] = [...v];
  return { ...s, attributes };
}
