import { ErrorCode, isServiceError, type PeerCheck } from '@trustzone/contracts';

export type CloseCause = 'caller' | 'access';

/** One open QIX stream, as the watch re-checks it. */
export interface WatchedStream {
  /** The proxy certificate the stream was opened under, checked against the current CRL and CAs. */
  callerValid(): PeerCheck;
  /** Streams with the same key (same asserted user, same app) share one repository question per round. */
  readonly accessKey: string;
  /** The repository's answer for Read on the app, now; throws when it cannot answer. */
  userMayRead(): Promise<boolean>;
  /**
   * Ends the stream (notification, then end); `reason` is for the log and the audit trail. `cause`
   * says whose credential failed: 'caller' — the proxy's certificate (retired after a rotation, or
   * revoked): the user's session is fine and the client may reconnect through the proxy at once;
   * 'access' — the user's right to the app.
   */
  close(reason: string, cause: CloseCause): void;
}

export interface QixStreamWatchOptions {
  intervalMs: number;
  /** How long a stream may go without a successful re-check (repository unreachable) before it is closed. */
  maxUnverifiedMs: number;
  /**
   * Streams whose proxy certificate stopped checking out in one round are closed spread evenly over
   * this window (0: all at once). A rotation retires the proxy's certificate for every stream it
   * carries at the same moment; closing them all at once makes every client reconnect at once. The
   * k-th of n closes at k·window/n, so every one is closed by detection + window (the bound
   * docs/threat-model.md states). Access revocations are never delayed.
   */
  callerCloseSpreadMs?: number;
  /**
   * Told once per round of the streams that round decided to close because their proxy certificate
   * stopped checking out (one log line for a rotation's thousand streams, not one each: the per-stream
   * record is the audit event `app.session.revoked`).
   */
  onCallerGone?: (streams: number, spreadMs: number, reason: string) => void;
}

interface Entry {
  stream: WatchedStream;
  verifiedAt: number;
}

// A definite "no" from the repository: the user is inactive or removed (PermissionDenied), the app is
// gone (NotFound), or the assertion no longer stands (Unauthenticated).
const DEFINITE = new Set<string>([ErrorCode.PermissionDenied, ErrorCode.NotFound, ErrorCode.Unauthenticated]);

/**
 * Access is checked when a QIX stream opens, but a stream lives as long as its socket. Every
 * `intervalMs` this re-checks each open stream: the proxy certificate it was opened under (local,
 * against the CRL the engine has now) and the user's Read on the app (the repository's rules now:
 * a blocked user, a removed one, or a rule that no longer grants read all answer no). Either "no"
 * closes the stream; so does a stream the repository could not vouch for within `maxUnverifiedMs`
 * (fail closed, but not on one lost call).
 */
export class QixStreamWatch {
  private readonly entries = new Set<Entry>();
  /** Closes already decided (caller certificate no longer valid) and spread over the window. */
  private readonly pendingCloses = new Set<NodeJS.Timeout>();
  private readonly timer: NodeJS.Timeout;
  private round: Promise<void> | null = null;

  constructor(private readonly o: QixStreamWatchOptions) {
    this.timer = setInterval(() => void this.checkAll(), o.intervalMs);
    this.timer.unref();
  }

  /** Streams still watched (not counting those whose spread close is already scheduled). */
  get size(): number {
    return this.entries.size;
  }

  /** Streams decided to close whose turn in the spread has not come yet. */
  get closing(): number {
    return this.pendingCloses.size;
  }

  /** Watches a stream until the returned function is called (when the stream ends). */
  add(stream: WatchedStream): () => void {
    const entry: Entry = { stream, verifiedAt: Date.now() };
    this.entries.add(entry);
    return () => void this.entries.delete(entry);
  }

  /** One round over every stream; a round still running is not started twice. */
  checkAll(): Promise<void> {
    this.round ??= this.runRound().finally(() => (this.round = null));
    return this.round;
  }

  close(): void {
    clearInterval(this.timer);
    for (const t of this.pendingCloses) clearTimeout(t);
    this.pendingCloses.clear();
    this.entries.clear();
  }

  private async runRound(): Promise<void> {
    const asked = new Map<string, Promise<boolean>>();
    const checks: Promise<void>[] = [];
    const callerGone: { entry: Entry; reason: string }[] = [];
    for (const entry of [...this.entries]) {
      const caller = entry.stream.callerValid();
      if (!caller.ok) {
        callerGone.push({ entry, reason: `the caller's certificate is no longer valid (${caller.reason})` });
        continue;
      }
      let answer = asked.get(entry.stream.accessKey);
      if (!answer) asked.set(entry.stream.accessKey, (answer = entry.stream.userMayRead()));
      checks.push(answer.then(
        (allowed) => {
          if (allowed) entry.verifiedAt = Date.now();
          else this.end(entry, 'the user may no longer read the app');
        },
        (error: unknown) => {
          if (isServiceError(error) && DEFINITE.has(error.code)) this.end(entry, `the repository refused the user (${error.code})`);
          else if (Date.now() - entry.verifiedAt > this.o.maxUnverifiedMs) this.end(entry, 'access could not be re-checked in time');
        },
      ));
    }
    this.endSpread(callerGone);
    await Promise.all(checks);
  }

  /** Closes the k-th of n at k·window/n: none is checked again, all are closed within the window. */
  private endSpread(gone: { entry: Entry; reason: string }[]): void {
    const window = this.o.callerCloseSpreadMs ?? 0;
    if (gone.length > 0) this.o.onCallerGone?.(gone.length, window, gone[0]!.reason);
    gone.forEach(({ entry, reason }, k) => {
      const delay = window <= 0 ? 0 : Math.floor((k * window) / gone.length);
      if (delay === 0) return this.end(entry, reason, 'caller');
      this.entries.delete(entry);
      const t = setTimeout(() => {
        this.pendingCloses.delete(t);
        entry.stream.close(reason, 'caller');
      }, delay);
      this.pendingCloses.add(t);
    });
  }

  private end(entry: Entry, reason: string, cause: CloseCause = 'access'): void {
    if (!this.entries.delete(entry)) return;
    entry.stream.close(reason, cause);
  }
}
