import type { SessionAttributes } from '../auth/authenticated-user';

export type SessionEndReason = 'logout' | 'timeout' | 'evicted';

export interface Session {
  id: string;
  /** Virtual proxy prefix the session belongs to (its cookie path and limits are per prefix). */
  prefix: string;
  userDirectory: string;
  userId: string;
  attributes: SessionAttributes;
  anonymous: boolean;
  createdAt: number;
  lastSeen: number;
  /** Sent back as `qlik-csrf-token` on cookie-authenticated websocket upgrades. */
  csrfToken: string;
  ip?: string;
  /** Sliding inactivity timeout, fixed at creation from the virtual proxy config. */
  inactivityTimeoutMs: number;
}

export interface NewSession {
  prefix: string;
  user: { userDirectory: string; userId: string; attributes: SessionAttributes; anonymous: boolean };
  ip?: string;
  /** Only for `POST /qps/session` (a session id made elsewhere); must pass `isSessionIdShaped`. */
  id?: string;
}

export interface SessionPolicy {
  inactivityTimeoutMs: number;
  maxSessionsPerUser: number;
  sessionLimitPolicy: 'evict-oldest' | 'refuse';
}

export type CreateSessionResult =
  | { kind: 'created'; session: Session; evicted: string[] }
  | { kind: 'refused'; reason: 'session-limit' | 'id-in-use' };

export type SessionEndedListener = (sessionId: string, reason: SessionEndReason) => void;
