import type { ObjectAccess } from './objects/object-access';
import type { DataModel, View } from '@trustzone/data-model';
import type { QixLimits } from './qix-limits';
import type { HeldCell } from './shared-selections';

/** The user as the proxy authenticated them (the proxy adds it to the relayed stream). */
export interface QixUser {
  userDirectory: string;
  userId: string;
}

/**
 * An app opened for one user: authorized by the repository, loaded, and reduced by section access.
 * `view` already carries the reduction and the OMIT fields; the session never looks past it.
 */
export interface OpenedApp {
  appId: string;
  title: string;
  model: DataModel;
  view: View;
}

/** One entry of GetDocList (only apps the user may read). */
export interface DocListEntry {
  qDocId: string;
  qDocName: string;
  qTitle: string;
  qMeta?: Record<string, unknown>;
}

export type QixAuditOutcome = 'granted' | 'denied' | 'failed';

/** What the session reports to the audit trail: every OpenDoc decision, with the internal reason. */
export interface QixAuditEvent {
  action: 'OpenDoc';
  outcome: QixAuditOutcome;
  appId: string;
  user: QixUser;
  /** The QIX error code answered (absent when granted). */
  code?: number;
  /** Why it was denied or failed (never sent to the client). */
  reason?: string;
}

/** What a reload over QIX came to (the engine's reload report, reduced to what a client may see). */
export interface ScriptReloadResult {
  succeeded: boolean;
  error?: { message: string; statement: string };
}

/**
 * The load script and reload of the open app, for this session's user. Every method is refused
 * (a QixError ACCESS_DENIED) unless the repository's rules give Update on the app and section
 * access leaves the user the whole app.
 */
export interface ScriptPort {
  getScript(appId: string): Promise<string>;
  setScript(appId: string, script: string): Promise<void>;
  /** Runs the app's script; `onProgress` gets a line per statement and per table loaded. */
  reload(appId: string, onProgress: (line: string) => void): Promise<ScriptReloadResult>;
}

/**
 * The persisted variables of an app (stored in its file). Reading is for anyone who opened the app;
 * `update` is refused (QixError ACCESS_DENIED) unless the repository's rules give Update on the app
 * and section access leaves the user the whole app.
 */
export interface VariablePort {
  list(appId: string): Promise<Record<string, unknown>[]>;
  /** Read-modify-write under the app's lock; answers the list now stored. */
  update(appId: string, change: (current: Record<string, unknown>[]) => Record<string, unknown>[]): Promise<Record<string, unknown>[]>;
}

/**
 * The persisted generic objects of an app (stored in its file, section 4). The port only stores:
 * every decision (who may read, create, change, publish…) is the ObjectAccess's, asked by the
 * object methods before they call `update`.
 */
export interface ObjectPort {
  list(appId: string): Promise<Record<string, unknown>[]>;
  /** Read-modify-write under the app's lock; answers the list now stored. */
  update(appId: string, change: (current: Record<string, unknown>[]) => Record<string, unknown>[]): Promise<Record<string, unknown>[]>;
  /** Whether the app is published now (its base objects are then published and approved). */
  appPublished(appId: string): Promise<boolean>;
}

/** A data connection as the repository lists it to a user (no secrets: trustzone's hold none). */
export interface DataConnectionInfo {
  id: string;
  name: string;
  type: string;
  connectionString: string;
  modifiedDate: string;
}

/** The data connections the session's user may read (the repository's rules decide). */
export interface ConnectionPort {
  list(): Promise<DataConnectionInfo[]>;
}

export interface QixSessionDeps {
  user: QixUser;
  /**
   * Authorize (repository rules), load and reduce (section access) an app for `user`. Throws a
   * QixError with code ACCESS_DENIED (5) or APP_NOT_FOUND (1003), `reason` saying why.
   */
  openApp(appId: string): Promise<OpenedApp>;
  listDocs(): Promise<DocListEntry[]>;
  audit?(event: QixAuditEvent): void | Promise<void>;
  /** Unexpected failures (bugs, failing dependencies): for the engine log, never for the client. */
  onInternalError?(error: unknown, context: string): void;
  limits?: Partial<QixLimits>;
  /**
   * Where an opened document keeps its selections: a cell shared by the sockets of a Qlik identity,
   * and its release for when the document closes. Absent: every session has its own.
   */
  selectionCell?(app: OpenedApp): HeldCell;
  /** Script and reload (absent: those methods answer Access denied). */
  scripts?: ScriptPort;
  /** Persisted variables (absent: only the script's variables, and creating one answers Access denied). */
  variables?: VariablePort;
  /** Persisted generic objects (absent: only session objects; creating one answers Access denied). */
  objects?: ObjectPort;
  /** Who may do what with persisted objects (absent with `objects`: every object method is denied). */
  objectAccess?: ObjectAccess;
  /**
   * Registers this session (at OpenDoc) with the other sessions of the app on this engine: its
   * object changes are reported through `changed`, and when another session changes the app's
   * objects the host sends this session's `objectsNotice()`. Released when the session closes.
   */
  objectWatch?(appId: string): { changed(): void; release(): void };
  /** GetConnections/GetConnection (absent: they answer Access denied). */
  connections?: ConnectionPort;
}

export type ClosingNotification = 'OnSessionTimedOut' | 'OnSessionLoggedOut' | 'OnEngineWebsocketFailed';

export interface QixSession {
  /** The frames to send as soon as the socket opens (the OnConnected notification). */
  start(): string[];
  /** Answer one client frame: its response, plus any notifications. Never rejects. */
  handle(frameText: string): Promise<string[]>;
  /**
   * After another socket of the same Qlik identity changed the shared selections: the frame that
   * marks this session's objects stale (`{"jsonrpc":"2.0","change":[…]}`, as the engine pushes it),
   * or null when nothing here depends on them.
   */
  staleNotice(): string | null;
  /**
   * After another session changed the app's persisted objects: the frame marking this session's
   * persisted-object handles and object lists stale, or null when it holds none.
   */
  objectsNotice(): string | null;
  /** The fatal notification to send before the socket closes; the session stops answering. */
  notifyClosing(kind: ClosingNotification, message: string): string;
  /** Release the session (doc, objects, pending requests). Idempotent. */
  close(): void;
}
