import type { VirtualProxyConfig } from '../virtual-proxy/virtual-proxy-config.schema';
import type { CreateSessionResult, NewSession, Session, SessionEndReason, SessionEndedListener, SessionPolicy } from './session.types';

/**
 * Where the proxy keeps sessions. Two implementations: memory (one proxy) and Redis (several proxies
 * share sessions, and an end on one is announced to all). Every expiry decision is made server-side on
 * `get`/`sweep` with the store's clock; clients cannot extend a session except by using it.
 */
export interface SessionStore {
  /** Creates a session, applying the per-user limit of the policy (evicting or refusing). */
  create(input: NewSession, policy: SessionPolicy): Promise<CreateSessionResult>;
  /** The live session, its inactivity clock restarted; null when unknown or timed out (then ended). */
  get(id: string): Promise<Session | null>;
  /** Live sessions of a user on one virtual proxy, oldest first (not touched). */
  listByUser(prefix: string, userDirectory: string, userId: string): Promise<Session[]>;
  countByUser(prefix: string, userDirectory: string, userId: string): Promise<number>;
  /** Ends one session; false when it did not exist. */
  delete(id: string, reason?: SessionEndReason): Promise<boolean>;
  /** Ends every session of a user on one virtual proxy ("log out everywhere"); returns how many. */
  deleteUser(prefix: string, userDirectory: string, userId: string): Promise<number>;
  /** Ends sessions whose inactivity timeout has passed; returns how many. Runs on a timer too. */
  sweep(): Promise<number>;
  /** Called once per ended session on every store instance sharing the backend. Returns unsubscribe. */
  onEnded(listener: SessionEndedListener): () => void;
  close(): Promise<void>;
}

export function sessionPolicyFor(config: Pick<VirtualProxyConfig, 'sessionInactivityTimeout' | 'maxSessionsPerUser' | 'sessionLimitPolicy'>): SessionPolicy {
  return {
    inactivityTimeoutMs: config.sessionInactivityTimeout * 60_000,
    maxSessionsPerUser: config.maxSessionsPerUser,
    sessionLimitPolicy: config.sessionLimitPolicy,
  };
}

/** Users are compared case-insensitively, as Qlik compares user directories and ids. */
export function sessionUserKey(prefix: string, userDirectory: string, userId: string): string {
  return `${prefix}\u0000${userDirectory.toLowerCase()}\u0000${userId.toLowerCase()}`;
}

/** Listener set whose callbacks cannot break the store: a throwing listener is reported, not propagated. */
export class EndedListeners {
  private readonly listeners = new Set<SessionEndedListener>();

  constructor(private readonly onListenerError: (error: unknown) => void = () => undefined) {}

  add(listener: SessionEndedListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  emit(sessionId: string, reason: SessionEndReason): void {
    for (const listener of this.listeners) {
      try {
        listener(sessionId, reason);
      } catch (e) {
        this.onListenerError(e);
      }
    }
  }
}
